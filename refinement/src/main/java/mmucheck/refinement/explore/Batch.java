package mmucheck.refinement.explore;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import mmucheck.impl.Simulation;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;

/**
 * One explore batch shared by its workers: which runs each worker takes next, and the summary.
 *
 * <p>Run i is scenarios[i mod n] with seed {@code seed + i}, whatever the order runs are taken
 * in, and each run depends on nothing else, so the summary is the same for any number of
 * workers. The runs are taken in windows of consecutive indices, and inside a window scenario by
 * scenario: a worker keeps one scenario's runs (chunks of {@link #CHUNK}) until that scenario's
 * share of the window is done, then moves to the scenario nobody works on with the most runs
 * left. So a spec is loaded about once per scenario and window, not once per run: the old
 * round-robin order with four checkers kept open reloaded a spec for nearly every run when
 * more than four scenarios were cycled (29 steps/s, and the code cache filled with the
 * dropped TLC loaders' compiled code).
 *
 * <p>Stopping at the first failure: a failing run at index f makes every later index moot;
 * windows start small and grow, and results are folded into the summary window by window in
 * index order, up to f, so the counts are those of running 0..f in order.
 */
final class Batch {
    /** Runs of one scenario a worker takes at a time. */
    static final int CHUNK = 16;
    /** Runs per scenario in a window: the most, and the first window's when stopping at a failure. */
    static final int MAX_PER_SCENARIO = 4096, FIRST_PER_SCENARIO = 8;

    private static final byte PENDING = 0, REFINES = 1, DIVERGES = 2, VIOLATES = 3, BAD = 4;

    private final Explorer.Config c;
    private final boolean stopAtFirst;
    private final int n;
    private final long t0 = System.nanoTime();

    /** Windows handed out and not yet folded, oldest first. */
    private final ArrayDeque<Window> open = new ArrayDeque<>();
    private long nextStart;
    private int windows;
    private boolean aborted;
    /** The first failing index when stopping at a failure (nothing after it counts). */
    private volatile long stopAt = Long.MAX_VALUE;

    // the summary so far (folded windows), under the lock
    private long runs, steps, refined, diverged, violated, bad, observed;
    private final Map<String, Long> violations = new TreeMap<>();
    private final Map<String, Long> perScenario = new TreeMap<>();
    private long firstIndex = Long.MAX_VALUE, firstDivIndex = Long.MAX_VALUE;
    private Candidate first, firstDiv;

    // progress, updated by the workers as runs finish
    final AtomicLong doneRuns = new AtomicLong(), doneSteps = new AtomicLong(), failures = new AtomicLong(),
            loads = new AtomicLong(), simNanos = new AtomicLong();

    Batch(Explorer.Config c, boolean stopAtFirst) {
        this.c = c;
        this.stopAtFirst = stopAtFirst;
        this.n = c.scenarios().size();
    }

    /** A failing run kept until it is known whether it is the first: its log is written only then. */
    private record Candidate(long seed, String scenario, Verdict verdict, byte[] log) {}

    /** Consecutive run indices [start, end); scenario s's runs are start + ((s - start) mod n) + k n. */
    private final class Window {
        final long start, end;
        final int[] handed, active;
        final int[] count;
        int outstanding;
        final byte[] kind;
        final int[] runSteps;
        final boolean[] runObserved;
        final String[] invariant, scenario;

        Window(long start, long end) {
            this.start = start;
            this.end = end;
            handed = new int[n];
            active = new int[n];
            count = new int[n];
            for (int s = 0; s < n; s++) {
                long f = firstOf(s);
                count[s] = f < end ? (int) ((end - 1 - f) / n + 1) : 0;
            }
            int size = (int) (end - start);
            kind = new byte[size];
            runSteps = new int[size];
            runObserved = new boolean[size];
            invariant = new String[size];
            scenario = new String[size];
        }

        long firstOf(int s) { return start + Math.floorMod(s - start, (long) n); }

        int left(int s) { return count[s] - handed[s]; }

        boolean allHanded() {
            for (int s = 0; s < n; s++) if (left(s) > 0) return false;
            return true;
        }
    }

    /** Runs firstOf(s) + (from + j) n for j < count. */
    private record Chunk(Window w, int s, int from, int count) {}

    /** The next chunk for a worker that last worked on scenario {@code last} (-1: none); null when all are handed out. */
    private synchronized Chunk next(int last) {
        while (true) {
            if (aborted) return null;
            Window w = null;
            for (Window x : open) if (!x.allHanded()) { w = x; break; }
            if (w == null) {
                if (nextStart >= c.runs() || nextStart > stopAt) return null;
                int per = stopAtFirst ? (int) Math.min(MAX_PER_SCENARIO, (long) FIRST_PER_SCENARIO << Math.min(windows, 20))
                        : MAX_PER_SCENARIO;
                long end = Math.min(c.runs(), nextStart + (long) per * n);
                w = new Window(nextStart, end);
                open.addLast(w);
                nextStart = end;
                windows++;
            }
            int s = last >= 0 && w.left(last) > 0 ? last : -1;
            if (s < 0) {
                // a scenario nobody works on (no second spec load), the one with most runs left
                for (int pass = 0; pass < 2 && s < 0; pass++) {
                    for (int x = 0; x < n; x++) {
                        if (w.left(x) == 0 || (pass == 0 && w.active[x] > 0)) continue;
                        if (s < 0 || w.left(x) > w.left(s)) s = x;
                    }
                }
            }
            if (s < 0) continue; // cannot happen: w has runs left
            int k = Math.min(CHUNK, w.left(s));
            Chunk ch = new Chunk(w, s, w.handed[s], k);
            w.handed[s] += k;
            w.active[s]++;
            w.outstanding++;
            return ch;
        }
    }

