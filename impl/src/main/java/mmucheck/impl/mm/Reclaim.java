package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Variant.Site;

/**
 * Reclaim's batched TLB flush (issue 12): shrink_folio_list() of mm/vmscan.c, Linux 6.1
 * (shrink_page_list() in v4.13), unmapping each page with try_to_unmap(TTU_BATCH_FLUSH), and
 * try_to_unmap_flush(), try_to_unmap_flush_dirty() and set_tlb_ubc_flush_pending() of
 * mm/rmap.c. Each page: folio_trylock(), try_to_unmap_one() with the flush deferred, for a
 * page gone to swap try_to_unmap_flush_dirty(), pageout() and __remove_mapping(), then
 * folio_unlock() and, if ours is its last reference, onto free_folios; after the list
 * try_to_unmap_flush() and free_unref_page_list(). No mmap_lock. As Reclaim.tla.
 */
final class Reclaim {
    private final Mm mm;
    private final PageTable pt;
    private final Rmap rmap;

    Reclaim(Mm mm, Rmap rmap) {
        this.mm = mm;
        this.pt = mm.pt;
        this.rmap = rmap;
    }

    void shrink_folio_list(Cpu cpu, Task t, Ins ins) {
        Cpu.TlbUbc ubc = cpu.ubc;
        t.resetLocals();
        t.va = ins.lo();
        t.step("shrink_folio_list");
        while (t.va <= ins.hi()) {
            t.point("rc_page");
            int va = t.va;
            Frame page = folio_trylock(t, va);
            t.step("folio_trylock");
            if (page == null) continue;
            unmap_and_pageout(t, page, va, ubc);

            t.point("rc_page_unlock");
            folio_unlock(t, page, va, ubc);
            t.step("folio_unlock");
        }

        t.point("rc_flush");
        try_to_unmap_flush(ubc);
        t.step("try_to_unmap_flush");

        t.point("rc_free");
        free_unref_page_list(ubc);
        t.finish();
        t.step("free_unref_page_list");
    }

    /**
     * folio_trylock() of the page mapped at va, with its isolation reference; null (and the
     * cursor moved on) for a page not mapped (any more), the KSM page or a locked page: keep.
     */
    private Frame folio_trylock(Task t, int va) {
        Pte p = pt.get(va);
        Frame page = p.pte_present() && p.frame() != mm.ksmFrame ? mm.frame(p.frame()) : null;
        if (page == null || !page.unlocked()) {
            t.va = va + 1;
            return null;
        }
        page.lock_page(t);
        mm.alloc.get_page(page);
        t.page = page.pfn;
        return page;
    }

    /** folio_unlock(); a page whose last reference is ours goes on free_folios (freed after the flush), else back on the LRU. */
    private void folio_unlock(Task t, Frame page, int va, Cpu.TlbUbc ubc) {
        page.unlock_page(t);
        if (page.refcount == 1) {
            ubc.free.add(page.pfn);
        } else {
            mm.alloc.put_page(page);
        }
        t.resetLocals();
        t.va = va + 1;
    }

    /** free_unref_page_list(&free_folios): the reclaimed pages go back to the allocator. */
    private void free_unref_page_list(Cpu.TlbUbc ubc) {
        for (int fr : ubc.free) mm.alloc.put_page(mm.frame(fr));
        ubc.free.clear();
    }

    /** try_to_unmap() of one page with its flush deferred; a page gone to swap is written out. */
    private void unmap_and_pageout(Task t, Frame page, int va, Cpu.TlbUbc ubc) {
        if (mm.variant.bracket(Site.SWAP)) {
            t.point("rc_mn_start");
            mm.mmu_notifier_invalidate_range_start(va, va);
            t.stepA("mmu_notifier_invalidate_range_start");
        }
        SpinLock ptl = Fault.pte_offset_map_lock(pt, t, "rc_lock", va);
        t.point("rc_ttu");
        rmap.try_to_unmap_one(t, page, va, false, Site.SWAP, ubc);
        t.step("try_to_unmap_one");
        Fault.pte_unmap_unlock(t, "rc_unlock", ptl);
        rmap.invalidate_after(t, Site.SWAP, va, "rc_invalidate_page", "rc_mn_end");
        if (!t.ok) return;

        t.point("rc_flush_dirty");
        try_to_unmap_flush_dirty(ubc);
        t.step("try_to_unmap_flush_dirty");
        rmap.pageout(t, page, va, "rc_pageout");
        rmap.remove_mapping(t, page, va, "rc_remove_mapping");
    }

    /** try_to_unmap_flush(): arch_tlbbatch_flush() (every CPU, the whole mm) if a flush was deferred. */
    private void try_to_unmap_flush(Cpu.TlbUbc ubc) {
        if (ubc.flushRequired) mm.flush_tlb_mm_range(1, pt.nva());
        ubc.flushRequired = false;
        ubc.writable = false;
    }

    /** try_to_unmap_flush_dirty(): flush only if an unmapped PTE was dirty (writable entries may exist). */
    private void try_to_unmap_flush_dirty(Cpu.TlbUbc ubc) {
        if (ubc.writable) try_to_unmap_flush(ubc);
    }
}
