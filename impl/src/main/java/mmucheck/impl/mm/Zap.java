package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;

/**
 * MADV_DONTNEED: zap_page_range() of mm/memory.c, v4.13: tlb_gather_mmu(),
 * mmu_notifier_invalidate_range_start(), zap_pte_range() per PT page under its split lock
 * (a full batch forces tlb_flush_mmu_tlbonly() under the lock, then the unlock, then
 * tlb_flush_mmu_free()), mmu_notifier_invalidate_range_end(), and tlb_finish_mmu(), whose
 * final flush range depends on cpu_flush: the gathered range ("gather"), the whole range
 * when mm_tlb_flush_nested() ("nested", 99baac21e458) or always ("always", 4647706ebeee),
 * ending with dec_tlb_flush_pending().
 */
final class Zap {
    private final Mm mm;
    private final PageTable pt;

    Zap(Mm mm) {
        this.mm = mm;
        this.pt = mm.pt;
    }

    void zap_page_range(Cpu cpu, Task t, Ins ins) {
        int start = ins.lo(), end = ins.hi();
        Cpu.MmuGather tlb = cpu.gather;
        mm.mmap.mmap_read_lock();
        tlb_gather_mmu(t, tlb, start, true);
        t.obl.clear();
        mm.oblVersion++;
        t.step("tlb_gather_mmu");

        t.point("zap_mn_start");
        mm.mmu_notifier_invalidate_range_start(start, end);
        t.stepA("mmu_notifier_invalidate_range_start");

        while (t.va <= end) {
            SpinLock ptl = Fault.pte_offset_map_lock_batched(mm, t, "zap_lock", t.va);
            zap_pte_range(t, tlb, ptl, end);
        }

        t.point("zap_mn_end");
        if (!mm.bugs.has(Bug.MISSING_RANGE_END)) mm.mmu_notifier_invalidate_range_end(start, end);
        t.stepA("mmu_notifier_invalidate_range_end");

        tlb_finish_mmu(t, tlb, start, end);
        mm.mmap.mmap_read_unlock(); // within dec_tlb_flush_pending's step
    }

    /**
     * tlb_gather_mmu() -> inc_tlb_flush_pending() (the caller names the step, after resetting
     * its obligations). {@code discards}: a MADV_DONTNEED or MADV_FREE, whose racing stores may be lost.
     */
    void tlb_gather_mmu(Task t, Cpu.MmuGather tlb, int start, boolean discards) {
        mm.tlbFlushPending++;
        if (discards) {
            t.zapLo = start; // ghost: a MADV_DONTNEED/MADV_FREE of [start, end] is in flight
            t.zapHi = t.cur().hi();
        }
        tlb.reset_range();
        tlb.batch.clear();
        tlb.version++;
        t.va = start;
    }

    /**
     * tlb_finish_mmu() of a gather that batched no pages (MADV_FREE, mprotect) at code point
     * {@code prefix}_finish, then dec_tlb_flush_pending() at {@code prefix}_dec_pending; the
     * system call returns. The run-time watch: nothing may still store, unseen, through a
     * translation the call cleaned or write-protected.
     */
    void tlb_finish_mmu_nopages(Task t, Cpu.MmuGather tlb, int start, int end, String prefix) {
        t.point(prefix + "_finish");
        int gLo = tlb.start, gHi = tlb.end;
        finalRange(tlb, start, end);
        tlb_flush_mmu_tlbonly(tlb, gLo, gHi);
        t.step("tlb_finish_mmu");

        t.point(prefix + "_dec_pending");
        mm.tlbFlushPending--;
        t.zapLo = t.zapHi = 0;
        t.finish();
        for (Task.VaFrame o : t.oblw) {
            for (Cpu c : mm.cpus) if (writable(c.tlb, o)) mm.watch("stale-write", t, o.va(), o.frame());
            for (IommuDevice d : mm.devices) if (writable(d.iotlb, o)) mm.watch("stale-write", t, o.va(), o.frame());
            if (writable(mm.kvm.spte, o)) mm.watch("stale-write", t, o.va(), o.frame());
        }
        // NoWriteToReadOnlyVma (issue 12): after mprotect(PROT_READ) no CPU may store to the range,
        // not even through a translation of a PTE reclaim unmapped and has not flushed yet
        if (prefix.equals("mp")) {
            for (int va = start; va <= end; va++) {
                if (mm.vma[va]) continue;
                for (Cpu c : mm.cpus) {
                    TlbEntry e = c.tlb.get(va);
                    if (e != null && e.writable()) mm.watch("stale-write", t, va, e.frame());
                }
            }
        }
        t.step("dec_tlb_flush_pending");
    }

    private static boolean writable(Tlb tlb, Task.VaFrame o) {
        TlbEntry e = tlb.get(o.va());
        return e != null && e.frame() == o.frame() && e.writable();
    }

    /** tlb_finish_mmu()'s range: the whole one under "always", or "nested" with another gather in flight. */
    private void finalRange(Cpu.MmuGather tlb, int start, int end) {
        String mode = mm.variant.cpuFlush();
        // mm_tlb_flush_nested(): another gather is in flight on this mm
        boolean nested = mm.tlbFlushPending > 1;
        if (mm.bugs.has(Bug.NO_NESTED_FORCE_FLUSH)) nested = false;
        if (mode.equals("always") || (mode.equals("nested") && nested)) {
            tlb.start = start;
            tlb.end = end;
            tlb.version++;
        }
    }