    /** A worker's loop: takes chunks until none are left. */
    void work(Explorer.Checkers checkers, AgentThreads threads) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream(1 << 16);
        checkers.countLoadsInto(loads);
        try {
            int last = -1;
            Chunk ch;
            while ((ch = next(last)) != null) {
                last = ch.s();
                Window w = ch.w();
                long f = w.firstOf(ch.s());
                for (int j = 0; j < ch.count(); j++) {
                    long i = f + (long) (ch.from() + j) * n;
                    if (i > stopAt) continue; // moot: an earlier run failed
                    runOne(w, i, checkers, threads, buf);
                }
                done(ch);
            }
        } finally {
            checkers.countLoadsInto(null);
        }
    }

    private void runOne(Window w, long i, Explorer.Checkers checkers, AgentThreads threads, ByteArrayOutputStream buf) {
        Scenario sc = c.scenarios().get((int) (i % n));
        long seed = c.seed() + i;
        // mixed: each seed its own programs (and its own spec constants: a checker reload per run)
        if (sc.name().equals(Scenarios.MIXED)) sc = Scenarios.mixedPick(seed);
        Simulation.Config sim = new Simulation.Config(sc, c.variant(), seed, c.maxSteps(), c.strategy(), 3, false,
                null, c.bugs());
        buf.reset();
        long ts = System.nanoTime();
        Simulation.Result r = Simulation.run(sim, buf, threads);
        simNanos.addAndGet(System.nanoTime() - ts);
        RefinementChecker checker = checkers.get(sc.name(), c.variant());
        Verdict v = checker.check(new ByteArrayInputStream(buf.toByteArray()));
        int at = (int) (i - w.start);
        w.runSteps[at] = (int) v.steps();
        w.runObserved[at] = r.failed();
        w.scenario[at] = sc.name();
        w.invariant[at] = v.invariant();
        w.kind[at] = switch (v.kind()) {
            case REFINES -> REFINES;
            case DIVERGES -> DIVERGES;
            case VIOLATES -> VIOLATES;
            case BAD_INPUT -> BAD;
        };
        doneRuns.incrementAndGet();
        doneSteps.addAndGet(v.steps());
        if (v.kind() != Verdict.Kind.REFINES) {
            failures.incrementAndGet();
            offer(i, seed, sc.name(), v, buf);
        }
    }

    /** Keeps a failing run if it is the earliest so far (of any failure, or of divergences). */
    private synchronized void offer(long i, long seed, String scenario, Verdict v, ByteArrayOutputStream buf) {
        boolean isDiv = v.kind() != Verdict.Kind.VIOLATES;
        boolean firstNow = i < firstIndex, divNow = isDiv && i < firstDivIndex;
        if (!firstNow && !divNow) return;
        Candidate cand = new Candidate(seed, scenario, v, buf.toByteArray());
        if (firstNow) {
            firstIndex = i;
            first = cand;
        }
        if (divNow) {
            firstDivIndex = i;
            firstDiv = cand;
        }
        if (stopAtFirst && i < stopAt) stopAt = i;
    }

    /** A chunk is finished: fold every finished window at the head, in index order. */
    private synchronized void done(Chunk ch) {
        ch.w().outstanding--;
        ch.w().active[ch.s()]--;
        while (!open.isEmpty() && open.peekFirst().allHanded() && open.peekFirst().outstanding == 0) {
            fold(open.pollFirst());
        }
    }

    private void fold(Window w) {
        long until = Math.min(w.end, stopAt == Long.MAX_VALUE ? Long.MAX_VALUE : stopAt + 1);
        for (long i = w.start; i < until; i++) {
            int at = (int) (i - w.start);
            runs++;
            steps += w.runSteps[at];
            if (w.runObserved[at]) observed++;
            perScenario.merge(w.scenario[at], 1L, Long::sum);
            switch (w.kind[at]) {
                case REFINES -> refined++;
                case DIVERGES -> diverged++;
                case VIOLATES -> {
                    violated++;
                    violations.merge(w.invariant[at], 1L, Long::sum);
                }
                case BAD -> bad++;
                default -> throw new IllegalStateException("run " + i + " folded before it ran");
            }
        }
    }

    synchronized void abort() {
        aborted = true;
    }

    /** One line for stderr: runs, steps/s, failures so far, spec loads. */
    String progressLine() {
        double secs = (System.nanoTime() - t0) / 1e9;
        long r = doneRuns.get(), st = doneSteps.get();
        return String.format("explore: %d/%d runs, %d steps, %.0f steps/s, %d failing so far, %d spec loads, %.0f s",
                r, c.runs(), st, secs > 0 ? st / secs : 0, failures.get(), loads.get(), secs);
    }

    /** The summary, once every worker is done. */
    synchronized Explorer.Summary summary() {
        double secs = (System.nanoTime() - t0) / 1e9;
        Explorer.Failure f = failure(first, firstIndex);
        // stopping at the first failure, a later divergence was not reached in run order
        Explorer.Failure fd = firstDivIndex <= stopAt ? (firstDivIndex == firstIndex ? f : failure(firstDiv, firstDivIndex))
                : null;
        return new Explorer.Summary(c.variant(), c.strategy(), runs, steps, refined, diverged, violated, bad,
                violations, perScenario, observed, secs, simNanos.get() / 1e9, f, fd, c.jobs(), loads.get());
    }

    private Explorer.Failure failure(Candidate cand, long index) {
        if (cand == null || index == Long.MAX_VALUE) return null;
        return new Explorer.Failure(cand.seed(), cand.scenario(), cand.verdict(),
                Explorer.keep(c.keepFailing(), cand.scenario(), cand.seed(), cand.log()));
    }
}
