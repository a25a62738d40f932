package mmucheck.impl.mm;

import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Op;
import mmucheck.impl.scenario.Variant.Site;

/**
 * User loads and stores on a CPU and the page-fault paths (mm/memory.c v4.13:
 * handle_pte_fault(), do_anonymous_page(), do_wp_page() with wp_page_reuse() and
 * wp_page_copy(), do_swap_page(); migration_entry_wait() of mm/migrate.c). The CPU uses its
 * TLB, walks the page table on a miss, and faults when the walk finds no usable PTE; each
 * fault handler re-checks the PTE under the PT lock and returns to retry the access.
 */
final class Fault {
    private final Mm mm;
    private final PageTable pt;

    Fault(Mm mm) {
        this.mm = mm;
        this.pt = mm.pt;
    }

    /** A load or store at the current instruction; a fault path runs to its return. */
    void access(Cpu cpu, Task t, Ins ins) {
        boolean write = ins.op() == Op.STORE;
        int va = ins.lo();
        TlbEntry e = cpu.tlb.lookup(va, write);
        if (e == null) e = mm.hw_walk(va, write); // a store's walk sets the dirty bit
        if (e != null) {
            cpu.tlb.set(va, e); // a walk fills the TLB
            if (write) mm.store(t, va, e.frame()); else mm.load(t, va, e.frame());
            t.ip++;
            t.step(write ? "user_store" : "user_load");
            return;
        }
        if (write && !mm.vma[va]) {
            bad_area_access_error(t);
            return;
        }
        mm.mmap.mmap_read_lock();
        handle_mm_fault(cpu, t, va, write);
        mm.mmap.mmap_read_unlock(); // within the fault's last step
    }

    /** do_user_addr_fault() -> bad_area_access_error(): a store to a VMA without VM_WRITE; SIGSEGV, the store is skipped. */
    private void bad_area_access_error(Task t) {
        t.ip++;
        t.step("bad_area_access_error");
    }

    /** The guard of an access's first step: a usable translation, or a fault (which takes mmap_lock for reading). */
    boolean canStart(Cpu cpu, Ins ins) {
        boolean write = ins.op() == Op.STORE;
        int va = ins.lo();
        if (cpu.tlb.lookup(va, write) != null || pt.walk(va, write) != null) return true;
        return mm.mmap.readable();
    }

    /** handle_pte_fault(): dispatch on the PTE read without the lock. */
    private void handle_mm_fault(Cpu cpu, Task t, int va, boolean write) {
        Pte p = pt.get(va);
        t.va = va;
        t.step("handle_mm_fault");
        switch (p.kind()) {
            case NONE -> do_anonymous_page(t, va);
            case PRESENT -> do_wp_page(t, va);
            case SWAP -> do_swap_page(t, va);
            case MIGRATION -> migration_entry_wait(t, va);
        }
    }

    /** The PTE the fault saw has changed: return and retry the access. */
    private void fault_retry(Task t) {
        t.resetLocals();
        t.step("fault_retry");
    }

    private void do_anonymous_page(Task t, int va) {
        t.point("do_anonymous_page", () -> !pt.get(va).pte_none() || (pt.pte_lockptr(va).free() && mm.alloc.hasFree()));
        if (!pt.get(va).pte_none()) {
            fault_retry(t);
            return;
        }
        SpinLock ptl = pt.pte_lockptr(va);
        ptl.spin_lock(t);
        Frame page = mm.alloc.alloc_page();
        page.contents = 0; // __GFP_ZERO
        pt.set_pte_at(va, Pte.present(page.pfn, mm.vma[va])); // writable only if VM_WRITE
        mm.remapped(va, page.pfn);
        mm.rewritable(va, page.pfn);
        ptl.spin_unlock(t);
        t.resetLocals();
        t.step("do_anonymous_page");
    }

