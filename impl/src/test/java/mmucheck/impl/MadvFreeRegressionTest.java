package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import mmucheck.impl.mm.Observation;
import mmucheck.impl.sched.AgentThreads;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * madv-free-race, the MADV_FREE half of 99baac21e458: under cpu_flush=gather a random walk
 * reaches the state where cpu0's MADV_FREE returns while a TLB can still store to the page
 * cpu1's madvise_free_pte_range() cleaned, without setting its dirty bit; under nested never.
 */
class MadvFreeRegressionTest {
    private static final AgentThreads THREADS = new AgentThreads();

    @AfterAll
    static void close() { THREADS.close(); }

    static Simulation.Result race(String cpuFlush, long seed) {
        return Simulation.run(Simulation.Config.of(Logs.scenario("madv-free-race"), Logs.variant("cpu_flush=" + cpuFlush),
                seed, 200), null, THREADS);
    }

    static long firstStaleSeed(String cpuFlush, long from, long to) {
        for (long seed = from; seed < to; seed++) {
            if (race(cpuFlush, seed).observed().stream().anyMatch(o -> o.kind().equals("stale-write"))) return seed;
        }
        return -1;
    }

    @Test
    void madvFreeRace_99baac21e458() {
        long seed = firstStaleSeed("gather", 0, 3000);
        assertTrue(seed >= 0, "no seed in 0..2999 reaches the stale writable entry under gather");
        Simulation.Result r = race("gather", seed);
        assertEquals("failed", r.end());
        Observation o = r.observed().get(0);
        assertEquals("stale-write", o.kind());
        assertEquals("cpu0", o.agent());
        assertEquals(1, o.va());
        assertEquals("completed", race("nested", seed).end());
    }

    @Test
    void nestedNeverLeavesAWritableEntry() {
        for (long seed = 0; seed < 1000; seed++) {
            Simulation.Result r = race("nested", seed);
            assertTrue(r.observed().isEmpty(), "seed " + seed + ": " + r.observed());
            assertEquals("completed", r.end(), "seed " + seed);
        }
    }
}
