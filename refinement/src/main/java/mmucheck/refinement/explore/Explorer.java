package mmucheck.refinement.explore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Op;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;

/**
 * Conformance testing: N seeded runs of the implementation, each log refined against the
 * spec by one reused {@link RefinementChecker} per (scenario, variant). Logs are kept in
 * memory (they are small: bounded steps); the first failing one is written to a file.
 */
public final class Explorer {
    private Explorer() {}

    /**
     * What to explore. {@code scenarios}: cycled through, run i on scenarios[i mod n] with
     * seed {@code seed + i}. {@code bugs}: injected bugs (mutation testing), normally NONE.
     * {@code jobs}: worker threads, each with checkers and agent threads of its own; the
     * summary does not depend on it.
     */
    public record Config(List<Scenario> scenarios, Variant variant, long runs, String strategy, long seed,
                         long maxSteps, Bugs bugs, Path keepFailing, int jobs) {
        public Config {
            scenarios = List.copyOf(scenarios);
            if (scenarios.isEmpty()) throw new IllegalArgumentException("no scenario");
            if (jobs < 1) throw new IllegalArgumentException("jobs must be at least 1");
        }

        public Config(List<Scenario> scenarios, Variant variant, long runs, String strategy, long seed,
                      long maxSteps, Bugs bugs, Path keepFailing) {
            this(scenarios, variant, runs, strategy, seed, maxSteps, bugs, keepFailing, 1);
        }

        public static Config of(List<Scenario> s, Variant v, long runs, long seed) {
            return new Config(s, v, runs, "random", seed, 300, Bugs.NONE, null);
        }

        public Config withStrategy(String st) { return new Config(scenarios, variant, runs, st, seed, maxSteps, bugs, keepFailing, jobs); }
        public Config withBugs(Bugs b) { return new Config(scenarios, variant, runs, strategy, seed, maxSteps, b, keepFailing, jobs); }
        public Config withMaxSteps(long k) { return new Config(scenarios, variant, runs, strategy, seed, k, bugs, keepFailing, jobs); }
        public Config withKeepFailing(Path p) { return new Config(scenarios, variant, runs, strategy, seed, maxSteps, bugs, p, jobs); }
        public Config withJobs(int j) { return new Config(scenarios, variant, runs, strategy, seed, maxSteps, bugs, keepFailing, j); }
    }

    /** The first failing run: its seed and scenario, the checker's verdict, where its log was kept (or null). */
    public record Failure(long seed, String scenario, Verdict verdict, Path log) {}

    /**
     * The outcome of a batch. {@code violations}: invariant -> runs that refine the spec but
     * reach a state violating it (a behaviour of the spec under this variant, so the variant's
     * bug, not the implementation's). {@code simSeconds}: simulation time summed over the
     * {@code jobs} workers; {@code loads}: spec loads (checkers made).
     */
    public record Summary(Variant variant, String strategy, long runs, long steps, long refined, long diverged,
                          long violated, long bad, Map<String, Long> violations, Map<String, Long> perScenario,
                          long implObserved, double seconds, double simSeconds, Failure firstFailure, Failure firstDivergence,
                          int jobs, long loads) {
        public boolean ok() { return refined == runs; }
        public double stepsPerSecond() { return seconds > 0 ? steps / seconds : 0; }
    }

    /**
     * The scenarios where the variant's non-default choices make a difference: cpu_flush needs a
     * MADV_DONTNEED or a MADV_FREE, secondary a device or a vCPU (a notifier), shadow a vCPU; the default
     * variant fits them all. The bench-size scenarios (big, and issue 14's big3 and cow4) are left out.
     */
    public static List<Scenario> scenariosFor(Variant v) {
        List<Scenario> out = new ArrayList<>();
        for (String n : Scenarios.specNames()) {
            Scenario s = Scenarios.byName(n).orElseThrow();
            if (n.equals("big") || n.equals("big3") || n.equals("cow4")) continue;
            boolean fits = true;
            if (!v.cpuFlush().equals(Variant.DEFAULT.cpuFlush())) fits &= has(s, Op.MADVISE_DONTNEED) || has(s, Op.MADVISE_FREE);
            if (!v.secondary().equals(Variant.DEFAULT.secondary())) fits &= !s.devs().isEmpty() || !s.vcpus().isEmpty();
            if (!v.shadow().equals(Variant.DEFAULT.shadow())) fits &= !s.vcpus().isEmpty();
            if (!v.batchedFlush().equals(Variant.DEFAULT.batchedFlush())) fits &= has(s, Op.RECLAIM);
            if (fits) out.add(s);
        }
        return out;
    }

    private static boolean has(Scenario s, Op op) {
        for (List<Ins> p : s.cpus().values()) for (Ins i : p) if (i.op() == op) return true;
        return false;
    }

