package mmucheck.cli;

import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import mmucheck.impl.Simulation;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.refinement.bench.JitWarmUp;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code mmucheck bench simulate}: logged steps per second of the implementation on the
 * mixed workload (a seeded draw per run), with the log written (full mode, to a
 * byte-counting sink) and not written, and the ratio; then the S1 figures: the first seed
 * whose random walk goes stale under cpu_flush=gather, and N runs under nested that never do.
 *
 * <p>What is timed: whole runs, one after the other, each with a new seed: building the mm,
 * handing the agents to threads from a pool kept across runs (the threads are started once,
 * before the warm-up) and waiting for them to finish, every step, and with logging on the
 * header, initial state and end line too. A step is one logged transition line. The JIT
 * needs long on a loaded 2-core machine, so the measurement starts after a warm-up that
 * lasts until the JIT has compiled nothing new for two seconds; then rounds of on and off
 * alternate, so both see the same load, and the median round is reported.
 */
public final class BenchSimulate implements Command {
    @Override
    public String summary() { return "steps/s of the implementation with logging on and off, and the S1 seeds"; }

    @Override
    public String synopsis() { return "[--seconds S] [--rounds R] [--warmup MAX] [--s1-runs N]"; }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("seconds", "S", "seconds per measured round, 1..600 (default 3)"),
                Cli.valued("rounds", "R", "rounds of logging on and off, 1..100 (default 3)"),
                Cli.valued("warmup", "MAX", "longest JIT warm-up in seconds, 0..600 (default 60)"),
                Cli.valued("s1-runs", "N", "seeded S1 runs under nested (default 10000)"));
    }

    @Override
    public int execute(CommandLine a, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(a);
        long seconds = Cli.number(a, "seconds", 3, 1, 600);
        long rounds = Cli.number(a, "rounds", 3, 1, 100);
        long warmup = Cli.number(a, "warmup", 60, 0, 600);
        long s1Runs = Cli.number(a, "s1-runs", 10_000, 0, Long.MAX_VALUE);
        try (AgentThreads threads = new AgentThreads()) {
            return bench(seconds, (int) rounds, warmup, s1Runs, threads, out);
        }
    }

    private int bench(long seconds, int rounds, long warmup, long s1Runs, AgentThreads threads, PrintStream out) {
        double load0 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        double warmed = warmUp(warmup, threads);
        Figures[] on = new Figures[rounds], off = new Figures[rounds];
        long seed = 1_000_000; // seeds after the warm-up's: every run is a new one
        for (int r = 0; r < rounds; r++) {
            on[r] = measure(true, seconds, seed, threads);
            seed += on[r].runs;
            off[r] = measure(false, seconds, seed, threads);
            seed += off[r].runs;
        }
        Figures m = median(on), n = median(off);
        double load1 = ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        out.printf("mixed workload: runs of %.1f steps on average (programs drawn per seed by the spec's MixedSc generator, 5 variants); each run timed whole:"
                + " set-up, agent threads from a pool, every step, and with logging the header, initial state and end line%n",
                (m.steps + n.steps) / (double) (m.runs + n.runs));
        out.printf("warm-up: %.1f s (until the JIT compiled nothing new for 2 s, at most %d s)%n", warmed, warmup);
        out.printf("logging on (full state, %.1f MB/s to a counting sink): %,.0f logged steps/s, %,.0f runs/s, %.1f us CPU per step%s%n",
                m.bytes / m.secs / 1e6, m.stepsPerSec(), m.runs / m.secs, m.cpuSecs * 1e6 / m.steps, range(on));
        out.printf("logging off: %,.0f steps/s, %,.0f runs/s, %.1f us CPU per step%s%n",
                n.stepsPerSec(), n.runs / n.secs, n.cpuSecs * 1e6 / n.steps, range(off));
        out.printf("ratio on/off: %.2f%n", m.stepsPerSec() / n.stepsPerSec());
        out.printf("per run (least squares over the runs): on %.0f us + %.2f us per step, off %.0f us + %.2f us per step%n",
                m.fixedMicros, m.perStepMicros, n.fixedMicros, n.perStepMicros);
        out.printf("machine: %d cores, load average %.1f before, %.1f after%n",
                Runtime.getRuntime().availableProcessors(), load0, load1);
        if (s1Runs > 0) {
            Scenario s1 = Scenarios.byName("S1").orElseThrow();
            long first = -1;
            for (long s = 0; s < 100_000 && first < 0; s++) {
                if (stale(Simulation.run(Simulation.Config.of(s1, variant("gather"), s, 200), null, threads))) first = s;
            }
            long t0 = System.nanoTime();
            long staleRuns = 0;
            for (long s = 0; s < s1Runs; s++) {
                if (stale(Simulation.run(Simulation.Config.of(s1, variant("nested"), s, 200), null, threads))) staleRuns++;
            }
            double secs = (System.nanoTime() - t0) / 1e9;
            out.printf("S1 cpu_flush=gather: first stale seed %d%n", first);
            out.printf("S1 cpu_flush=nested: %,d seeded runs, %d stale (%.1f s)%n", s1Runs, staleRuns, secs);
        }
        return ExitCode.OK;
    }

    /** Runs both paths until the JIT has compiled nothing new for 2 s (at most {@code max} s); returns the seconds taken. */
    private static double warmUp(long max, AgentThreads threads) {
        if (max == 0) return 0;
        long[] seed = {0};
        return JitWarmUp.run(() -> {
            for (boolean logging : new boolean[] {true, false}) {
                seed[0] += measure(logging, 0.25, seed[0], threads).runs;
            }
        }, 1, 2_000, max);
    }

    private static String range(Figures[] f) {
        if (f.length == 1) return "";
        double lo = Arrays.stream(f).mapToDouble(Figures::stepsPerSec).min().orElse(0);
        double hi = Arrays.stream(f).mapToDouble(Figures::stepsPerSec).max().orElse(0);
        return String.format(" (median of %d rounds: %,.0f-%,.0f)", f.length, lo, hi);
    }

    private static Figures median(Figures[] f) {
        Figures[] s = f.clone();
        Arrays.sort(s, (x, y) -> Double.compare(x.stepsPerSec(), y.stepsPerSec()));
        return s[s.length / 2];
    }

    private static boolean stale(Simulation.Result r) {
        return r.observed().stream().anyMatch(o -> o.kind().equals("stale-read"));
    }

    private static Variant variant(String cpuFlush) { return Variant.parse("cpu_flush=" + cpuFlush).variant(); }

    private record Figures(long steps, long runs, long bytes, double secs, double cpuSecs, double fixedMicros, double perStepMicros) {
        double stepsPerSec() { return steps / secs; }
    }

    private static Figures measure(boolean logging, double seconds, long seed0, AgentThreads threads) {
        long steps = 0, runs = 0;
        double sx = 0, sy = 0, sxx = 0, sxy = 0; // run time against steps, for the fixed and per-step costs
        CountingSink sink = new CountingSink();
        long c0 = cpuNanos();
        long t0 = System.nanoTime(), deadline = t0 + (long) (seconds * 1e9);
        for (long seed = seed0; System.nanoTime() < deadline; seed++) {
            Scenario sc = Scenarios.mixedPick(seed);
            Variant v = VARIANTS[(int) (seed % VARIANTS.length)];
            long r0 = System.nanoTime();
            Simulation.Result r = Simulation.run(Simulation.Config.of(sc, v, seed, 1000), logging ? sink : null, threads);
            double x = r.steps(), y = (System.nanoTime() - r0) / 1e3;
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
            steps += r.steps();
            runs++;
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        double den = runs * sxx - sx * sx;
        double slope = den == 0 ? 0 : (runs * sxy - sx * sy) / den;
        return new Figures(steps, runs, sink.bytes, secs, Math.max(1, cpuNanos() - c0) / 1e9,
                runs == 0 ? 0 : (sy - slope * sx) / runs, slope);
    }

    /** CPU time of the whole process: on a shared machine, wall-clock figures measure the neighbours too. */
    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : System.nanoTime();
    }

    // parsed once: parsing is the command line's work, not the simulation's
    private static final Variant[] VARIANTS = java.util.stream.Stream.of(
            "cpu_flush=nested", "cpu_flush=gather,secondary=range_end", "secondary=after_unlock",
            "secondary=v4_15,shadow=start_only", "cpu_flush=always,secondary=none")
            .map(s -> Variant.parse(s).variant()).toArray(Variant[]::new);

    /** Where the logged bytes go: counted, not kept, so the figure is the implementation's and the generator's. */
    private static final class CountingSink extends OutputStream {
        long bytes;

        @Override
        public void write(int b) { bytes++; }

        @Override
        public void write(byte[] b, int off, int len) { bytes += len; }
    }
}
