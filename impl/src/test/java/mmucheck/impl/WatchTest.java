package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The run-time watch on seeds a search found (the first of 0..299 with an observation):
 * the broken variant is caught, the fixed variant on the same seed is not.
 */
class WatchTest {
    private static Simulation.Result run(String sc, String variant, long seed) {
        return Simulation.run(Simulation.Config.of(Logs.scenario(sc), Logs.variant(variant), seed, 500), null);
    }

    @ParameterizedTest
    @CsvSource({
        // scenario, broken variant, fixed variant, seed, what the watch sees
        "caseA, secondary=range_end, secondary=under_ptl, 3, use-after-free",
        "andrea-zap, secondary=none, secondary=range_end, 5, use-after-free",
        "andrea-migration, secondary=none, secondary=range_end, 37, use-after-free",
        "kvm-zap, shadow=start_only, shadow=seq, 0, use-after-free",
        "S1, cpu_flush=gather, cpu_flush=nested, 108, stale-read",
        // issue 16: a device's IOTLB still maps what cpu0's MADV_DONTNEED saw unmapped
        "s1-dev, secondary=skip_none, secondary=v6_6, 161, stale-iotlb",
        "s1-dev, 'cpu_flush=gather,secondary=v6_6', 'cpu_flush=nested,secondary=v6_6', 22, stale-iotlb",
    })
    void brokenVariantCaughtFixedVariantClean(String sc, String broken, String fixed, long seed, String kind) {
        Simulation.Result bad = run(sc, broken, seed);
        assertEquals("failed", bad.end());
        assertTrue(bad.observed().stream().anyMatch(o -> o.kind().equals(kind)), bad.observed().toString());
        Simulation.Result good = run(sc, fixed, seed);
        assertEquals("completed", good.end(), good.observed().toString());
    }
}
