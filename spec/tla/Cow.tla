-------------------------------- MODULE Cow --------------------------------
(***************************************************************************)
(* Copy-on-write: do_wp_page() -> wp_page_copy() of mm/memory.c, v4.13.    *)
(* The page lock is NOT held: the fault copies the old page with no lock,  *)
(* then brackets the PTE switch with mmu_notifier_invalidate_range_start/  *)
(* end and, under the PT lock, re-checks the PTE (pte_same), clears it     *)
(* with ptep_clear_flush_notify() (CPU flush, plus ->invalidate_range when *)
(* the variant runs it under the PT lock) and installs the copy with       *)
(* set_pte_at_notify().                                                    *)
(***************************************************************************)
EXTENDS PageTable

\* wp_page_copy(), before the lock: allocate a page, copy the old one into it (cow_user_page),
\* and take a reference on the old page.
wp_page_copy(c) ==
    /\ pc[c] = "do_wp_page"
    /\ LET v == loc[c].va
           old == pte[v].f
           new == MinFree IN
       /\ pte[v].k = "present" /\ ~pte[v].w /\ ref[old] > 1 /\ HasFree
       /\ fstate' = [fstate EXCEPT ![new] = "mm"]
       /\ ref' = [ref EXCEPT ![new] = 1, ![old] = @ + 1]
       /\ mem' = [mem EXCEPT ![new] = mem[old]]
       /\ loc' = [loc EXCEPT ![c] = [@ EXCEPT !.f = old, !.f2 = new]]
    /\ Goto(c, "wp_copy_mn_start")
    /\ UNCHANGED <<pte, ptl, pglock, copied, swapcache, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* pte_same() with the read-only PTE of old the fault saw (its dirty bit is not in question).
PteSame(v, old) == pte[v].k = "present" /\ pte[v].f = old /\ ~pte[v].w

\* Under the PT lock, pte_same() holds: ptep_clear_flush_notify().
ptep_clear_flush_notify(c) ==
    /\ pc[c] = "wp_copy_locked"
    /\ LET v == loc[c].va IN
       /\ PteSame(v, loc[c].f)
       /\ pte' = [pte EXCEPT ![v] = PteNone]
       /\ tlb' = FlushedTlb(v, v)
       /\ iotlb' = IF NotifyUnderPtl("cow") THEN InvalidatedIotlb(v, v) ELSE iotlb
    /\ Goto(c, "wp_copy_set_pte")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* Under the PT lock, pte_same() fails: another thread got there first; drop the copy later.
wp_page_copy_abort(c) ==
    /\ pc[c] = "wp_copy_locked"
    /\ ~PteSame(loc[c].va, loc[c].f)
    /\ loc' = [loc EXCEPT ![c].ok = FALSE]
    /\ Goto(c, "wp_copy_unlock")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* set_pte_at_notify(): map the copy writable; page_remove_rmap() and the put_page() of the
\* old page's mapping reference (it cannot be the last: the fault holds one).
set_pte_at_notify(c) ==
    /\ pc[c] = "wp_copy_set_pte"
    /\ LET v == loc[c].va IN
       /\ pte' = [pte EXCEPT ![v] = Present(loc[c].f2, TRUE)]
       /\ ref' = [ref EXCEPT ![loc[c].f] = @ - 1]
       /\ obl' = Remapped(v, loc[c].f2)
       /\ oblw' = Rewritable(v, loc[c].f2)
    /\ Goto(c, "wp_copy_unlock")
    /\ UNCHANGED <<ptl, fstate, pglock, mem, copied, swapcache, swapslot, tlb, iotlb, spte,
                   kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, vma, batched, ubc>>

\* After range_end: put_page() of the old page (and of the unused copy if pte_same failed);
\* the fault returns and the store is retried.
wp_page_copy_put(c) ==
    /\ pc[c] = "wp_copy_put"
    /\ PutPages(IF loc[c].ok THEN {loc[c].f} ELSE {loc[c].f, loc[c].f2})
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<pte, ptl, pglock, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

CowStep(c) == wp_page_copy(c) \/ ptep_clear_flush_notify(c) \/ wp_page_copy_abort(c)
              \/ set_pte_at_notify(c) \/ wp_page_copy_put(c)
=============================================================================
