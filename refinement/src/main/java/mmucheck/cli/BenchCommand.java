package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import mmucheck.refinement.bench.RefineBench;

/** {@code mmucheck bench TARGET [options]}: dispatches on its first argument to one benchmark. */
public final class BenchCommand implements Command {
    static Map<String, Command> targets() {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("simulate", new BenchSimulate());
        m.put("refine", new RefineTarget());
        m.put("soak", new BenchSoak());
        return m;
    }

    @Override
    public String summary() {
        return "benchmarks: bench " + String.join("|", targets().keySet()) + " [ARGS]";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Map<String, Command> ts = targets();
        if (args.length == 0 || !ts.containsKey(args[0])) {
            throw new UsageException("usage: bench TARGET, TARGET one of " + String.join(", ", ts.keySet()));
        }
        return ts.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }

    /** bench refine [--steps N] [--seed S] [--mmu-runs R] [--no-tlc]. */
    static final class RefineTarget implements Command {
        @Override
        public String summary() {
            return "[--steps N] [--seed S] [--mmu-runs R] [--no-tlc]: steps/s of parsing, full/partial checking, "
                    + "TLC CLI, on a toy-spec walk and on R runs of the implementation (0: toy only)";
        }

        @Override
        public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
            long steps = 100_000;
            long seed = 1;
            boolean tlc = true;
            int mmuRuns = 400;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--steps" -> steps = number(args, ++i);
                    case "--seed" -> seed = number(args, ++i);
                    case "--mmu-runs" -> mmuRuns = (int) Math.min(100_000, number(args, ++i));
                    case "--no-tlc" -> tlc = false;
                    default -> throw new UsageException(
                            "usage: bench refine [--steps N] [--seed S] [--mmu-runs R] [--no-tlc]");
                }
            }
            try {
                return RefineBench.run(steps, seed, tlc, mmuRuns, out);
            } catch (IOException e) {
                err.println("mmucheck bench: " + e.getMessage());
                return ExitCode.USAGE;
            }
        }

        private static long number(String[] args, int i) throws UsageException {
            try {
                return Long.parseLong(args[i]);
            } catch (RuntimeException e) {
                throw new UsageException("bench refine: expected a number after " + args[i - 1]);
            }
        }
    }
}
