package mmucheck.impl.scenario;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code mixed} workload: Scenarios.tla's MixedSc(MixedSeed), a seeded random workload of
 * every operation, drawn by the same linear congruential generator (modulo 2^15, so TLC's
 * 32-bit integers evaluate it too). A mixed log's header carries the seed as the constant
 * MixedSeed, and the spec computes the same programs from it.
 */
public final class Mixed {
    private Mixed() {}

    /** The generator's modulus: MixedSeed is taken modulo it. */
    public static final int MODULUS = 32768;

    private static final Op[] OPS = {Op.LOAD, Op.STORE, Op.MADVISE_DONTNEED, Op.MADVISE_FREE, Op.MPROTECT_RO,
            Op.MPROTECT_RW, Op.MIGRATE, Op.SWAP_OUT, Op.KSM};

    /** LcgNext(x). */
    static int next(int x) { return (1105 * x + 12345) % MODULUS; }

    /** Draw(s, i, k): the i-th draw of seed s, in 0..k-1. */
    static int draw(int s, int i, int k) {
        int x = Math.floorMod(s, MODULUS);
        for (int n = 0; n < i; n++) x = next(x);
        return (x / 256) % k;
    }

    private static boolean range(Op op) {
        return op == Op.MADVISE_DONTNEED || op == Op.MADVISE_FREE || op == Op.MPROTECT_RO || op == Op.MPROTECT_RW;
    }

    /** MixedIns(s, n, j). */
    static Ins ins(int s, int n, int j) {
        int b = 1 + 3 * (2 * n + j);
        Op op = OPS[draw(s, b, OPS.length)];
        int lo = draw(s, b + 1, 2) + 1;
        int hi = range(op) ? lo + draw(s, b + 2, 3 - lo) : lo;
        return new Ins(op, lo, hi);
    }

    /** MixedAccess(s). */
    static Ins access(int s) {
        int va = draw(s, 15, 2) + 1;
        return new Ins(draw(s, 14, 2) == 0 ? Op.LOAD : Op.STORE, va, va);
    }

    /** MixedSc(s), named "mixed". */
    public static Scenario scenario(int seed) {
        int s = Math.floorMod(seed, MODULUS);
        Map<String, List<Ins>> cpus = new TreeMap<>();
        cpus.put("cpu0", List.of(ins(s, 0, 0), ins(s, 0, 1)));
        cpus.put("cpu1", List.of(ins(s, 1, 0), ins(s, 1, 1)));
        int extra = draw(s, 13, 3);
        Map<String, List<Ins>> devs = extra == 1 ? Map.of("dev0", List.of(access(s))) : Map.of();
        Map<String, List<Ins>> vcpus = extra == 2 ? Map.of("vcpu0", List.of(access(s))) : Map.of();
        return new Scenario(Scenarios.MIXED, 2, 5, new int[] {1, 2},
                List.of(Scenario.PteInit.present(1, true), Scenario.PteInit.present(2, false)),
                new int[] {1, 2, 1, 0, 0}, 3, 8, java.util.Collections.unmodifiableMap(cpus), devs, vcpus, s);
    }
}
