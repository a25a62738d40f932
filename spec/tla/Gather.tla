------------------------------- MODULE Gather -------------------------------
(***************************************************************************)
(* The TLB gather: zap_page_range() for MADV_DONTNEED, i.e.                *)
(* tlb_gather_mmu(), zap_pte_range() and tlb_finish_mmu() of mm/memory.c   *)
(* v4.13, with mm->tlb_flush_pending (inc in tlb_gather_mmu, dec at the    *)
(* very end of tlb_finish_mmu, after the flush).                           *)
(*                                                                         *)
(* cpu_flush = "gather": pre-2017, tlb_finish_mmu flushes only the range   *)
(*   this gather cleared (nothing if it saw only pte_none);                *)
(* cpu_flush = "nested": 99baac21e458 ("mm: fix MADV_[FREE|DONTNEED] TLB   *)
(*   flush miss problem", v4.13): when mm_tlb_flush_nested() sees another  *)
(*   gather in flight (tlb_flush_pending > 1), tlb_finish_mmu widens the   *)
(*   flush to the whole requested range;                                   *)
(* cpu_flush = "always": 4647706ebeee, flush the whole range every time.   *)
(* A full batch forces a flush under the PT lock (tlb_flush_mmu_tlbonly,   *)
(* which also calls ->invalidate_range where the variant has it), then the *)
(* PT lock is dropped and the batched pages are freed, before range_end.   *)
(*                                                                         *)
(* tlb_gather_mmu(), tlb_finish_mmu() and dec_tlb_flush_pending() are      *)
(* shared with MADV_FREE (Madvise) and mprotect (Mprotect), which use an   *)
(* mmu_gather too in Linux 6.1 (mprotect since 4a18419f71cd, v5.19).       *)
(***************************************************************************)
EXTENDS Cow

\* Where each system call goes after tlb_gather_mmu().
GatherNext == ("madvise_dontneed" :> "zap_mn_start") @@ ("madvise_free" :> "mf_mn_start")
           @@ ("mprotect_ro" :> "mprotect_fixup") @@ ("mprotect_rw" :> "mprotect_fixup")

\* tlb_gather_mmu(): start an mmu_gather over [lo, hi] and raise tlb_flush_pending, with
\* mmap_lock held for reading (madvise) or writing (mprotect). A new call's obligations
\* replace the CPU's last ones of the same kind.
tlb_gather_mmu(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op \in DOMAIN GatherNext
    /\ IF Cur(c).op \in {"mprotect_ro", "mprotect_rw"} THEN MmapFree ELSE MmapReadable
    /\ pending' = pending + 1
    /\ gather' = [gather EXCEPT ![c] = Gather0]
    /\ IF Cur(c).op = "madvise_dontneed"
       THEN /\ obl' = [obl EXCEPT ![c] = {}]
            /\ UNCHANGED oblw
       ELSE /\ oblw' = [oblw EXCEPT ![c] = {}]
            /\ UNCHANGED obl
    /\ loc' = [loc EXCEPT ![c].va = Cur(c).lo]
    /\ Goto(c, GatherNext[Cur(c).op])
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, ip, clock, writes, seen, incoherent, vma, batched, ubc>>

\* zap_pte_range(), one PTE, under the PT lock. pte_none: nothing to do, no range update.
\* Present: clear it, widen the gathered range, queue the page (the mapping's reference
\* moves to the batch). Swap and migration entries are cleared too; a swap entry's page in the
\* swap cache goes with it when free_swap_and_cache() can trylock it (else whoever holds the lock
\* lets it go, see do_swap_page). A full batch forces a flush.
zap_pte_range(c) ==
    /\ pc[c] = "zap_pte_range"
    /\ LET v == loc[c].va
           p == pte[v]
           g == gather[c]
           sc == swapcache[v]
           uncache == p.k = "swap" /\ sc # 0 /\ pglock[sc] = NoOne
           present == p.k = "present"
           g2 == IF present
                 THEN [lo |-> IF g.lo = 0 THEN v ELSE Min(g.lo, v), hi |-> Max(g.hi, v),
                       batch |-> g.batch \cup {p.f}]
                 ELSE g
           next == v + 1
       IN
       /\ pte' = [pte EXCEPT ![v] = PteNone]
       /\ gather' = [gather EXCEPT ![c] = g2]
       \* what this call saw: every translation of v still cached anywhere is now stale
       /\ obl' = [obl EXCEPT ![c] = @ \cup {<<v, tlb[x][v].f>> : x \in {y \in CPUS : tlb[y][v].f # 0}}
                                       \cup (IF present THEN {<<v, p.f>>} ELSE {})]
       \* MADV_DONTNEED discards the contents: stores racing with it may be lost
       /\ writes' = [writes EXCEPT ![v] = {}]
       /\ loc' = [loc EXCEPT ![c].va = next]
       /\ IF uncache
          THEN /\ swapcache' = [swapcache EXCEPT ![v] = 0]
               /\ PutPages({sc})
          ELSE UNCHANGED <<swapcache, ref, fstate, copied>>
       /\ Goto(c, IF present /\ Cardinality(g2.batch) >= Sc.batch THEN "zap_force_flush"
                  ELSE IF next > Cur(c).hi \/ PTP(next) # loc[c].ptp THEN "zap_unlock"
                  ELSE "zap_pte_range")
    /\ UNCHANGED <<ptl, pglock, mem, swapslot, tlb, iotlb, spte,
                   kvm, pending, ip, clock, seen, incoherent, vma, oblw, batched, ubc>>

\* tlb_flush_mmu_tlbonly() of a forced flush, still under the PT lock.
tlb_flush_mmu_tlbonly(c) ==
    /\ pc[c] = "zap_force_flush"
    /\ LET g == gather[c] IN
       /\ tlb' = FlushedTlb(g.lo, g.hi)
       /\ iotlb' = IF GatherInvalidates THEN InvalidatedIotlb(g.lo, g.hi) ELSE iotlb
       /\ gather' = [gather EXCEPT ![c] = [g EXCEPT !.lo = 0, !.hi = 0]]
    /\ Goto(c, "zap_force_unlock")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* tlb_flush_mmu_free(): free the batched pages (after a forced flush, with the PT lock
\* dropped and before range_end; or at the end of tlb_finish_mmu).
tlb_flush_mmu_free(c) ==
    /\ pc[c] \in {"zap_force_free", "zap_free"}
    /\ PutPages(gather[c].batch)
    /\ gather' = [gather EXCEPT ![c].batch = {}]
    /\ Goto(c, IF pc[c] = "zap_free" THEN "zap_dec_pending"
               ELSE IF loc[c].va > Cur(c).hi THEN "zap_mn_end" ELSE "zap_lock")
    /\ UNCHANGED <<pte, ptl, pglock, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* tlb_finish_mmu(): the final flush. Which range depends on cpu_flush (see the header).
\* MADV_FREE and mprotect batch no pages: nothing to free after the flush.
tlb_finish_mmu(c) ==
    /\ pc[c] \in {"zap_finish", "mf_finish", "mp_finish"}
    /\ LET g == gather[c]
           whole == cpu_flush = "always" \/ (cpu_flush = "nested" /\ pending > 1)
           lo == IF whole THEN Cur(c).lo ELSE g.lo
           hi == IF whole THEN Cur(c).hi ELSE g.hi
           r == SecondaryRange(<<g.lo, g.hi>>, <<lo, hi>>)
       IN
       /\ tlb' = IF lo = 0 THEN tlb ELSE FlushedTlb(lo, hi)
       /\ iotlb' = IF r[1] # 0 /\ GatherInvalidates THEN InvalidatedIotlb(r[1], r[2]) ELSE iotlb
       /\ gather' = [gather EXCEPT ![c] = [g EXCEPT !.lo = 0, !.hi = 0]]
    /\ Goto(c, CASE pc[c] = "zap_finish" -> "zap_free"
                 [] pc[c] = "mf_finish" -> "mf_dec_pending"
                 [] OTHER -> "mp_dec_pending")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* dec_tlb_flush_pending(), the very end of tlb_finish_mmu(); madvise() or mprotect() returns
\* (mprotect drops mmap_lock).
dec_tlb_flush_pending(c) ==
    /\ pc[c] \in {"zap_dec_pending", "mf_dec_pending", "mp_dec_pending"}
    /\ pending' = pending - 1
    /\ Finish(c)
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, gather, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

GatherStep(c) == tlb_gather_mmu(c) \/ zap_pte_range(c) \/ tlb_flush_mmu_tlbonly(c)
                 \/ tlb_flush_mmu_free(c) \/ tlb_finish_mmu(c) \/ dec_tlb_flush_pending(c)
=============================================================================
