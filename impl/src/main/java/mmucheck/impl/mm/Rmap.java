package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Op;
import mmucheck.impl.scenario.Variant.Site;

/**
 * Unmapping a locked page through the rmap and KSM merging:
 * try_to_unmap_one() of mm/rmap.c (v4.13, v4.15 per-site) for migrate_pages()
 * (__unmap_and_move(), move_to_new_page(), remove_migration_ptes() of mm/migrate.c) and for
 * shrink_page_list() (try_to_unmap(), pageout(), __remove_mapping() of mm/vmscan.c); and
 * try_to_merge_one_page() of mm/ksm.c (write_protect_page(), pages_identical(),
 * replace_page()). The caller holds the page lock and a reference throughout.
 */
final class Rmap {
    private final Mm mm;
    private final PageTable pt;

    Rmap(Mm mm) {
        this.mm = mm;
        this.pt = mm.pt;
    }

    /** The guard of the instruction's first step: nothing mapped to work on, or the page lock free. */
    boolean canStart(Ins ins) {
        Pte p = pt.get(ins.lo());
        if (!p.pte_present() || p.frame() == mm.ksmFrame) return true;
        // KSM works under mmap_lock held for reading
        return mm.frame(p.frame()).unlocked() && (ins.op() != Op.KSM || mm.mmap.readable());
    }

    static Site site(Ins ins) {
        return switch (ins.op()) {
            case MIGRATE -> Site.MIGRATION;
            case SWAP_OUT, RECLAIM -> Site.SWAP;
            default -> Site.KSM;
        };
    }

    void run(Task t, Ins ins) {
        int va = ins.lo();
        Pte p = pt.get(va);
        if (!p.pte_present() || p.frame() == mm.ksmFrame) {
            t.ip++;
            t.step("page_not_mapped");
            return;
        }
        // isolate_lru_page()/get_page() and lock_page() (trylock_page() for KSM)
        Frame page = mm.frame(p.frame());
        boolean nolock = mm.bugs.has(Bug.MIGRATE_WITHOUT_PAGE_LOCK) && ins.op() == Op.MIGRATE;
        if (!nolock) page.lock_page(t);
        mm.alloc.get_page(page);
        t.resetLocals();
        t.va = va;
        t.page = page.pfn;
        t.step("lock_page");

        if (ins.op() == Op.KSM) {
            mm.mmap.mmap_read_lock();
            try_to_merge_one_page(t, page);
            mm.mmap.mmap_read_unlock(); // within the unlock_page step below
        } else {
            unmap_and_move_or_pageout(t, ins, page);
        }
        // unlock_page() and put_page() (and the new page's allocation reference)
        if (!nolock) page.unlock_page(t);
        mm.alloc.put_page(page);
        if (t.newPage != 0) mm.alloc.put_page(mm.frame(t.newPage));
        t.finish();
        t.step("unlock_page");
    }

    private void unmap_and_move_or_pageout(Task t, Ins ins, Frame page) {
        Site site = site(ins);
        boolean migration = ins.op() == Op.MIGRATE;
        int va = t.va;
        if (mm.variant.bracket(site)) {
            t.point("ttu_mn_start");
            mm.mmu_notifier_invalidate_range_start(va, va);
            t.stepA("mmu_notifier_invalidate_range_start");
        }
        SpinLock ptl = Fault.pte_offset_map_lock(pt, t, "ttu_lock", va);

        t.point("ttu");
        boolean early = mm.bugs.has(Bug.PTL_RELEASED_EARLY);
        if (early) {
            ptl.spin_unlock(t); // pte_unmap_unlock() before the PTE is cleared and flushed
            t.ptp = 0;
            t.stepA("pte_unmap_unlock");
            t.point("ttu");
        }
        try_to_unmap_one(t, page, va, migration, site, null);
        t.step("try_to_unmap_one");

        if (!early) Fault.pte_unmap_unlock(t, "ttu_unlock", ptl);
        invalidate_after(t, site, va, "ttu_invalidate_page", "ttu_mn_end");

        if (!t.ok) {
            t.point("page_unlock");
            return;
        }
        if (migration) {
            t.point("migrate_copy", mm.alloc::hasFree);
            Frame newpage = mm.alloc.alloc_page();
            newpage.contents = page.contents; // migrate_page_copy()
            page.copied = page.contents;
            t.newPage = newpage.pfn;
            t.step("migrate_page_copy");

            t.point("remove_migration_ptes", () -> pt.pte_lockptr(va).free());
            SpinLock l = pt.pte_lockptr(va);
            l.spin_lock(t);
            Pte p = pt.get(va);
            if (p.kind() == Pte.Kind.MIGRATION && p.frame() == page.pfn) {
                mm.alloc.get_page(newpage);
                pt.set_pte_at(va, Pte.present(newpage.pfn, p.pte_write()));
                mm.remapped(va, newpage.pfn);
                mm.rewritable(va, newpage.pfn);
            }
            l.spin_unlock(t);
            t.step("remove_migration_ptes");
        } else {
            pageout(t, page, va, "pageout");
            remove_mapping(t, page, va, "remove_mapping");
        }
        t.point("page_unlock");
    }

