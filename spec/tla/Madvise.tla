------------------------------ MODULE Madvise ------------------------------
(***************************************************************************)
(* MADV_FREE: madvise_free_single_vma() and madvise_free_pte_range() of    *)
(* mm/madvise.c, Linux 6.1. With mmap_lock held for reading:               *)
(* tlb_gather_mmu(), mmu_notifier_invalidate_range_start(), then per PT    *)
(* page under its split lock, for each present PTE that is dirty:          *)
(* ptep_get_and_clear_full(), pte_mkold(pte_mkclean()), set_pte_at() and   *)
(* tlb_remove_tlb_entry() (the flush is deferred to the gather), and       *)
(* mark_page_lazyfree(); then range_end and tlb_finish_mmu() (Gather), so  *)
(* 99baac21e458's nested flush applies to MADV_FREE as to MADV_DONTNEED.   *)
(*                                                                         *)
(* Reclaim may later discard a lazyfree page whose PTE is still clean      *)
(* (try_to_unmap_one() in Rmap); a store after MADV_FREE sets the dirty    *)
(* bit again (the page walker, see MMState's WalkEntry) and must not be    *)
(* lost. Left out: the young bit (a PTE found clean here is also old), the *)
(* PG_dirty/swap-cache branch with its trylock_page() (anonymous pages     *)
(* here are never PG_dirty), swap entries (the kernel frees them; left     *)
(* alone here), THP splitting.                                             *)
(***************************************************************************)
EXTENDS Ksm

\* madvise_free_pte_range(), one PTE, under the PT lock. A present dirty PTE is re-set clean and
\* its flush deferred to the gather (widening the gathered range); a clean one is left alone,
\* with no range update. Every present page scanned becomes this call's obligation: when it
\* returns, no TLB or IOTLB may still store to it through a cached dirty translation.
madvise_free_pte_range(c) ==
    /\ pc[c] = "madvise_free_pte_range"
    /\ LET v == loc[c].va
           p == pte[v]
           g == gather[c]
           dirty == p.k = "present" /\ p.d
           next == v + 1
       IN
       /\ pte' = IF dirty THEN [pte EXCEPT ![v].d = FALSE] ELSE pte
       /\ gather' = IF dirty
                    THEN [gather EXCEPT ![c] = [g EXCEPT !.lo = IF g.lo = 0 THEN v ELSE Min(g.lo, v),
                                                         !.hi = Max(g.hi, v)]]
                    ELSE gather
       /\ oblw' = IF p.k = "present" THEN [oblw EXCEPT ![c] = @ \cup {<<v, p.f>>}] ELSE oblw
       \* MADV_FREE lets reclaim discard the contents: stores racing with it may be lost
       /\ writes' = [writes EXCEPT ![v] = {}]
       /\ loc' = [loc EXCEPT ![c].va = next]
       /\ Goto(c, IF next > Cur(c).hi \/ PTP(next) # loc[c].ptp THEN "mf_unlock"
                  ELSE "madvise_free_pte_range")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb, spte,
                   kvm, pending, ip, clock, seen, incoherent, obl, vma, batched, ubc>>

MadviseStep(c) == madvise_free_pte_range(c)
=============================================================================