    /**
     * zap_pte_range(): with the PT lock held, clear the PTEs of [t.va, end] that this PT page
     * covers; returns with the lock released (after a forced flush, with the batch freed).
     */
    private void zap_pte_range(Task t, Cpu.MmuGather tlb, SpinLock ptl, int end) {
        boolean forceFlush;
        do {
            t.point("zap_pte_range");
            int va = t.va;
            Pte p = pt.get(va);
            // ghost: every translation of va still cached anywhere is now stale, and ours to flush
            for (Cpu c : mm.cpus) {
                TlbEntry e = c.tlb.get(va);
                if (e != null) t.obl.add(new Task.VaFrame(va, e.frame()));
            }
            mm.oblVersion++;
            forceFlush = false;
            if (p.pte_present()) {
                t.obl.add(new Task.VaFrame(va, p.frame()));
                pt.set_pte_at(va, Pte.NONE); // ptep_get_and_clear_full()
                tlb.adjust_range(va);       // tlb_remove_tlb_entry()
                tlb.batch.add(p.frame());   // __tlb_remove_page(): the mapping's reference moves to the batch
                tlb.version++;
                forceFlush = tlb.batch.size() >= mm.sc.batch();
            } else if (!p.pte_none()) {
                pt.set_pte_at(va, Pte.NONE); // a swap or migration entry: pte_clear_not_present_full()
                int sc = mm.swapcache[va];
                if (p.kind() == Pte.Kind.SWAP && sc != 0 && mm.frame(sc).unlocked()) {
                    // free_swap_and_cache(): its trylock_page() succeeded, the page leaves the swap cache
                    mm.swapcache[va] = 0;
                    mm.swapVersion++;
                    mm.alloc.put_page(mm.frame(sc));
                }
            }
            mm.writes[va].clear(); // ghost: MADV_DONTNEED discards the contents
            mm.writesVersion++;
            t.va = va + 1;
            t.step("zap_pte_range");
        } while (!forceFlush && t.va <= end && pt.ptp(t.va) == t.ptp);

        if (forceFlush) {
            t.point("zap_force_flush");
            tlb_flush_mmu_tlbonly(tlb);
            t.step("tlb_flush_mmu_tlbonly");
            Fault.pte_unmap_unlock(t, "zap_force_unlock", ptl);
            t.point("zap_force_free");
            tlb_flush_mmu_free(tlb);
            t.step("tlb_flush_mmu_free");
        } else {
            Fault.pte_unmap_unlock(t, "zap_unlock", ptl);
        }
    }

    /** Flush the CPUs (and, where the variant has it, ->invalidate_range) for the gathered range. */
    private void tlb_flush_mmu_tlbonly(Cpu.MmuGather tlb) {
        tlb_flush_mmu_tlbonly(tlb, tlb.start, tlb.end);
    }

    /**
     * The same, where tlb_finish_mmu() may have widened the range: [gLo, gHi] is what the caller
     * gathered itself, the secondary range under skip_none (gLo = 0: nothing gathered).
     */
    private void tlb_flush_mmu_tlbonly(Cpu.MmuGather tlb, int gLo, int gHi) {
        if (tlb.start != 0) {
            int end = tlb.end;
            if (mm.bugs.has(Bug.FLUSH_WRONG_RANGE)) end = tlb.end - 1; // an exclusive end, off by one
            mm.flush_tlb_mm_range(tlb.start, end);
        }
        int lo = tlb.start, hi = tlb.end;
        if (mm.variant.secondaryGatheredOnly()) {
            lo = gLo;
            hi = gHi;
        }
        if (lo != 0 && mm.variant.gatherInvalidates()) {
            if (mm.bugs.has(Bug.FLUSH_WRONG_RANGE)) hi = hi - 1;
            if (mm.bugs.has(Bug.SECONDARY_RANGE_CONSUMED) && mm.variant.archHook()) lo = hi;
            mm.mmu_notifier_invalidate_range(lo, hi);
        }
        tlb.reset_range();
    }

    /** Free the batched pages: put_page() of each. */
    private void tlb_flush_mmu_free(Cpu.MmuGather tlb) {
        for (int fr : tlb.batch) mm.alloc.put_page(mm.frame(fr));
        tlb.batch.clear();
        tlb.version++;
    }

    private void tlb_finish_mmu(Task t, Cpu.MmuGather tlb, int start, int end) {
        t.point("zap_finish");
        if (mm.bugs.has(Bug.PENDING_DEC_BEFORE_FLUSH)) mm.tlbFlushPending--;
        int gLo = tlb.start, gHi = tlb.end;
        finalRange(tlb, start, end);
        if (mm.bugs.has(Bug.FREE_BEFORE_FLUSH)) tlb_flush_mmu_free(tlb);
        tlb_flush_mmu_tlbonly(tlb, gLo, gHi);
        t.step("tlb_finish_mmu");

        t.point("zap_free");
        tlb_flush_mmu_free(tlb);
        t.step("tlb_flush_mmu_free");

        t.point("zap_dec_pending");
        if (!mm.bugs.has(Bug.PENDING_DEC_BEFORE_FLUSH)) mm.tlbFlushPending--; // dec_tlb_flush_pending(), after the flush
        t.zapLo = t.zapHi = 0;
        t.finish();
        // the run-time watch: madvise() returns while a TLB still maps what its zap unmapped
        for (Task.VaFrame o : t.obl) {
            for (Cpu c : mm.cpus) {
                TlbEntry e = c.tlb.get(o.va());
                if (e != null && e.frame() == o.frame()) mm.watch("stale-read", t, o.va(), o.frame());
            }
            // ... or a device's IOTLB does (NoStaleIotlbAfterReturn)
            for (IommuDevice d : mm.devices) {
                TlbEntry e = d.iotlb.get(o.va());
                if (e != null && e.frame() == o.frame()) mm.watch("stale-iotlb", t, o.va(), o.frame());
            }
        }
        t.step("dec_tlb_flush_pending");
    }
}