    private void do_wp_page(Task t, int va) {
        t.point("do_wp_page", () -> {
            Pte p = pt.get(va);
            if (!(p.pte_present() && !p.pte_write())) return true;
            int ref = mm.frame(p.frame()).refcount;
            return ref == 1 ? pt.pte_lockptr(va).free() : mm.alloc.hasFree();
        });
        Pte p = pt.get(va);
        if (!(p.pte_present() && !p.pte_write())) {
            fault_retry(t);
            return;
        }
        Frame old = mm.frame(p.frame());
        if (old.refcount == 1) {
            wp_page_reuse(t, va);
        } else {
            wp_page_copy(t, va, old);
        }
    }

    /** The only reference is ours: make the PTE writable in place (no flush needed for an upgrade). */
    private void wp_page_reuse(Task t, int va) {
        SpinLock ptl = pt.pte_lockptr(va);
        ptl.spin_lock(t);
        Pte p = pt.get(va);
        pt.set_pte_at(va, p.pte_mkwrite().pte_mkdirty()); // maybe_mkwrite(pte_mkdirty())
        mm.rewritable(va, p.frame());
        ptl.spin_unlock(t);
        t.resetLocals();
        t.step("wp_page_reuse");
    }

    /**
     * wp_page_copy(): no page lock. Copy the old page into a new one, then bracket the PTE
     * switch with range_start/end and, under the PT lock, re-check it (pte_same), clear it
     * with ptep_clear_flush_notify() and install the copy with set_pte_at_notify().
     */
    private void wp_page_copy(Task t, int va, Frame old) {
        Frame page = mm.alloc.alloc_page();
        page.contents = old.contents; // cow_user_page()
        mm.alloc.get_page(old);
        t.page = old.pfn;
        t.newPage = page.pfn;
        t.step("wp_page_copy");

        t.point("wp_copy_mn_start");
        mm.mmu_notifier_invalidate_range_start(va, va);
        t.stepA("mmu_notifier_invalidate_range_start");

        SpinLock ptl = pte_offset_map_lock(pt, t, "wp_copy_lock", va);

        t.point("wp_copy_locked");
        if (mm.bugs.has(Bug.NO_PTE_SAME_RECHECK) || pt.get(va).sameReadOnly(old.pfn)) {
            // ptep_clear_flush_notify()
            pt.set_pte_at(va, Pte.NONE);
            mm.flush_tlb_mm_range(va, va);
            if (mm.variant.notifyUnderPtl(Site.COW) && !mm.bugs.has(Bug.COW_SKIP_INVALIDATE_RANGE)) mm.mmu_notifier_invalidate_range(va, va);
            t.step("ptep_clear_flush_notify");

            t.point("wp_copy_set_pte");
            pt.set_pte_at(va, Pte.present(page.pfn, true));
            mm.remapped(va, page.pfn);
            mm.rewritable(va, page.pfn);
            old.refcount--; // page_remove_rmap() + put_page(): never the last, we hold one
            t.step("set_pte_at_notify");
        } else {
            t.ok = false;
            t.step("wp_page_copy_abort");
        }

        pte_unmap_unlock(t, "wp_copy_unlock", ptl);

        t.point("wp_copy_mn_end");
        mm.mmu_notifier_invalidate_range_end(va, va);
        t.stepA("mmu_notifier_invalidate_range_end");

        t.point("wp_copy_put");
        mm.alloc.put_page(old);
        if (!t.ok) mm.alloc.put_page(page);
        t.resetLocals();
        t.step("wp_page_copy_put");
    }

