----------------------------- MODULE ClearRefs -----------------------------
(***************************************************************************)
(* echo 4 > /proc/PID/clear_refs (CLEAR_REFS_SOFT_DIRTY): clear_refs_write() *)
(* and clear_refs_pte_range() -> clear_soft_dirty() of fs/proc/task_mmu.c, *)
(* v4.13 and Linux 6.1. With mmap_lock held for reading (both versions;    *)
(* v4.13 briefly takes it for writing only to clear VM_SOFTDIRTY when a    *)
(* VMA has it set, then downgrades; 6.1 clears vm_flags under the read     *)
(* lock), the page walk write-protects every present PTE and clears its    *)
(* soft-dirty bit (ptep_modify_prot_start/commit), each under its PT lock, *)
(* and only then flush_tlb_mm() flushes the whole mm, before the write()   *)
(* returns. Meanwhile a CPU can still store through its old writable       *)
(* translation although the PTE is read-only: the deferred flush of this   *)
(* path is the window KSM's write_protect_page() must not miss.           *)
(*                                                                         *)
(* clear_refs_flush = "inc_tlb_flush_pending": b3a81d0841a9 (v4.13) brackets *)
(* the walk with tlb_gather_mmu()/tlb_finish_mmu() (6.1:                   *)
(* inc_tlb_flush_pending() ... flush_tlb_mm(); dec_tlb_flush_pending()),   *)
(* so mm_tlb_flush_pending() is true while the flush is deferred;          *)
(* clear_refs_flush = "v4_12": no bracket.                                 *)
(*                                                                         *)
(* Every present page write-protected is this call's obligation (oblw):    *)
(* when it returns, no TLB may store to it without a write fault, or the   *)
(* store is lost to soft-dirty tracking (NoWritableAfterReturn).           *)
(* Left out: the young bits (CLEAR_REFS_ALL/ANON/MAPPED: test_and_clear_   *)
(* young, no TLB flush needed for correctness), the soft-dirty bit itself  *)
(* (a write-protected PTE stands for it: the next store faults and sets    *)
(* it), the mmu_notifier_invalidate_range_start/end(0, -1) bracket         *)
(* (scenarios with clear_refs have no secondary MMU), huge pages.          *)
(***************************************************************************)
EXTENDS Reclaim

\* clear_refs_write(): mmap_read_lock(); with the bracket, tlb_flush_pending raised. A new call's
\* obligations replace the CPU's last ones.
clear_refs_write(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "clear_refs"
    /\ MmapReadable
    /\ pending' = IF clear_refs_flush = "inc_tlb_flush_pending" THEN pending + 1 ELSE pending
    /\ oblw' = [oblw EXCEPT ![c] = {}]
    /\ loc' = [loc EXCEPT ![c].va = Cur(c).lo]
    /\ Goto(c, "clear_refs_pte_range")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, gather, ip, clock, writes, seen, incoherent, obl, vma, batched, ubc>>

\* clear_refs_pte_range(), one PTE, under its PT lock (taken and dropped in this step):
\* clear_soft_dirty() write-protects a present PTE; the TLB is not flushed here.
clear_refs_pte_range(c) ==
    /\ pc[c] = "clear_refs_pte_range"
    /\ LET v == loc[c].va
           p == pte[v]
           next == v + 1
       IN
       /\ PtlFree(v)
       /\ pte' = IF p.k = "present" /\ p.w THEN [pte EXCEPT ![v].w = FALSE] ELSE pte
       /\ oblw' = IF p.k = "present" THEN [oblw EXCEPT ![c] = @ \cup {<<v, p.f>>}] ELSE oblw
       /\ loc' = [loc EXCEPT ![c].va = next]
       /\ Goto(c, IF next > Cur(c).hi THEN "cr_flush" ELSE "clear_refs_pte_range")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb, spte,
                   kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, batched, ubc>>

\* flush_tlb_mm() after the walk (v4.13 with the bracket: tlb_finish_mmu() of the whole range).
\* Without the bracket clear_refs_write() returns here (mmap_read_unlock()).
clear_refs_flush_tlb_mm(c) ==
    /\ pc[c] = "cr_flush"
    /\ tlb' = FlushedTlb(1, Sc.nva)
    /\ IF clear_refs_flush = "inc_tlb_flush_pending"
       THEN /\ Goto(c, "cr_dec_pending")
            /\ UNCHANGED <<ip, loc>>
       ELSE Finish(c)
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb, spte,
                   kvm, pending, gather, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* dec_tlb_flush_pending() after the flush; clear_refs_write() returns.
clear_refs_dec_tlb_flush_pending(c) ==
    /\ pc[c] = "cr_dec_pending"
    /\ pending' = pending - 1
    /\ Finish(c)
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, gather, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

ClearRefsStep(c) == clear_refs_write(c) \/ clear_refs_pte_range(c) \/ clear_refs_flush_tlb_mm(c)
                    \/ clear_refs_dec_tlb_flush_pending(c)
=============================================================================
