------------------------------ MODULE Mprotect ------------------------------
(***************************************************************************)
(* mprotect(): do_mprotect_pkey(), mprotect_fixup(), change_protection()   *)
(* and change_pte_range() of mm/mprotect.c, Linux 6.1. With mmap_lock held *)
(* for writing (so no fault, madvise or KSM runs meanwhile):               *)
(* tlb_gather_mmu(), mprotect_fixup() sets vma->vm_flags, then             *)
(* change_pmd_range() brackets the PTE walk with                           *)
(* mmu_notifier_invalidate_range_start/end (MMU_NOTIFY_PROTECTION_VMA),    *)
(* change_pte_range() under each PT lock does ptep_modify_prot_start() /   *)
(* ptep_modify_prot_commit() and tlb_flush_pte_range() where               *)
(* pte_needs_flush(), and tlb_finish_mmu() flushes before the syscall      *)
(* returns (mmu_gather since 4a18419f71cd, v5.19; shared with Gather).     *)
(*                                                                         *)
(* PROT_READ write-protects present PTEs (a flush is needed) and makes     *)
(* writable migration entries readable (no flush). PROT_READ|PROT_WRITE    *)
(* only sets VM_WRITE: here can_change_pte_writable() is always false (no  *)
(* PageAnonExclusive tracking), so the PTEs stay read-only and the next    *)
(* store takes a write fault (wp_page_reuse()), which needs no flush.      *)
(* Left out: PROT_NONE (NUMA hinting), uffd-wp, soft-dirty, huge pages.    *)
(***************************************************************************)
EXTENDS Madvise

ProtectsRead(c) == Cur(c).op = "mprotect_ro"

\* mprotect_fixup(): vma->vm_flags = newflags for the range (a VMA per page here), then
\* change_protection().
mprotect_fixup(c) ==
    /\ pc[c] = "mprotect_fixup"
    /\ vma' = [v \in VAS |-> IF v \in Cur(c).lo..Cur(c).hi THEN ~ProtectsRead(c) ELSE vma[v]]
    /\ Goto(c, "mp_mn_start")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl,
                   oblw, batched, ubc>>

\* change_pte_range(), one PTE, under the PT lock. PROT_READ: a writable present PTE is
\* write-protected and its flush gathered (tlb_flush_pte_range()); a writable migration entry
\* becomes a readable one. Every present page of a PROT_READ range is this call's obligation:
\* when it returns, no TLB or IOTLB may store to it.
change_pte_range(c) ==
    /\ pc[c] = "change_pte_range"
    /\ LET v == loc[c].va
           p == pte[v]
           g == gather[c]
           ro == ProtectsRead(c)
           wrprotect == ro /\ p.k = "present" /\ p.w
           next == v + 1
       IN
       /\ pte' = IF ro /\ p.k \in {"present", "migration"} /\ p.w
                 THEN [pte EXCEPT ![v].w = FALSE] ELSE pte
       /\ gather' = IF wrprotect
                    THEN [gather EXCEPT ![c] = [g EXCEPT !.lo = IF g.lo = 0 THEN v ELSE Min(g.lo, v),
                                                         !.hi = Max(g.hi, v)]]
                    ELSE gather
       /\ oblw' = IF ro /\ p.k = "present" THEN [oblw EXCEPT ![c] = @ \cup {<<v, p.f>>}] ELSE oblw
       /\ loc' = [loc EXCEPT ![c].va = next]
       /\ Goto(c, IF next > Cur(c).hi \/ PTP(next) # loc[c].ptp THEN "mp_unlock"
                  ELSE "change_pte_range")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb, spte,
                   kvm, pending, ip, clock, writes, seen, incoherent, obl, vma, batched, ubc>>

MprotectStep(c) == mprotect_fixup(c) \/ change_pte_range(c)
=============================================================================
