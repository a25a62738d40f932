package mmucheck.refinement.bench;

import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.List;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.refinement.explore.Explorer;

/**
 * {@code bench explore}: explore's speed where it used to collapse, cycling every scenario of
 * the default variant (a spec load per scenario), and its scaling over workers on one scenario
 * (S1), each with --jobs 1 and --jobs N in turn. Wall time, the process's CPU time (the machine
 * is shared: the load average is printed with each row) and spec loads per row.
 */
public final class ExploreBench {
    private ExploreBench() {}

    public static int run(long cyclingRuns, long s1Runs, int jobs, PrintStream out) {
        List<Scenario> all = Explorer.scenariosFor(Variant.DEFAULT);
        List<Scenario> s1 = List.of(Scenarios.byName("S1").orElseThrow());
        out.println("bench explore: default variant (" + Variant.DEFAULT + "), random strategy, load average "
                + load() + " at the start");
        // warm-up: the JIT compiles the simulation and the checker once before the timed rows
        row(out, "warm-up, S1", s1, Math.min(s1Runs, 300), 1, 7_000_000);
        long[] one = row(out, "S1", s1, s1Runs, 1, 0);
        long[] par = row(out, "S1", s1, s1Runs, jobs, 0);
        out.printf("  S1 scaling, %d workers: %.2fx wall, CPU %.2fx that of one worker%n", jobs,
                (double) one[0] / par[0], (double) par[2] / one[2]);
        if (cyclingRuns > 0) {
            long[] c1 = row(out, "cycling " + all.size() + " scenarios", all, cyclingRuns, 1, 0);
            long[] c2 = row(out, "cycling " + all.size() + " scenarios", all, cyclingRuns, jobs, 0);
            out.printf("  cycling scaling, %d workers: %.2fx wall, CPU %.2fx that of one worker%n", jobs,
                    (double) c1[0] / c2[0], (double) c2[2] / c1[2]);
        }
        return 0;
    }

    /** One timed batch; returns {wall ns, steps, CPU ns}. */
    private static long[] row(PrintStream out, String what, List<Scenario> sc, long runs, int jobs, long seed) {
        Explorer.Config c = new Explorer.Config(sc, Variant.DEFAULT, runs, "random", seed, 300, Bugs.NONE, null, jobs);
        long cpu0 = cpu(), t0 = System.nanoTime();
        Explorer.Summary s = Explorer.run(c, false);
        long wall = System.nanoTime() - t0, cpu = cpu() - cpu0;
        out.printf("  %-28s --jobs %d: %6d runs, %7d steps in %6.1f s wall, %6.1f s CPU: %6.0f steps/s, "
                        + "%6.0f per CPU second, %d spec loads, %s, load %s%n",
                what, jobs, s.runs(), s.steps(), wall / 1e9, cpu / 1e9, s.steps() / (wall / 1e9),
                s.steps() / (cpu / 1e9), s.loads(), s.ok() ? "all refine" : "NOT ALL REFINE", load());
        return new long[] {wall, s.steps(), Math.max(1, cpu)};
    }

    private static long cpu() {
        return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                .getProcessCpuTime();
    }

    private static String load() {
        return String.format("%.1f", ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
    }
}
