package mmucheck.impl.mm;

/**
 * Test-only injected kernel bugs (mutation testing, issue 4 §5). Each names the kernel
 * mistake it re-creates; the code path it enables is a one-line branch guarded by
 * {@code bugs.has(Bug.X)}. None is on unless a run's configuration asks for it.
 */
public enum Bug {
    /** tlb_finish_mmu() ignores mm_tlb_flush_nested(): no forced whole-range flush when nested. */
    NO_NESTED_FORCE_FLUSH,
    /** dec_tlb_flush_pending() before the final flush in tlb_finish_mmu(). */
    PENDING_DEC_BEFORE_FLUSH,
    /** tlb_finish_mmu() frees the gathered pages before flushing the TLBs. */
    FREE_BEFORE_FLUSH,
    /** wp_page_copy(): ptep_clear_flush() without ->invalidate_range although the variant notifies under the PTL. */
    COW_SKIP_INVALIDATE_RANGE,
    /** wp_page_copy() does not re-check the PTE (pte_same) under the PT lock. */
    NO_PTE_SAME_RECHECK,
    /** migrate_pages() unmaps the page without lock_page(). */
    MIGRATE_WITHOUT_PAGE_LOCK,
    /** KVM's page fault maps without mmu_notifier_retry(). */
    KVM_NO_SEQ_RETRY,
    /** The IOMMU's walker fills the IOTLB from a non-present (migration) PTE. */
    IOTLB_FILL_NON_PRESENT,
    /** zap_page_range() never calls mmu_notifier_invalidate_range_end(). */
    MISSING_RANGE_END,
    /** try_to_unmap_one() drops the PT lock before clearing and flushing the PTE. */
    PTL_RELEASED_EARLY,
    /** tlb_flush_mmu_tlbonly() treats the gather's inclusive end as exclusive: the last page is not flushed. */
    FLUSH_WRONG_RANGE,
    /** try_to_unmap_one() drops the caller's reference too: the last one, the page is freed while locked. */
    TTU_DROPS_LAST_REF,
    /** do_swap_page() maps the swap-cache page without taking the mapping's reference. */
    SWAPIN_NO_GET_PAGE,
    /** set_tlb_ubc_flush_pending() ignores pte_dirty(): try_to_unmap_flush_dirty() skips the flush before pageout(). */
    UBC_IGNORES_DIRTY,
    /** flush_tlb_batched_pending() clears mm->tlb_flush_batched without flush_tlb_mm(). */
    BATCHED_PENDING_NO_FLUSH,
    /**
     * v6.6's arch_invalidate_secondary_tlbs() gets the range after the arch's range flush has
     * consumed it (start advanced to end: the shape of arm64's __flush_tlb_range_op() bug,
     * fixed in 2025, where the empty range happened to mean "invalidate all"; here the hook
     * gets [end, end]): only the last page of a gathered range is invalidated.
     */
    SECONDARY_RANGE_CONSUMED
}
