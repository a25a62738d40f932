package mmucheck.impl.scenario;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code mixed} workload: Scenarios.tla's MixedSc(MixedSeed, MixedLength), a seeded random
 * workload of every operation, drawn by the same linear congruential generator (modulo 2^15, so
 * TLC's 32-bit integers evaluate it too). A mixed log's header carries the seed and the length as
 * the constants MixedSeed and MixedLength, and the spec computes the same programs from them.
 */
public final class Mixed {
    private Mixed() {}

    /** The generator's modulus: MixedSeed is taken modulo it. */
    public static final int MODULUS = 32768;

    /** The longest program the spec accepts (its ASSUME on MixedLength). */
    public static final int MAX_LENGTH = 1_000_000;

    private static final Op[] OPS = {Op.LOAD, Op.STORE, Op.MADVISE_DONTNEED, Op.MADVISE_FREE, Op.MPROTECT_RO,
            Op.MPROTECT_RW, Op.MIGRATE, Op.SWAP_OUT, Op.KSM};

    /** LcgNext(x). */
    static int next(int x) { return (1105 * x + 12345) % MODULUS; }

    /** Draw(s, i, k): the i-th draw of seed s, in 0..k-1 (one at a time; {@link Draws} for many). */
    static int draw(int s, int i, int k) {
        int x = Math.floorMod(s, MODULUS);
        for (int n = 0; n < i; n++) x = next(x);
        return (x / 256) % k;
    }

    /** The generator's states 0..n of one seed, computed once (the spec jumps to each instead). */
    private static final class Draws {
        private final int[] x;

        Draws(int s, int n) {
            x = new int[n + 1];
            x[0] = Math.floorMod(s, MODULUS);
            for (int i = 1; i <= n; i++) x[i] = next(x[i - 1]);
        }

        int draw(int i, int k) { return (x[i] / 256) % k; }
    }

    private static boolean range(Op op) {
        return op == Op.MADVISE_DONTNEED || op == Op.MADVISE_FREE || op == Op.MPROTECT_RO || op == Op.MPROTECT_RW;
    }

    /** MixedIns(s, len, n, j). */
    private static Ins ins(Draws d, int len, int n, int j) {
        int b = 1 + 3 * (len * n + j);
        Op op = OPS[d.draw(b, OPS.length)];
        int lo = d.draw(b + 1, 2) + 1;
        int hi = range(op) ? lo + d.draw(b + 2, 3 - lo) : lo;
        return new Ins(op, lo, hi);
    }

    /** MixedAccess(s, len, k). */
    private static Ins access(Draws d, int len, int k) {
        int b = 6 * len + 2 + 2 * k;
        int va = d.draw(b + 1, 2) + 1;
        return new Ins(d.draw(b, 2) == 0 ? Op.LOAD : Op.STORE, va, va);
    }

    /** MixedSc(s, 2), named "mixed": the bundled models' length. */
    public static Scenario scenario(int seed) {
        return scenario(seed, Scenario.DEFAULT_MIXED_LENGTH);
    }

    /** MixedSc(s, len), named "mixed": two CPUs of {@code len} instructions each. */
    public static Scenario scenario(int seed, int len) {
        if (len < 1 || len > MAX_LENGTH) throw new IllegalArgumentException("mixed length " + len + " not in 1.." + MAX_LENGTH);
        int s = Math.floorMod(seed, MODULUS);
        int naccess = len > 1 ? len - 1 : 1;
        Draws d = new Draws(s, 6 * len + 3 + 2 * naccess);
        Map<String, List<Ins>> cpus = new TreeMap<>();
        for (int n = 0; n < 2; n++) {
            List<Ins> p = new ArrayList<>(len);
            for (int j = 0; j < len; j++) p.add(ins(d, len, n, j));
            cpus.put("cpu" + n, Collections.unmodifiableList(p));
        }
        List<Ins> accesses = new ArrayList<>(naccess);
        for (int k = 0; k < naccess; k++) accesses.add(access(d, len, k));
        int extra = d.draw(6 * len + 1, 3);
        Map<String, List<Ins>> devs = extra == 1 ? Map.of("dev0", Collections.unmodifiableList(accesses)) : Map.of();
        Map<String, List<Ins>> vcpus = extra == 2 ? Map.of("vcpu0", Collections.unmodifiableList(accesses)) : Map.of();
        return new Scenario(Scenarios.MIXED, 2, 5, new int[] {1, 2},
                List.of(Scenario.PteInit.present(1, true), Scenario.PteInit.present(2, false)),
                new int[] {1, 2, 1, 0, 0}, 3, 8, Collections.unmodifiableMap(cpus), devs, vcpus, s, len);
    }
}
