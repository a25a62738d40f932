package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import mmucheck.refinement.bench.RefineBench;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code mmucheck bench TARGET [options]}: dispatches on its first argument to one benchmark. */
public final class BenchCommand implements Command {
    @Override
    public Map<String, Command> targets() {
        Map<String, Command> m = new LinkedHashMap<>();
        m.put("simulate", new BenchSimulate());
        m.put("refine", new RefineTarget());
        m.put("explore", new ExploreTarget());
        m.put("soak", new BenchSoak());
        return m;
    }

    @Override
    public String summary() {
        return "benchmarks: bench " + String.join("|", targets().keySet()) + " [ARGS]";
    }

    @Override
    public String synopsis() {
        return String.join("|", targets().keySet()) + " [ARGS]";
    }

    @Override
    public Options options() {
        return new Options();
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        // Cli.execute hands a known target its own arguments; anything else lands here
        throw new UsageException(cl.getArgList().isEmpty() ? "missing TARGET (one of "
                + String.join(", ", targets().keySet()) + ")" : "unknown target '" + cl.getArgList().get(0) + "' (one of "
                + String.join(", ", targets().keySet()) + ")");
    }

    /** bench refine [--steps N] [--seed S] [--mmu-runs R] [--no-tlc]. */
    static final class RefineTarget implements Command {
        @Override
        public String summary() {
            return "steps/s of parsing, full/partial checking and the TLC CLI, on a toy-spec walk and on R runs of "
                    + "the implementation (0: toy only)";
        }

        @Override
        public String synopsis() {
            return "[--steps N] [--seed S] [--mmu-runs R] [--no-tlc]";
        }

        @Override
        public Options options() {
            return Cli.options(
                    Cli.valued("steps", "N", "steps of the toy walk (default 100000)"),
                    Cli.valued("seed", "S", "the toy walk's seed (default 1)"),
                    Cli.valued("mmu-runs", "R", "runs of the implementation on big, 0..100000 (default 400)"),
                    Cli.flag("no-tlc", "skip the TLC-CLI route (a JVM per log)"));
        }

        @Override
        public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
            Cli.noArguments(cl);
            long steps = Cli.number(cl, "steps", 100_000, 1, Long.MAX_VALUE);
            long seed = Cli.number(cl, "seed", 1, Long.MIN_VALUE, Long.MAX_VALUE);
            int mmuRuns = (int) Cli.number(cl, "mmu-runs", 400, 0, 100_000);
            try {
                return RefineBench.run(steps, seed, !cl.hasOption("no-tlc"), mmuRuns, out);
            } catch (IOException e) {
                throw UsageException.badInput(e.getMessage());
            }
        }
    }

    /** bench explore [--runs N] [--s1-runs N] [--jobs N]. */
    static final class ExploreTarget implements Command {
        @Override
        public String summary() {
            return "explore cycling every scenario, and S1, with 1 and N workers";
        }

        @Override
        public String synopsis() {
            return "[--runs N] [--s1-runs N] [--jobs N]";
        }

        @Override
        public Options options() {
            return Cli.options(
                    Cli.valued("runs", "N", "runs cycling every scenario (default 3000)"),
                    Cli.valued("s1-runs", "N", "runs of S1 alone (default 2000)"),
                    Cli.valued("jobs", "N", "workers of the parallel rows, 1..256 (default 2)"));
        }

        @Override
        public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
            Cli.noArguments(cl);
            long runs = Cli.number(cl, "runs", 3000, 1, 100_000_000);
            long s1 = Cli.number(cl, "s1-runs", 2000, 1, 100_000_000);
            int jobs = (int) Cli.number(cl, "jobs", 2, 1, 256);
            return mmucheck.refinement.bench.ExploreBench.run(runs, s1, jobs, out);
        }
    }
}
