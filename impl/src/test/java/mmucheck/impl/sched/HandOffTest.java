package mmucheck.impl.sched;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The baton hand-off: one agent runs at a time, the run is the same whatever the timing
 * (spinning or parking waiters, threads reused across runs), and a run that ends wakes
 * every agent still waiting, spinning or parked.
 */
class HandOffTest {
    /** A run of {@code n} agents of {@code k} steps each; returns the agents' names in step order. */
    private static List<String> run(int n, int k, long seed, long spin, long maxSteps, AgentThreads threads,
                                    AtomicInteger inside, AtomicInteger worst, Scheduler.End[] end) {
        List<String> order = new ArrayList<>();
        Scheduler s = new Scheduler(Strategy.random(seed), Choices.recording(), (seq, st) -> order.add(st.agent()), maxSteps)
                .spinBeforePark(spin);
        for (int i = 0; i < n; i++) {
            s.add("a" + i, false, a -> {
                for (int j = 0; j < k; j++) {
                    a.point("p" + j, () -> true);
                    int now = inside.incrementAndGet(); // only the baton holder runs here
                    worst.accumulateAndGet(now, Math::max);
                    a.step("act", "a");
                    inside.decrementAndGet();
                }
                a.exit();
            });
        }
        end[0] = s.run(threads);
        return order;
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 200_000})
    void oneAgentAtATimeAndTheSameRunWhateverTheTiming(long spin) {
        AtomicInteger inside = new AtomicInteger(), worst = new AtomicInteger();
        Scheduler.End[] end = new Scheduler.End[1];
        try (AgentThreads threads = new AgentThreads()) {
            for (long seed = 0; seed < 30; seed++) {
                List<String> a = run(4, 25, seed, spin, 10_000, threads, inside, worst, end);
                assertEquals(Scheduler.EndKind.COMPLETED, end[0].kind());
                assertEquals(100, a.size());
                // the same seed without spinning and on fresh threads: the same interleaving
                List<String> b;
                try (AgentThreads fresh = new AgentThreads()) {
                    b = run(4, 25, seed, 0, 10_000, fresh, inside, worst, end);
                }
                assertEquals(b, a, "seed " + seed);
            }
            assertTrue(threads.created() <= 4, "threads are reused across runs: " + threads.created());
        }
        assertEquals(1, worst.get());
    }

    @ParameterizedTest
    @ValueSource(longs = {0, 200_000})
    void aStepLimitWakesEveryWaitingAgent(long spin) {
        AtomicInteger inside = new AtomicInteger(), worst = new AtomicInteger();
        Scheduler.End[] end = new Scheduler.End[1];
        assertTimeoutPreemptively(Duration.ofSeconds(20), () -> {
            try (AgentThreads threads = new AgentThreads()) {
                for (long seed = 0; seed < 50; seed++) {
                    List<String> order = run(5, 1000, seed, spin, 37, threads, inside, worst, end);
                    assertEquals(Scheduler.EndKind.STEP_LIMIT, end[0].kind());
                    assertEquals(37, order.size());
                }
                assertTrue(threads.created() <= 5, "threads are reused across runs: " + threads.created());
            }
        });
        assertEquals(1, worst.get());
    }

    @Test
    void theLastAgentToArriveStartsTheRunEvenIfItsProgramIsEmpty() {
        AtomicInteger steps = new AtomicInteger();
        Scheduler s = new Scheduler(Strategy.random(3), Choices.recording(), (seq, st) -> steps.incrementAndGet(), 100);
        s.add("busy", false, a -> {
            a.point("p", () -> true);
            a.step("act", "a");
            a.exit();
        });
        s.add("empty", false, Scheduler.Agent::exit);
        Scheduler.End e = assertTimeoutPreemptively(Duration.ofSeconds(10), () -> s.run());
        assertEquals(Scheduler.EndKind.COMPLETED, e.kind());
        assertEquals(1, steps.get());
    }

    /**
     * Scheduler.run returns when the pool has taken every agent's thread back, not on a signal
     * of its own: every way a run ends still returns that end, promptly, and leaves the pool
     * ready for the next run, many times over on the same threads.
     */
    @Test
    void everyKindOfEndReturnsItsEndOnReusedThreads() {
        List<Scheduler.EndKind> kinds = List.of(Scheduler.EndKind.COMPLETED, Scheduler.EndKind.STEP_LIMIT,
                Scheduler.EndKind.DEADLOCK, Scheduler.EndKind.ERROR);
        assertTimeoutPreemptively(Duration.ofSeconds(30), () -> {
            try (AgentThreads threads = new AgentThreads()) {
                for (int round = 0; round < 200; round++) {
                    Scheduler.EndKind want = kinds.get(round % kinds.size());
                    // 3 agents x 10 steps: a limit of 20 stops the run before it completes
                    Scheduler s = new Scheduler(Strategy.random(round), Choices.recording(), (seq, st) -> {},
                            want == Scheduler.EndKind.STEP_LIMIT ? 20 : 100);
                    for (int i = 0; i < 3; i++) {
                        boolean thrower = i == 1;
                        s.add("a" + i, false, a -> {
                            for (int j = 0; j < 10; j++) {
                                // every agent waits for a guard that never holds: a deadlock
                                a.point("p" + j, () -> want != Scheduler.EndKind.DEADLOCK);
                                a.step("act", "a");
                                if (thrower && want == Scheduler.EndKind.ERROR) throw new IllegalStateException("injected");
                            }
                            a.exit();
                        });
                    }
                    Scheduler.End e = s.run(threads);
                    assertEquals(want, e.kind(), "round " + round + ": " + e.reason());
                    if (want == Scheduler.EndKind.COMPLETED) assertEquals(30, e.steps());
                }
                assertTrue(threads.created() <= 3, "threads are reused across runs: " + threads.created());
            }
        });
    }
}
