package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mmucheck.impl.mm.Observation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import mmucheck.impl.sched.AgentThreads;

/**
 * S1, concurrent MADV_DONTNEED (fixed by 99baac21e458): under cpu_flush=gather a random walk
 * reaches the state where cpu0's madvise() returns while a TLB still maps the page cpu1's
 * zap cleared; under nested and always it never does.
 */
class S1RegressionTest {
    /** The first seed (of a search from 0) whose random walk reaches the stale state under gather. */
    static final long STALE_SEED = 108;

    private static final AgentThreads THREADS = new AgentThreads();

    @AfterAll
    static void close() { THREADS.close(); }

    static Simulation.Result s1(String cpuFlush, long seed) {
        return Simulation.run(Simulation.Config.of(Logs.scenario("S1"), Logs.variant("cpu_flush=" + cpuFlush), seed, 200),
                null, THREADS);
    }

    static long firstStaleSeed(String cpuFlush, long from, long to) {
        for (long seed = from; seed < to; seed++) {
            Simulation.Result r = s1(cpuFlush, seed);
            if (r.observed().stream().anyMatch(o -> o.kind().equals("stale-read"))) return seed;
        }
        return -1;
    }

    @Test
    void S1_concurrentMadvDontneed_99baac21e458() {
        Simulation.Result r = s1("gather", STALE_SEED);
        assertEquals("failed", r.end());
        Observation o = r.observed().get(0);
        assertEquals("stale-read", o.kind());
        assertEquals("cpu0", o.agent());
        assertEquals(1, o.va());
        assertEquals("completed", s1("nested", STALE_SEED).end());
        assertEquals("completed", s1("always", STALE_SEED).end());
    }

    @Test
    void aSeedSearchUnderGatherFindsTheKeptSeed() {
        assertEquals(STALE_SEED, firstStaleSeed("gather", 0, 1000));
    }

    @Test
    void nestedNeverGoesStale() {
        // 2,000 runs here (a few seconds); `mmucheck bench simulate` does the 10,000
        for (long seed = 0; seed < 2000; seed++) {
            Simulation.Result r = s1("nested", seed);
            assertTrue(r.observed().isEmpty(), "seed " + seed + ": " + r.observed());
            assertEquals("completed", r.end(), "seed " + seed);
        }
    }
}
