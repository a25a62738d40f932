-------------------------------- MODULE Rmap --------------------------------
(***************************************************************************)
(* Unmapping a locked page through the rmap: try_to_unmap_one() of         *)
(* mm/rmap.c (v4.13; v4.15 per-site comments) for migration               *)
(* (migrate_pages() -> __unmap_and_move() of mm/migrate.c, then            *)
(* move_to_new_page() and remove_migration_ptes()) and for swap-out        *)
(* (shrink_page_list() of mm/vmscan.c: add_to_swap(), try_to_unmap(),      *)
(* pageout(), __remove_mapping()).                                         *)
(*                                                                         *)
(* The caller holds the page lock and a reference throughout, so           *)
(* try_to_unmap_one() never drops the last reference; faults on the        *)
(* migration entry wait for the page lock; swap-in finds the same page in  *)
(* the swap cache and waits on its lock. The copy (migration) and the      *)
(* write-out (swap) happen after every range_end.                          *)
(***************************************************************************)
EXTENDS Gather

\* The page to work on is not mapped (any more): nothing to do.
page_not_mapped(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op \in {"migrate", "swap_out", "ksm"}
    /\ LET p == pte[Cur(c).lo] IN ~MapsForRmap(p, Cur(c).op) \/ p.f = KsmFrame
    /\ ip' = [ip EXCEPT ![c] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, pc, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* isolate_lru_page()/get_page() and lock_page() of the page mapped at va
\* (trylock_page() for KSM, which holds mmap_lock for reading; a busy page makes it wait here).
lock_page(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op \in {"migrate", "swap_out", "ksm"}
    /\ Cur(c).op = "ksm" => MmapReadable
    /\ LET v == Cur(c).lo
           fr == pte[v].f IN
       /\ MapsForRmap(pte[v], Cur(c).op) /\ fr # KsmFrame /\ pglock[fr] = NoOne
       /\ pglock' = [pglock EXCEPT ![fr] = c]
       /\ ref' = [ref EXCEPT ![fr] = @ + 1]
       /\ loc' = [loc EXCEPT ![c] = [Locals0 EXCEPT !.va = v, !.f = fr]]
    /\ Goto(c, IF Cur(c).op = "ksm"
               THEN IF Bracket("ksm") THEN "wpp_mn_start" ELSE "wpp_lock"
               ELSE IF Bracket(Site(c)) THEN "ttu_mn_start" ELSE "ttu_lock")
    /\ UNCHANGED <<pte, ptl, fstate, mem, copied, swapcache, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* try_to_unmap_one(), under the PT lock: ptep_clear_flush() (plus ->invalidate_range where
\* the variant runs it under the lock), then a migration entry, or a swap entry with the page
\* in the swap cache; the mapping's reference is dropped (never the last one).
\* Reclaim of a page whose PTE is clean (MADV_FREE'd, not written since: a lazyfree page,
\* Linux 6.1's "MADV_FREE page check"): if only the isolation and the mapping hold it, the page
\* is discarded (no swap entry, no pageout; freed at unlock_page()); otherwise the PTE is put
\* back and reclaim gives up. A page redirtied after MADV_FREE is swapped out as any other
\* (the kernel first makes it swap-backed again and swaps it in a later pass).
\* With TTU_BATCH_FLUSH (shrink_folio_list() of Reclaim, at rc_ttu) should_defer_flush() holds:
\* ptep_get_and_clear() with no flush, and set_tlb_ubc_flush_pending(mm, pte_dirty(pteval))
\* raises tlb_ubc.flush_required (and .writable for a dirty PTE) and mm->tlb_flush_batched.
try_to_unmap_one(c) ==
    /\ pc[c] \in {"ttu", "rc_ttu"}
    /\ LET v == loc[c].va
           fr == loc[c].f
           mapped == MapsForRmap(pte[v], Cur(c).op) /\ pte[v].f = fr
           migration == Site(c) = "migration"
           lazyfree == ~migration /\ ~pte[v].d
           defer == pc[c] = "rc_ttu"
           \* ptep_clear_flush() flushes only a PTE that pte_accessible() (a protnone PTE of
           \* NUMA hinting only while tlb_flush_pending is raised)
           cleared == IF defer \/ ~PteAccessible(pte[v]) THEN tlb ELSE FlushedTlb(v, v)
       IN
       /\ IF mapped /\ defer
          THEN /\ ubc' = [ubc EXCEPT ![c] = [@ EXCEPT !.flush = TRUE, !.writable = @ \/ pte[v].d]]
               /\ batched' = TRUE
          ELSE UNCHANGED <<ubc, batched>>
       /\ IF mapped /\ lazyfree
          THEN /\ tlb' = cleared
               /\ iotlb' = IF NotifyUnderPtl(IF ref[fr] = 2 THEN "lazyfree" ELSE "putback")
                           THEN InvalidatedIotlb(v, v) ELSE iotlb
               /\ IF ref[fr] = 2
                  THEN /\ pte' = [pte EXCEPT ![v] = PteNone]
                       /\ ref' = [ref EXCEPT ![fr] = @ - 1]
                  ELSE UNCHANGED <<pte, ref>>
               \* nothing to write out: the page is freed at unlock_page(), or stays mapped
               /\ loc' = [loc EXCEPT ![c].ok = FALSE]
               /\ UNCHANGED swapcache
          ELSE IF mapped
          THEN /\ pte' = [pte EXCEPT ![v] = IF migration THEN MigrationEntry(fr, pte[v].w)
                                             ELSE SwapEntry]
               /\ tlb' = cleared
               /\ iotlb' = IF NotifyUnderPtl(Site(c)) THEN InvalidatedIotlb(v, v) ELSE iotlb
               \* swap: the mapping's reference becomes the swap cache's
               /\ ref' = IF migration THEN [ref EXCEPT ![fr] = @ - 1] ELSE ref
               /\ swapcache' = IF migration THEN swapcache ELSE [swapcache EXCEPT ![v] = fr]
               /\ UNCHANGED loc
          ELSE /\ loc' = [loc EXCEPT ![c].ok = FALSE]
               /\ UNCHANGED <<pte, tlb, iotlb, ref, swapcache, vma, oblw>>
    /\ Goto(c, IF pc[c] = "rc_ttu" THEN "rc_unlock" ELSE "ttu_unlock")
    /\ UNCHANGED <<ptl, fstate, pglock, mem, copied, swapslot, spte, kvm, pending, gather, ip,
                   clock, writes, seen, incoherent, obl, vma, oblw>>

\* move_to_new_page() -> migrate_page_copy(): allocate the new page and copy the old one.
migrate_page_copy(c) ==
    /\ pc[c] = "migrate_copy"
    /\ HasFree
    /\ LET fr == loc[c].f
           new == MinFree IN
       /\ fstate' = [fstate EXCEPT ![new] = "mm"]
       /\ ref' = [ref EXCEPT ![new] = 1]
       /\ mem' = [mem EXCEPT ![new] = mem[fr]]
       /\ copied' = [copied EXCEPT ![fr] = mem[fr]]
       /\ loc' = [loc EXCEPT ![c].f2 = new]
    /\ Goto(c, "remove_migration_ptes")
    /\ UNCHANGED <<pte, ptl, pglock, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* remove_migration_ptes(), under the PT lock: the migration entry becomes the new page.
remove_migration_ptes(c) ==
    /\ pc[c] = "remove_migration_ptes"
    /\ LET v == loc[c].va IN
       /\ PtlFree(v)
       /\ IF pte[v].k = "migration" /\ pte[v].f = loc[c].f
          THEN /\ pte' = [pte EXCEPT ![v] = Present(loc[c].f2, pte[v].w)]
               /\ ref' = [ref EXCEPT ![loc[c].f2] = @ + 1]
               /\ obl' = Remapped(v, loc[c].f2)
               /\ oblw' = Rewritable(v, loc[c].f2)
          ELSE UNCHANGED <<pte, ref, obl, oblw>>
    /\ Goto(c, "page_unlock")
    /\ UNCHANGED <<ptl, fstate, pglock, mem, copied, swapcache, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, loc, clock, writes, seen, incoherent, vma, batched, ubc>>

\* pageout(): write the page to its swap slot (the contents now live in the slot).
pageout(c) ==
    /\ pc[c] \in {"pageout", "rc_pageout"}
    /\ swapslot' = [swapslot EXCEPT ![loc[c].va] = mem[loc[c].f]]
    /\ copied' = [copied EXCEPT ![loc[c].f] = mem[loc[c].f]]
    /\ Goto(c, IF pc[c] = "rc_pageout" THEN "rc_remove_mapping" ELSE "remove_mapping")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, swapcache, tlb, iotlb, spte, kvm,
                   pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* __remove_mapping(): if only the swap cache and we hold the page, drop it from the cache.
remove_mapping(c) ==
    /\ pc[c] \in {"remove_mapping", "rc_remove_mapping"}
    /\ LET v == loc[c].va
           fr == loc[c].f IN
       IF ref[fr] = 2 /\ swapcache[v] = fr
       THEN /\ swapcache' = [swapcache EXCEPT ![v] = 0]
            /\ ref' = [ref EXCEPT ![fr] = @ - 1]
       ELSE UNCHANGED <<swapcache, ref, vma, oblw>>
    /\ Goto(c, IF pc[c] = "rc_remove_mapping" THEN "rc_page_unlock" ELSE "page_unlock")
    /\ UNCHANGED <<pte, ptl, fstate, pglock, mem, copied, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* unlock_page() and put_page() of the page (and, after a migration, of the new page's
\* allocation reference); a page nobody else holds is freed.
unlock_page(c) ==
    /\ pc[c] \in {"page_unlock", "ksm_unlock"}
    /\ pglock' = [pglock EXCEPT ![loc[c].f] = NoOne]
    /\ PutPages({loc[c].f} \cup (IF loc[c].f2 # 0 THEN {loc[c].f2} ELSE {}))
    \* do_numa_page() returns after migrate_misplaced_page(): the access is retried
    /\ IF Cur(c).op \in {"load", "store"}
       THEN /\ pc' = [pc EXCEPT ![c] = "idle"]
            /\ loc' = [loc EXCEPT ![c] = Locals0]
            /\ UNCHANGED ip
       ELSE Finish(c)
    /\ UNCHANGED <<pte, ptl, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending, gather,
                   clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

RmapStep(c) == page_not_mapped(c) \/ lock_page(c) \/ try_to_unmap_one(c)
               \/ migrate_page_copy(c) \/ remove_migration_ptes(c) \/ pageout(c)
               \/ remove_mapping(c) \/ unlock_page(c)
=============================================================================
