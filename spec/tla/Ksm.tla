-------------------------------- MODULE Ksm --------------------------------
(***************************************************************************)
(* KSM merging: try_to_merge_one_page() of mm/ksm.c, v4.13 (v4.15 site    *)
(* comments): with the page locked, write_protect_page() makes the PTE     *)
(* read-only (flushing if it was writable or dirty, or if                  *)
(* mm_tlb_flush_pending()), then pages_identical() compares it with the    *)
(* stable page, then replace_page() maps the stable page read-only in its  *)
(* place. Each of the two PTE changes has its own start/end bracket        *)
(* (also in v4.10, with ptep_clear_flush_notify() since v3.19; v4.15 drops *)
(* the _notify, 0f10851ea475; v6.6's ptep_clear_flush() invalidates the    *)
(* secondary TLB from the architecture's flush).                           *)
(*                                                                         *)
(* The flush condition (issue 12): pte_write() || pte_dirty() ||           *)
(* mm_tlb_flush_pending(mm) since b3a81d0841a9 (v4.13; 6.1 the same), the  *)
(* last test absent before (ksm_flush = "v4_12"). A flushed PTE is set     *)
(* back pte_mkclean(pte_wrprotect()) after set_page_dirty(): here the PTE  *)
(* keeps its dirty bit, which stands for PG_dirty too (Rmap discards a     *)
(* page whose PTE is clean as lazyfree).                                   *)
(* Left out: the protnone/savedwrite test (NUMA hinting).                  *)
(***************************************************************************)
EXTENDS Rmap

write_protect_page(c) ==
    /\ pc[c] = "wpp"
    /\ LET v == loc[c].va IN
       IF pte[v].k = "present" /\ pte[v].f = loc[c].f
       THEN /\ IF pte[v].w \/ pte[v].d \/ (ksm_flush = "mm_tlb_flush_pending" /\ pending > 0)
               THEN /\ pte' = [pte EXCEPT ![v].w = FALSE]
                    /\ tlb' = FlushedTlb(v, v)
                    /\ iotlb' = IF NotifyUnderPtl("ksm") THEN InvalidatedIotlb(v, v) ELSE iotlb
               ELSE UNCHANGED <<pte, tlb, iotlb, vma, oblw>>
            /\ UNCHANGED loc
       ELSE /\ loc' = [loc EXCEPT ![c].ok = FALSE]
            /\ UNCHANGED <<pte, tlb, iotlb, vma, oblw>>
    /\ Goto(c, "wpp_unlock")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* pages_identical(): a page that changed since the scan is not merged. From here on the
\* old page's contents are only kept in the stable page.
pages_identical(c) ==
    /\ pc[c] = "ksm_cmp"
    /\ IF mem[loc[c].f] = mem[KsmFrame]
       THEN /\ copied' = [copied EXCEPT ![loc[c].f] = mem[loc[c].f]]
            /\ Goto(c, IF Bracket("ksm") THEN "rp_mn_start" ELSE "rp_lock")
       ELSE /\ Goto(c, "ksm_unlock")
            /\ UNCHANGED copied
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, swapcache, swapslot, tlb, iotlb, spte,
                   kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* replace_page(), under the PT lock: ptep_clear_flush() (plus ->invalidate_range where the
\* variant runs it under the lock) and map the stable page read-only.
replace_page(c) ==
    /\ pc[c] = "rp"
    /\ LET v == loc[c].va
           fr == loc[c].f IN
       IF pte[v].k = "present" /\ pte[v].f = fr /\ ~pte[v].w
       THEN /\ pte' = [pte EXCEPT ![v] = Present(KsmFrame, FALSE)]
            /\ tlb' = FlushedTlb(v, v)
            /\ iotlb' = IF NotifyUnderPtl("ksm") THEN InvalidatedIotlb(v, v) ELSE iotlb
            /\ ref' = [ref EXCEPT ![KsmFrame] = @ + 1, ![fr] = @ - 1]
            /\ obl' = Remapped(v, KsmFrame)
       ELSE UNCHANGED <<pte, tlb, iotlb, ref, obl, vma, oblw>>
    /\ Goto(c, "rp_unlock")
    /\ UNCHANGED <<ptl, fstate, pglock, mem, copied, swapcache, swapslot, spte, kvm, pending,
                   gather, ip, loc, clock, writes, seen, incoherent, vma, oblw, batched, ubc>>

KsmStep(c) == write_protect_page(c) \/ pages_identical(c) \/ replace_page(c)
=============================================================================
