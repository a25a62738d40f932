------------------------------ MODULE Reclaim ------------------------------
(***************************************************************************)
(* Reclaim's batched TLB flush: shrink_folio_list() of mm/vmscan.c, Linux  *)
(* 6.1 (shrink_page_list() in v4.13), which unmaps each page with          *)
(* try_to_unmap(folio, TTU_BATCH_FLUSH), and try_to_unmap_flush(),         *)
(* try_to_unmap_flush_dirty(), set_tlb_ubc_flush_pending() and             *)
(* flush_tlb_batched_pending() of mm/rmap.c (v4.13, 6.1).                  *)
(*                                                                         *)
(* For each page of the list: folio_trylock(); try_to_unmap_one() under    *)
(* the PT lock clears the PTE without a flush (Rmap: at rc_ttu) and        *)
(* records it in current->tlb_ubc and mm->tlb_flush_batched; a page gone   *)
(* to swap is written out after try_to_unmap_flush_dirty() (a flush if     *)
(* any unmapped PTE was dirty) and dropped from the swap cache            *)
(* (__remove_mapping()); folio_unlock(); a page whose last reference is    *)
(* ours goes on free_folios. After the list: try_to_unmap_flush(), then    *)
(* free_unref_page_list(). The flush is arch_tlbbatch_flush(): every CPU   *)
(* of the mm, the whole address space (x86), no secondary MMU.             *)
(*                                                                         *)
(* Until the flush, another CPU's TLB may still map an unmapped page, and  *)
(* a thread changing this mm's PTEs under the PT lock finds them none or   *)
(* swap entries and so flushes nothing: 3ea277194daa (v4.13) makes         *)
(* zap_pte_range(), change_pte_range() and madvise_free_pte_range() call   *)
(* flush_tlb_batched_pending() after taking the lock (PageTable's          *)
(* pte_offset_map_lock(); the variant batched_flush of MMState).           *)
(*                                                                         *)
(* The list is the pages mapped at va lo..hi when reclaim reaches them     *)
(* (their isolation reference is taken at folio_trylock() here). Left      *)
(* out: file pages, writeback in flight (pageout() completes at once, as   *)
(* in Rmap), folio_referenced(), THP, mremap's move_ptes() and             *)
(* MADV_COLD/PAGEOUT, which call flush_tlb_batched_pending() too.          *)
(***************************************************************************)
EXTENDS Mprotect

\* shrink_folio_list() of the pages at lo..hi, with no mmap_lock.
shrink_folio_list(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "reclaim"
    /\ loc' = [loc EXCEPT ![c] = [Locals0 EXCEPT !.va = Cur(c).lo]]
    /\ Goto(c, "rc_page")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma,
                   oblw, batched, ubc>>

\* folio_trylock() of the page mapped at the cursor (and its isolation reference); a page
\* not mapped (any more), the KSM page or a locked page is skipped (keep).
folio_trylock(c) ==
    /\ pc[c] = "rc_page"
    /\ LET v == loc[c].va
           fr == pte[v].f IN
       IF pte[v].k = "present" /\ fr # KsmFrame /\ pglock[fr] = NoOne
       THEN /\ pglock' = [pglock EXCEPT ![fr] = c]
            /\ ref' = [ref EXCEPT ![fr] = @ + 1]
            /\ loc' = [loc EXCEPT ![c].f = fr]
            /\ Goto(c, IF Bracket("swap") THEN "rc_mn_start" ELSE "rc_lock")
       ELSE /\ loc' = [loc EXCEPT ![c].va = v + 1]
            /\ Goto(c, IF v + 1 > Cur(c).hi THEN "rc_flush" ELSE "rc_page")
            /\ UNCHANGED <<pglock, ref>>
    /\ UNCHANGED <<pte, ptl, fstate, mem, copied, swapcache, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw,
                   batched, ubc>>

\* try_to_unmap_flush_dirty() before pageout(): flush if an unmapped PTE was dirty, so that no
\* CPU stores to the page through a cached writable translation once the write-out starts.
try_to_unmap_flush_dirty(c) ==
    /\ pc[c] = "rc_flush_dirty"
    /\ IF ubc[c].writable
       THEN /\ tlb' = FlushedTlb(1, Sc.nva)
            /\ ubc' = [ubc EXCEPT ![c] = [@ EXCEPT !.flush = FALSE, !.writable = FALSE]]
       ELSE UNCHANGED <<tlb, ubc>>
    /\ Goto(c, "rc_pageout")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched>>

\* folio_unlock(); if ours is the page's last reference (__remove_mapping() took it out of
\* the swap cache, or a clean lazyfree page was discarded), it goes on free_folios, to be freed
\* after the flush; otherwise it is kept (put back on the LRU, our reference dropped).
folio_unlock(c) ==
    /\ pc[c] = "rc_page_unlock"
    /\ LET v == loc[c].va
           fr == loc[c].f IN
       /\ pglock' = [pglock EXCEPT ![fr] = NoOne]
       /\ IF ref[fr] = 1
          THEN /\ ubc' = [ubc EXCEPT ![c].free = @ \cup {fr}]
               /\ UNCHANGED <<ref, fstate, copied>>
          ELSE /\ PutPages({fr})
               /\ UNCHANGED ubc
       /\ loc' = [loc EXCEPT ![c] = [Locals0 EXCEPT !.va = v + 1]]
       /\ Goto(c, IF v + 1 > Cur(c).hi THEN "rc_flush" ELSE "rc_page")
    /\ UNCHANGED <<pte, ptl, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending, gather,
                   ip, clock, writes, seen, incoherent, obl, vma, oblw, batched>>

\* try_to_unmap_flush() after the list: arch_tlbbatch_flush() if any unmap was deferred.
\* mm->tlb_flush_batched stays raised: only flush_tlb_batched_pending() lowers it.
try_to_unmap_flush(c) ==
    /\ pc[c] = "rc_flush"
    /\ tlb' = IF ubc[c].flush THEN FlushedTlb(1, Sc.nva) ELSE tlb
    /\ ubc' = [ubc EXCEPT ![c] = [@ EXCEPT !.flush = FALSE, !.writable = FALSE]]
    /\ Goto(c, "rc_free")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched>>

\* free_unref_page_list(&free_folios): the reclaimed pages go back to the allocator.
free_unref_page_list(c) ==
    /\ pc[c] = "rc_free"
    /\ PutPages(ubc[c].free)
    /\ ubc' = [ubc EXCEPT ![c].free = {}]
    /\ Finish(c)
    /\ UNCHANGED <<pte, ptl, pglock, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   gather, clock, writes, seen, incoherent, obl, vma, oblw, batched>>

ReclaimStep(c) == shrink_folio_list(c) \/ folio_trylock(c) \/ try_to_unmap_flush_dirty(c)
                  \/ folio_unlock(c) \/ try_to_unmap_flush(c) \/ free_unref_page_list(c)
=============================================================================
