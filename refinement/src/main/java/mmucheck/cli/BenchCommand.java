package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import mmucheck.refinement.bench.RefineBench;

/** {@code mmucheck bench TARGET [options]}: one benchmark per target, registered in targets(). */
final class BenchCommand implements Command {
    /** Runs one benchmark target with the arguments after its name. */
    interface Target {
        String summary();

        int run(String[] args, PrintStream out) throws UsageException, IOException;
    }

    static Map<String, Target> targets() {
        Map<String, Target> m = new LinkedHashMap<>();
        m.put("refine", new RefineTarget());
        return m;
    }

    @Override
    public String summary() {
        StringBuilder b = new StringBuilder("benchmarks:");
        targets().forEach((n, t) -> b.append(" ").append(n).append(" (").append(t.summary()).append(")"));
        return b.toString();
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Map<String, Target> ts = targets();
        if (args.length == 0 || !ts.containsKey(args[0])) {
            throw new UsageException("usage: bench TARGET, TARGET one of " + String.join(", ", ts.keySet()));
        }
        try {
            return ts.get(args[0]).run(Arrays.copyOfRange(args, 1, args.length), out);
        } catch (IOException e) {
            err.println("mmucheck bench: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }

    /** bench refine [--steps N] [--seed S] [--no-tlc]. */
    static final class RefineTarget implements Target {
        @Override
        public String summary() {
            return "[--steps N] [--seed S] [--no-tlc]: steps/s of parsing, full/partial checking, TLC CLI";
        }

        @Override
        public int run(String[] args, PrintStream out) throws UsageException, IOException {
            long steps = 100_000;
            long seed = 1;
            boolean tlc = true;
            for (int i = 0; i < args.length; i++) {
                switch (args[i]) {
                    case "--steps" -> steps = number(args, ++i);
                    case "--seed" -> seed = number(args, ++i);
                    case "--no-tlc" -> tlc = false;
                    default -> throw new UsageException("usage: bench refine [--steps N] [--seed S] [--no-tlc]");
                }
            }
            return RefineBench.run(steps, seed, tlc, out);
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
