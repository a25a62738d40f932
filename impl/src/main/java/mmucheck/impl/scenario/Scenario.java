package mmucheck.impl.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One workload of Scenarios.tla: virtual pages 1..nva, frames 1..nframe, the PT page of
 * each va, the initial PTEs and refcounts, the KSM stable frame (0: none), the mmu_gather
 * batch size, and each agent's program. Agents are kept in the spec's (sorted) order.
 * {@code mixedSeed}: the spec's constant MixedSeed (the seed of a {@code mixed} workload, 0
 * for the fixed ones); {@code mixedLength}: its constant MixedLength (instructions per CPU of a
 * {@code mixed} workload, {@link #DEFAULT_MIXED_LENGTH} for the fixed ones).
 */
public record Scenario(String name, int nva, int nframe, int[] ptp, List<PteInit> pte, int[] ref,
                       int ksm, int batch, Map<String, List<Ins>> cpus, Map<String, List<Ins>> devs,
                       Map<String, List<Ins>> vcpus, int mixedSeed, int mixedLength) {

    /** MixedLength of every bundled model (and of logs whose header does not name it). */
    public static final int DEFAULT_MIXED_LENGTH = 2;

    /** A fixed workload (MixedSeed 0, MixedLength 2). */
    public Scenario(String name, int nva, int nframe, int[] ptp, List<PteInit> pte, int[] ref, int ksm, int batch,
                    Map<String, List<Ins>> cpus, Map<String, List<Ins>> devs, Map<String, List<Ins>> vcpus) {
        this(name, nva, nframe, ptp, pte, ref, ksm, batch, cpus, devs, vcpus, 0, DEFAULT_MIXED_LENGTH);
    }

    /** An initial PTE: kind "none" | "present" | "swap" | "migration", frame, writable. */
    public record PteInit(String k, int f, boolean w) {
        public static PteInit present(int f, boolean w) { return new PteInit("present", f, w); }
    }

    /** PTP(v), v in 1..nva. */
    public int ptpOf(int va) { return ptp[va - 1]; }

    /** Number of page-table pages (the spec's PTPAGES is 1..that in every scenario). */
    public int nptp() {
        int m = 0;
        for (int p : ptp) m = Math.max(m, p);
        return m;
    }

    /** Every agent: CPUs, then devices, then vCPUs, each in sorted name order. */
    public List<String> agents() {
        List<String> a = new ArrayList<>(cpus.keySet());
        a.addAll(devs.keySet());
        a.addAll(vcpus.keySet());
        return a;
    }
}
