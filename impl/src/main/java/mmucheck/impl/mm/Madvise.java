package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;

/**
 * MADV_FREE: madvise_free_single_vma() and madvise_free_pte_range() of mm/madvise.c, Linux
 * 6.1. With mmap_lock held for reading: tlb_gather_mmu(), range_start, then per PT page under
 * its split lock each present dirty PTE is re-set clean (ptep_get_and_clear_full(),
 * pte_mkclean(), set_pte_at()) with its flush deferred to the gather (tlb_remove_tlb_entry());
 * the page becomes lazyfree (here: its PTE is clean, which is what reclaim tests); range_end;
 * tlb_finish_mmu() (the nested flush of 99baac21e458 applies). Swap entries are left alone.
 */
final class Madvise {
    private final Mm mm;
    private final PageTable pt;
    private final Zap zap;

    Madvise(Mm mm, Zap zap) {
        this.mm = mm;
        this.pt = mm.pt;
        this.zap = zap;
    }

    void madvise_free_single_vma(Cpu cpu, Task t, Ins ins) {
        int start = ins.lo(), end = ins.hi();
        Cpu.MmuGather tlb = cpu.gather;
        mm.mmap.mmap_read_lock();
        zap.tlb_gather_mmu(t, tlb, start, true);
        t.oblw.clear();
        mm.oblwVersion++;
        t.step("tlb_gather_mmu");

        t.point("mf_mn_start");
        mm.mmu_notifier_invalidate_range_start(start, end);
        t.stepA("mmu_notifier_invalidate_range_start");

        while (t.va <= end) {
            SpinLock ptl = Fault.pte_offset_map_lock_batched(mm, t, "mf_lock", t.va);
            madvise_free_pte_range(t, tlb, end);
            Fault.pte_unmap_unlock(t, "mf_unlock", ptl);
        }

        t.point("mf_mn_end");
        mm.mmu_notifier_invalidate_range_end(start, end);
        t.stepA("mmu_notifier_invalidate_range_end");

        zap.tlb_finish_mmu_nopages(t, tlb, start, end, "mf");
        mm.mmap.mmap_read_unlock(); // within dec_tlb_flush_pending's step
    }

    /** The PTEs of [t.va, end] this PT page covers, with its lock held, one step each. */
    private void madvise_free_pte_range(Task t, Cpu.MmuGather tlb, int end) {
        do {
            t.point("madvise_free_pte_range");
            int va = t.va;
            Pte p = pt.get(va);
            if (p.pte_present()) {
                if (p.pte_dirty()) { // pte_young() || pte_dirty(): the young bit is not modelled
                    pt.set_pte_at(va, p.pte_mkclean());
                    tlb.adjust_range(va); // tlb_remove_tlb_entry()
                }
                t.oblw.add(new Task.VaFrame(va, p.frame())); // ghost: ours to flush before returning
                mm.oblwVersion++;
            }
            mm.writes[va].clear(); // ghost: reclaim may now discard the contents
            mm.writesVersion++;
            t.va = va + 1;
            t.step("madvise_free_pte_range");
        } while (t.va <= end && pt.ptp(t.va) == t.ptp);
    }
}