    /** pageout() at code point {@code where}: write the page to va's swap slot. */
    void pageout(Task t, Frame page, int va, String where) {
        t.point(where);
        mm.swapslot[va] = page.contents; // swap_writepage()
        mm.swapVersion++;
        page.copied = page.contents;
        t.step("pageout");
    }

    /** __remove_mapping() at code point {@code where}: only the swap cache and we hold the page. */
    void remove_mapping(Task t, Frame page, int va, String where) {
        t.point(where);
        if (page.refcount == 2 && mm.swapcache[va] == page.pfn) {
            mm.swapcache[va] = 0;
            mm.swapVersion++;
            mm.alloc.put_page(page);
        }
        t.step("remove_mapping");
    }

    /**
     * try_to_unmap_one(), under the PT lock: ptep_clear_flush() (plus ->invalidate_range where
     * the variant runs it under the lock), then a migration entry, or a swap entry with the
     * page in the swap cache; the mapping's reference is dropped (never the last one).
     * With TTU_BATCH_FLUSH ({@code ubc} not null: shrink_folio_list()) the flush is deferred:
     * ptep_get_and_clear() and set_tlb_ubc_flush_pending(mm, pte_dirty(pteval)).
     */
    void try_to_unmap_one(Task t, Frame page, int va, boolean migration, Site site, Cpu.TlbUbc ubc) {
        Pte p = pt.get(va);
        if (!(p.pte_present() && p.frame() == page.pfn)) {
            t.ok = false; // page_vma_mapped_walk() found nothing
            return;
        }
        if (ubc != null) set_tlb_ubc_flush_pending(ubc, p.pte_dirty() && !mm.bugs.has(Bug.UBC_IGNORES_DIRTY));
        if (!migration && !p.pte_dirty()) {
            // 6.1's "MADV_FREE page check": a clean lazyfree page held only by its mapping and
            // the isolation is discarded (freed at unlock_page); otherwise the PTE is put back
            if (ubc == null) mm.flush_tlb_mm_range(va, va); // ptep_clear_flush()
            Site lazy = page.refcount == 2 ? Site.LAZYFREE : Site.PUTBACK;
            if (mm.variant.notifyUnderPtl(lazy)) mm.mmu_notifier_invalidate_range(va, va);
            if (page.refcount == 2) {
                pt.set_pte_at(va, Pte.NONE);
                page.refcount--; // page_remove_rmap() + the mapping's put_page()
            }
            t.ok = false; // nothing to write out
            return;
        }
        pt.set_pte_at(va, migration ? Pte.migrationEntry(page.pfn, p.pte_write()) : Pte.SWAP_ENTRY);
        if (ubc == null) mm.flush_tlb_mm_range(va, va);
        if (mm.variant.notifyUnderPtl(site)) mm.mmu_notifier_invalidate_range(va, va);
        if (migration && mm.bugs.has(Bug.TTU_DROPS_LAST_REF)) {
            mm.alloc.put_page(page); // the mapping's reference
            mm.alloc.put_page(page); // and the caller's: the last one, the page is freed
        } else if (migration) {
            page.refcount--; // page_remove_rmap() + put_page(): the caller holds another
        } else {
            mm.swapcache[va] = page.pfn; // the mapping's reference becomes the swap cache's
            mm.swapVersion++;
        }
    }

