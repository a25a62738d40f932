package mmucheck.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.util.List;
import mmucheck.impl.Simulation;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;

/**
 * {@code mmucheck bench simulate}: logged steps per second of the implementation on the
 * mixed workload (a seeded draw among the spec's scenarios per run), with the log written
 * (full mode, to a byte-counting sink) and not written, and the ratio; then the S1 figures:
 * the first seed whose random walk goes stale under cpu_flush=gather, and N runs under
 * nested that never do.
 */
public final class BenchSimulate implements Command {
    @Override
    public String summary() { return "bench simulate [--seconds S] [--s1-runs N]: steps/s with logging on and off"; }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(args, List.of("--seconds", "--s1-runs"), List.of());
        long seconds = a.longValue("--seconds", 3);
        long s1Runs = a.longValue("--s1-runs", 10_000);
        if (seconds < 1 || seconds > 600) throw new UsageException("--seconds must be in 1..600");
        if (s1Runs < 0) throw new UsageException("--s1-runs must be at least 0");
        try (AgentThreads threads = new AgentThreads()) {
            return bench(seconds, s1Runs, threads, out);
        }
    }

    private int bench(long seconds, long s1Runs, AgentThreads threads, PrintStream out) {
        measure(true, 2, threads); // warm-up (JIT) of both paths
        measure(false, 1, threads);
        Figures on = measure(true, seconds, threads);
        Figures off = measure(false, seconds, threads);
        out.printf("mixed workload, logging on (full state, %.1f MB/s): %,.0f logged steps/s (%,d steps in %,d runs; %,.0f per CPU-second)%n",
                on.bytes / on.secs / 1e6, on.steps / on.secs, on.steps, on.runs, on.steps / on.cpuSecs);
        out.printf("mixed workload, logging off: %,.0f steps/s (%,d steps in %,d runs; %,.0f per CPU-second)%n",
                off.steps / off.secs, off.steps, off.runs, off.steps / off.cpuSecs);
        out.printf("ratio on/off: %.2f%n", (on.steps / on.secs) / (off.steps / off.secs));
        if (s1Runs > 0) {
            Scenario s1 = Scenarios.byName("S1").orElseThrow();
            long first = -1;
            for (long seed = 0; seed < 100_000 && first < 0; seed++) {
                if (stale(Simulation.run(Simulation.Config.of(s1, variant("gather"), seed, 200), null, threads))) first = seed;
            }
            long t0 = System.nanoTime();
            long staleRuns = 0;
            for (long seed = 0; seed < s1Runs; seed++) {
                if (stale(Simulation.run(Simulation.Config.of(s1, variant("nested"), seed, 200), null, threads))) staleRuns++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf("S1 cpu_flush=gather: first stale seed %d%n", first);
            out.printf("S1 cpu_flush=nested: %,d seeded runs, %d stale (%.1f s)%n", s1Runs, staleRuns, secs);
        }
        return ExitCode.OK;
    }

    private static boolean stale(Simulation.Result r) {
        return r.observed().stream().anyMatch(o -> o.kind().equals("stale-read"));
    }

    private static Variant variant(String cpuFlush) { return Variant.parse("cpu_flush=" + cpuFlush).variant(); }

    private record Figures(long steps, long runs, long bytes, double secs, double cpuSecs) {}

    private static Figures measure(boolean logging, long seconds, AgentThreads threads) {
        long steps = 0, runs = 0;
        CountingSink sink = new CountingSink();
        long c0 = cpuNanos();
        long t0 = System.nanoTime(), deadline = t0 + seconds * 1_000_000_000L;
        for (long seed = 0; System.nanoTime() < deadline; seed++) {
            Scenario sc = Scenarios.mixedPick(seed);
            Variant v = Variant.parse(VARIANTS[(int) (seed % VARIANTS.length)]).variant();
            Simulation.Result r = Simulation.run(Simulation.Config.of(sc, v, seed, 1000), logging ? sink : null, threads);
            steps += r.steps();
            runs++;
        }
        return new Figures(steps, runs, sink.bytes, (System.nanoTime() - t0) / 1e9, Math.max(1, cpuNanos() - c0) / 1e9);
    }

    /** CPU time of the whole process: on a shared machine, wall-clock figures measure the neighbours too. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : System.nanoTime();
    }

    private static final String[] VARIANTS = {
        "cpu_flush=nested", "cpu_flush=gather,secondary=range_end", "secondary=after_unlock",
        "secondary=v4_15,shadow=start_only", "cpu_flush=always,secondary=none"};

    /** Where the logged bytes go: counted, not kept, so the figure is the implementation's and the generator's. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) { bytes++; }

        @Override
        public void write(byte[] b, int off, int len) { bytes += len; }
    }
}