    /** do_swap_page(): find the page in the swap cache (or read it back) and map it. */
    private void do_swap_page(Task t, int va) {
        t.point("do_swap_page", () -> {
            if (pt.get(va).kind() != Pte.Kind.SWAP) return true;
            int sc = mm.swapcache[va];
            return sc != 0 ? mm.frame(sc).unlocked() : mm.alloc.hasFree();
        });
        if (pt.get(va).kind() != Pte.Kind.SWAP) {
            fault_retry(t);
            return;
        }
        // lookup_swap_cache() + lock_page(), or swapin_readahead() into a new page
        Frame page;
        if (mm.swapcache[va] != 0) {
            page = mm.frame(mm.swapcache[va]);
            mm.alloc.get_page(page);
            page.lock_page(t);
        } else {
            page = mm.alloc.alloc_page();
            mm.alloc.get_page(page); // one reference for the swap cache, one for us
            page.contents = mm.swapslot[va];
            mm.swapcache[va] = page.pfn;
            mm.swapVersion++;
            page.lock_page(t);
        }
        t.page = page.pfn;
        t.step("lookup_swap_cache");

        t.point("swapin_map", () -> pt.pte_lockptr(va).free());
        SpinLock ptl = pt.pte_lockptr(va);
        ptl.spin_lock(t);
        Pte p = pt.get(va);
        if (p.kind() == Pte.Kind.SWAP && mm.swapcache[va] == page.pfn) {
            if (!mm.bugs.has(Bug.SWAPIN_NO_GET_PAGE)) mm.alloc.get_page(page); // the mapping's reference
            pt.set_pte_at(va, Pte.present(page.pfn, mm.vma[va])); // writable only if VM_WRITE
            mm.remapped(va, page.pfn);
            mm.rewritable(va, page.pfn);
            mm.swapcache[va] = 0; // delete_from_swap_cache()
            mm.swapVersion++;
            mm.alloc.put_page(page);
            page.copied = -1; // mapped again: its contents live in memory, not only in the slot
        } else if (p.kind() != Pte.Kind.SWAP && mm.swapcache[va] == page.pfn) {
            // the swap entry was zapped while we held the page lock (free_swap_and_cache() could
            // not trylock it): nothing finds the page any more; the kernel's reclaim frees it
            // later, the model here (the spec's do_swap_page)
            mm.swapcache[va] = 0;
            mm.swapVersion++;
            mm.alloc.put_page(page);
        }
        ptl.spin_unlock(t);
        page.unlock_page(t);
        mm.alloc.put_page(page);
        t.resetLocals();
        t.step("do_swap_page");
    }

    /** Sleep until the page under migration is unlocked, then retry. */
    private void migration_entry_wait(Task t, int va) {
        t.point("migration_entry_wait", () -> {
            Pte p = pt.get(va);
            return p.kind() != Pte.Kind.MIGRATION || mm.frame(p.frame()).unlocked();
        });
        t.resetLocals();
        t.step("migration_entry_wait");
    }

    /** pte_offset_map_lock() at code point {@code where}: waits for the PT lock of t.va's PT page. */
    static SpinLock pte_offset_map_lock(PageTable pt, Task t, String where, int va) {
        SpinLock ptl = pt.pte_lockptr(va);
        t.point(where, ptl::free);
        ptl.spin_lock(t);
        t.ptp = pt.ptp(va);
        t.stepA("pte_offset_map_lock");
        return ptl;
    }

    /**
     * pte_offset_map_lock() at {@code where} in zap_pte_range(), change_pte_range() or
     * madvise_free_pte_range(), which then call flush_tlb_batched_pending(): one step, as in
     * the spec.
     */
    static SpinLock pte_offset_map_lock_batched(Mm mm, Task t, String where, int va) {
        SpinLock ptl = mm.pt.pte_lockptr(va);
        t.point(where, ptl::free);
        ptl.spin_lock(t);
        t.ptp = mm.pt.ptp(va);
        mm.flush_tlb_batched_pending();
        t.stepA("pte_offset_map_lock");
        return ptl;
    }

    static void pte_unmap_unlock(Task t, String where, SpinLock ptl) {
        t.point(where);
        ptl.spin_unlock(t);
        t.ptp = 0;
        t.stepA("pte_unmap_unlock");
    }
}