    /**
     * set_tlb_ubc_flush_pending(): the flush this unmap skipped is owed by the reclaiming
     * thread (flush_required; writable if the PTE was dirty) and recorded on the mm.
     */
    private void set_tlb_ubc_flush_pending(Cpu.TlbUbc ubc, boolean writable) {
        ubc.flushRequired = true;
        mm.tlbFlushBatched = true;
        if (writable) ubc.writable = true;
    }

    /** After the PT unlock: v4.10's ->invalidate_page, or the range_end of the bracket. */
    void invalidate_after(Task t, Site site, int va, String pagePoint, String endPoint) {
        if (mm.variant.invalidatePageAfterUnlock(site)) {
            t.point(pagePoint);
            mm.mmu_notifier_invalidate_page(va);
            t.stepA("mmu_notifier_invalidate_page");
        } else {
            t.point(endPoint);
            mm.mmu_notifier_invalidate_range_end(va, va);
            t.stepA("mmu_notifier_invalidate_range_end");
        }
    }

    /** try_to_merge_one_page() with the stable page KsmFrame. */
    private void try_to_merge_one_page(Task t, Frame page) {
        int va = t.va;
        boolean bracket = mm.variant.bracket(Site.KSM);
        if (bracket) {
            t.point("wpp_mn_start");
            mm.mmu_notifier_invalidate_range_start(va, va);
            t.stepA("mmu_notifier_invalidate_range_start");
        }
        SpinLock ptl = Fault.pte_offset_map_lock(pt, t, "wpp_lock", va);
        t.point("wpp");
        write_protect_page(t, page, va);
        t.step("write_protect_page");
        Fault.pte_unmap_unlock(t, "wpp_unlock", ptl);
        invalidate_after(t, Site.KSM, va, "wpp_invalidate_page", "wpp_mn_end");
        if (!t.ok) {
            t.point("ksm_unlock");
            return;
        }

        t.point("ksm_cmp");
        Frame kpage = mm.frame(mm.ksmFrame);
        boolean same = page.contents == kpage.contents; // pages_identical()
        if (same) page.copied = page.contents; // from here on the contents live in the stable page
        t.step("pages_identical");
        if (!same) {
            t.point("ksm_unlock");
            return;
        }

        if (bracket) {
            t.point("rp_mn_start");
            mm.mmu_notifier_invalidate_range_start(va, va);
            t.stepA("mmu_notifier_invalidate_range_start");
        }
        ptl = Fault.pte_offset_map_lock(pt, t, "rp_lock", va);
        t.point("rp");
        replace_page(page, kpage, va);
        t.step("replace_page");
        Fault.pte_unmap_unlock(t, "rp_unlock", ptl);
        invalidate_after(t, Site.KSM, va, "rp_invalidate_page", "rp_mn_end");
        t.point("ksm_unlock");
    }

    /**
     * Make the PTE read-only, flushing if it was writable or dirty or a flush is pending on the
     * mm (b3a81d0841a9's condition; the spec's ksm_flush at its default).
     */
    private void write_protect_page(Task t, Frame page, int va) {
        Pte p = pt.get(va);
        if (!(p.pte_present() && p.frame() == page.pfn)) {
            t.ok = false;
            return;
        }
        if (p.pte_write() || p.pte_dirty() || mm.tlbFlushPending > 0) {
            pt.set_pte_at(va, p.pte_wrprotect()); // ptep_clear_flush() + set_pte_at(wrprotect)
            mm.flush_tlb_mm_range(va, va);
            if (mm.variant.notifyUnderPtl(Site.KSM)) mm.mmu_notifier_invalidate_range(va, va);
        }
    }

    /** replace_page(): map the stable page read-only in place of page. */
    private void replace_page(Frame page, Frame kpage, int va) {
        if (!pt.get(va).sameReadOnly(page.pfn)) return;
        mm.alloc.get_page(kpage);
        pt.set_pte_at(va, Pte.present(kpage.pfn, false));
        mm.flush_tlb_mm_range(va, va);
        if (mm.variant.notifyUnderPtl(Site.KSM)) mm.mmu_notifier_invalidate_range(va, va);
        mm.remapped(va, kpage.pfn);
        page.refcount--; // page_remove_rmap() + put_page(): we hold another
    }
}
