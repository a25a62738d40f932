package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Op;

/**
 * mprotect(): do_mprotect_pkey(), mprotect_fixup(), change_protection() and change_pte_range()
 * of mm/mprotect.c, Linux 6.1. With mmap_lock held for writing: tlb_gather_mmu(),
 * vma->vm_flags = newflags, range_start (MMU_NOTIFY_PROTECTION_VMA), under each PT lock
 * ptep_modify_prot_start()/commit() write-protecting present PTEs (flush gathered:
 * pte_needs_flush()) and making writable migration entries readable, range_end, and
 * tlb_finish_mmu() before the syscall returns. PROT_WRITE only sets VM_WRITE: the PTEs stay
 * read-only (can_change_pte_writable() is false here) and a store takes wp_page_reuse().
 */
final class Mprotect {
    private final Mm mm;
    private final PageTable pt;
    private final Zap zap;

    Mprotect(Mm mm, Zap zap) {
        this.mm = mm;
        this.pt = mm.pt;
        this.zap = zap;
    }

    void do_mprotect_pkey(Cpu cpu, Task t, Ins ins) {
        int start = ins.lo(), end = ins.hi();
        boolean write = ins.op() == Op.MPROTECT_RW;
        Cpu.MmuGather tlb = cpu.gather;
        mm.mmap.mmap_write_lock(t);
        zap.tlb_gather_mmu(t, tlb, start, false);
        t.oblw.clear();
        mm.oblwVersion++;
        t.step("tlb_gather_mmu");

        t.point("mprotect_fixup");
        for (int va = start; va <= end; va++) mm.vma[va] = write; // vma->vm_flags = newflags
        mm.vmaVersion++;
        t.step("mprotect_fixup");

        t.point("mp_mn_start");
        mm.mmu_notifier_invalidate_range_start(start, end);
        t.stepA("mmu_notifier_invalidate_range_start");

        while (t.va <= end) {
            SpinLock ptl = Fault.pte_offset_map_lock_batched(mm, t, "mp_lock", t.va);
            change_pte_range(t, tlb, end, write);
            Fault.pte_unmap_unlock(t, "mp_unlock", ptl);
        }

        t.point("mp_mn_end");
        mm.mmu_notifier_invalidate_range_end(start, end);
        t.stepA("mmu_notifier_invalidate_range_end");

        zap.tlb_finish_mmu_nopages(t, tlb, start, end, "mp");
        mm.mmap.mmap_write_unlock(); // within dec_tlb_flush_pending's step
    }

    /** The PTEs of [t.va, end] this PT page covers, with its lock held, one step each. */
    private void change_pte_range(Task t, Cpu.MmuGather tlb, int end, boolean write) {
        do {
            t.point("change_pte_range");
            int va = t.va;
            Pte p = pt.get(va);
            if (!write && p.pte_present()) {
                if (p.pte_write()) {
                    pt.set_pte_at(va, p.pte_wrprotect()); // ptep_modify_prot_start() + _commit()
                    tlb.adjust_range(va);                 // tlb_flush_pte_range()
                }
                t.oblw.add(new Task.VaFrame(va, p.frame())); // ghost: ours to flush before returning
                mm.oblwVersion++;
            } else if (!write && p.kind() == Pte.Kind.MIGRATION && p.pte_write()) {
                pt.set_pte_at(va, p.pte_wrprotect()); // make_readable_migration_entry(): no flush
            }
            t.va = va + 1;
            t.step("change_pte_range");
        } while (t.va <= end && pt.ptp(t.va) == t.ptp);
    }
}