    /** Runs the batch on {@code c.jobs()} worker threads, with checkers and agent threads of their own. */
    public static Summary run(Config c, boolean stopAtFirstFailure) {
        return run(c, stopAtFirstFailure, null);
    }

    /**
     * Runs the batch on {@code c.jobs()} worker threads; {@code progress} (or null) gets a line
     * every {@link #PROGRESS_MILLIS} ms: runs, steps/s, failures so far, spec loads.
     */
    public static Summary run(Config c, boolean stopAtFirstFailure, java.io.PrintStream progress) {
        Batch b = new Batch(c, stopAtFirstFailure);
        List<Thread> workers = new ArrayList<>();
        java.util.concurrent.atomic.AtomicReference<Throwable> crash = new java.util.concurrent.atomic.AtomicReference<>();
        for (int w = 0; w < c.jobs(); w++) {
            Thread t = new Thread(() -> {
                try (Checkers checkers = new Checkers(RefinementChecker.Options.defaults(), PER_WORKER_CHECKERS);
                     AgentThreads threads = new AgentThreads()) {
                    b.work(checkers, threads);
                } catch (Throwable e) {
                    crash.compareAndSet(null, e);
                    b.abort();
                }
            }, "mmucheck-explore-" + w);
            workers.add(t);
            t.start();
        }
        long next = System.nanoTime() + PROGRESS_MILLIS * 1_000_000L;
        for (Thread t : workers) {
            while (true) {
                long wait = Math.max(1, (next - System.nanoTime()) / 1_000_000L);
                try {
                    t.join(progress == null ? 0 : wait);
                } catch (InterruptedException e) {
                    b.abort();
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException("explore interrupted");
                }
                if (!t.isAlive()) break;
                if (System.nanoTime() >= next) {
                    progress.println(b.progressLine());
                    progress.flush();
                    next += PROGRESS_MILLIS * 1_000_000L;
                }
            }
        }
        Throwable e = crash.get();
        if (e instanceof RuntimeException re) throw re;
        if (e instanceof Error er) throw er;
        if (e != null) throw new IllegalStateException(e);
        return b.summary();
    }

    /** Runs the batch in the calling thread with the caller's checkers and agent threads (kept between batches). */
    public static Summary run(Config c, Checkers checkers, AgentThreads threads, boolean stopAtFirstFailure) {
        Batch b = new Batch(c, stopAtFirstFailure);
        b.work(checkers, threads);
        return b.summary();
    }

    /** How often {@link #run(Config, boolean, java.io.PrintStream)} reports progress. */
    public static final long PROGRESS_MILLIS = 2000;
    /**
     * Checkers a worker keeps open: the schedule hands a worker one scenario's runs at a time
     * (see Batch), so it needs the one it works on and the one it just left.
     */
    static final int PER_WORKER_CHECKERS = 2;

    static Path keep(Path dir, String scenario, long seed, byte[] log) {
        if (dir == null) return null;
        try {
            Files.createDirectories(dir);
            Path p = dir.resolve("explore-" + scenario + "-seed" + seed + ".ndjson");
            Files.write(p, log);
            return p;
        } catch (IOException e) {
            return null; // the summary still carries the seed: simulate can write the log again
        }
    }

    /**
     * One reused checker per (scenario, variant): each loads its spec constants once (a TLC
     * class loader and a parse: seconds). At most {@code max} are kept open, least recently
     * used closed first, since each holds a copy of TLC.
     */
    public static final class Checkers implements AutoCloseable {
        private final RefinementChecker.Options options;
        private final int max;
        private final Map<String, RefinementChecker> byKey = new java.util.LinkedHashMap<>(16, 0.75f, true);
        private long loads;
        private java.util.concurrent.atomic.AtomicLong alsoCount;

        public Checkers(RefinementChecker.Options options, int max) {
            this.options = options;
            this.max = Math.max(1, max);
        }

        RefinementChecker get(String scenario, Variant v) {
            String key = scenario + "|" + v;
            RefinementChecker c = byKey.get(key);
            if (c == null) {
                if (byKey.size() >= max) {
                    var eldest = byKey.entrySet().iterator().next();
                    eldest.getValue().close();
                    byKey.remove(eldest.getKey());
                }
                c = new RefinementChecker(options);
                byKey.put(key, c);
                loads++;
                if (alsoCount != null) alsoCount.incrementAndGet();
            }
            return c;
        }

        /** Also counts the checkers made into {@code counter} (null: stop), for a batch's progress. */
        void countLoadsInto(java.util.concurrent.atomic.AtomicLong counter) { alsoCount = counter; }

        /** How many checkers were made (each loads a spec once). */
        public long loads() { return loads; }

        @Override
        public void close() {
            byKey.values().forEach(RefinementChecker::close);
            byKey.clear();
        }
    }
}
