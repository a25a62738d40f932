package mmucheck.refinement.explore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import mmucheck.impl.Simulation;
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
     */
    public record Config(List<Scenario> scenarios, Variant variant, long runs, String strategy, long seed,
                         long maxSteps, Bugs bugs, Path keepFailing) {
        public Config {
            scenarios = List.copyOf(scenarios);
            if (scenarios.isEmpty()) throw new IllegalArgumentException("no scenario");
        }

        public static Config of(List<Scenario> s, Variant v, long runs, long seed) {
            return new Config(s, v, runs, "random", seed, 300, Bugs.NONE, null);
        }

        public Config withStrategy(String st) { return new Config(scenarios, variant, runs, st, seed, maxSteps, bugs, keepFailing); }
        public Config withBugs(Bugs b) { return new Config(scenarios, variant, runs, strategy, seed, maxSteps, b, keepFailing); }
        public Config withMaxSteps(long k) { return new Config(scenarios, variant, runs, strategy, seed, k, bugs, keepFailing); }
        public Config withKeepFailing(Path p) { return new Config(scenarios, variant, runs, strategy, seed, maxSteps, bugs, p); }
    }

    /** The first failing run: its seed and scenario, the checker's verdict, where its log was kept (or null). */
    public record Failure(long seed, String scenario, Verdict verdict, Path log) {}

    /**
     * The outcome of a batch. {@code violations}: invariant -> runs that refine the spec but
     * reach a state violating it (a behaviour of the spec under this variant, so the variant's
     * bug, not the implementation's). {@code stopAt}: runs stopped early when a run failed.
     */
    public record Summary(Variant variant, String strategy, long runs, long steps, long refined, long diverged,
                          long violated, long bad, Map<String, Long> violations, Map<String, Long> perScenario,
                          long implObserved, double seconds, double simSeconds, Failure firstFailure, Failure firstDivergence) {
        public boolean ok() { return refined == runs; }
        public double stepsPerSecond() { return seconds > 0 ? steps / seconds : 0; }
    }

    /**
     * The scenarios where the variant's non-default choices make a difference: cpu_flush needs a
     * MADV_DONTNEED or a MADV_FREE, secondary a device or a vCPU (a notifier), shadow a vCPU; the default
     * variant fits them all. The bench-size scenario "big" is left out.
     */
    public static List<Scenario> scenariosFor(Variant v) {
        List<Scenario> out = new ArrayList<>();
        for (String n : Scenarios.specNames()) {
            Scenario s = Scenarios.byName(n).orElseThrow();
            if (n.equals("big")) continue;
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

    /** Runs the batch, with checkers and agent threads of its own. */
    public static Summary run(Config c, boolean stopAtFirstFailure) {
        try (Checkers checkers = new Checkers(RefinementChecker.Options.defaults(), 4);
             AgentThreads threads = new AgentThreads()) {
            return run(c, checkers, threads, stopAtFirstFailure);
        }
    }

    /** Runs the batch; {@code stopAtFirstFailure}: stop after the first run that does not refine or violates. */
    public static Summary run(Config c, Checkers checkers, AgentThreads threads, boolean stopAtFirstFailure) {
        long t0 = System.nanoTime();
        long simNanos = 0;
        long steps = 0, refined = 0, diverged = 0, violated = 0, bad = 0, observed = 0, done = 0;
        Map<String, Long> violations = new TreeMap<>();
        Map<String, Long> perScenario = new TreeMap<>();
        Failure first = null, firstDiv = null;
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        for (long i = 0; i < c.runs(); i++) {
            Scenario sc = c.scenarios().get((int) (i % c.scenarios().size()));
            long seed = c.seed() + i;
            // mixed: each seed its own programs (and its own spec constants: a checker reload per run)
            if (sc.name().equals(Scenarios.MIXED)) sc = Scenarios.mixedPick(seed);
            Simulation.Config sim = new Simulation.Config(sc, c.variant(), seed, c.maxSteps(), c.strategy(), 3, false,
                    null, c.bugs());
            buf.reset();
            long ts = System.nanoTime();
            Simulation.Result r = Simulation.run(sim, buf, threads);
            simNanos += System.nanoTime() - ts;
            if (r.failed()) observed++;
            RefinementChecker checker = checkers.get(sc.name(), c.variant());
            Verdict v = checker.check(new ByteArrayInputStream(buf.toByteArray()));
            done++;
            steps += v.steps();
            perScenario.merge(sc.name(), 1L, Long::sum);
            switch (v.kind()) {
                case REFINES -> refined++;
                case DIVERGES -> diverged++;
                case VIOLATES -> {
                    violated++;
                    violations.merge(v.invariant(), 1L, Long::sum);
                }
                case BAD_INPUT -> bad++;
            }
            if (v.kind() != Verdict.Kind.REFINES) {
                boolean isDiv = v.kind() != Verdict.Kind.VIOLATES;
                if (first == null || (isDiv && firstDiv == null)) {
                    Path kept = keep(c.keepFailing(), sc.name(), seed, buf.toByteArray());
                    Failure f = new Failure(seed, sc.name(), v, kept);
                    if (first == null) first = f;
                    if (isDiv && firstDiv == null) firstDiv = f;
                }
                if (stopAtFirstFailure) break;
            }
        }
        double secs = (System.nanoTime() - t0) / 1e9;
        return new Summary(c.variant(), c.strategy(), done, steps, refined, diverged, violated, bad, violations,
                perScenario, observed, secs, simNanos / 1e9, first, firstDiv);
    }

    private static Path keep(Path dir, String scenario, long seed, byte[] log) {
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
            }
            return c;
        }

        /** How many checkers were made (each loads a spec once). */
        public long loads() { return loads; }

        @Override
        public void close() {
            byKey.values().forEach(RefinementChecker::close);
            byKey.clear();
        }
    }
}
