------------------------------- MODULE Numa --------------------------------
(***************************************************************************)
(* NUMA hinting: task_numa_work() of kernel/sched/fair.c, change_prot_numa *)
(* of mm/mempolicy.c and change_protection_range() of mm/mprotect.c        *)
(* (v4.12, v4.13; Linux 6.1 wraps the same walk in tlb_gather_mmu() /     *)
(* tlb_finish_mmu()), and the hinting fault do_numa_page() of mm/memory.c  *)
(* (Linux 6.1) -> migrate_misplaced_page() of mm/migrate.c.                *)
(*                                                                         *)
(* task_numa_work() holds mmap_lock for reading only, so two threads of    *)
(* the mm may scan at once (numa_next_scan's cmpxchg picks one per scan    *)
(* period, a slow scan overlaps the next). change_protection_range()       *)
(* raises tlb_flush_pending, makes each present PTE of the range protnone  *)
(* under the PT lock with no flush, flushes the range once at the end if   *)
(* it changed a PTE (flush_tlb_range()), and lowers tlb_flush_pending.     *)
(* Until then another CPU's TLB may still store to the page. Migration's   *)
(* ptep_clear_flush() flushes only if pte_accessible(), which counts a     *)
(* protnone PTE as accessible while mm_tlb_flush_pending(): the fix of     *)
(* 20841405940e. With tlb_flush_pending a bool that each scanner sets and  *)
(* clears, one scanner's clear hides the other's pending flush; 16af97dc5a89*)
(* made it an atomic counter. The variant is MMState's flush_pending_type. *)
(*                                                                         *)
(* do_numa_page() (6.1): under the PT lock, if the PTE is still the        *)
(* protnone one, numa_migrate_prep() may pick another node: drop the PT    *)
(* lock and migrate_misplaced_page() (isolate, trylock_page() of           *)
(* MIGRATE_ASYNC, then the migration of Rmap: try_to_unmap_one() ->        *)
(* ptep_clear_flush() with the PTE still protnone, copy,                   *)
(* remove_migration_ptes()); the fault returns and the access is retried.  *)
(* Or (not misplaced, or the page is locked) out_map: the PTE is made      *)
(* present again with its saved write bit. v4.12/v4.13 made the PTE        *)
(* present before migrating; there, the race needs another migrator        *)
(* (compaction, migrate_pages()), the Migrate instruction.                 *)
(*                                                                         *)
(* Simplified: the PT lock is taken and dropped around each PTE in one     *)
(* step (nothing under it is observable but the change), and               *)
(* do_numa_page()'s trylock_page() is taken in the PT-locked step. Left    *)
(* out: the MMU-notifier bracket of change_pmd_range() (the NUMA scenarios *)
(* have no secondary MMU), THP, the scan-period and node heuristics.       *)
(***************************************************************************)
EXTENDS Reclaim

ProtNone(p) == [p EXCEPT !.k = "protnone"]

\* task_numa_work() -> change_prot_numa() -> change_protection_range() with mmap_lock held
\* for reading: set_tlb_flush_pending() (bool) or inc_tlb_flush_pending() (atomic_t).
task_numa_work(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "numa_scan"
    /\ MmapReadable
    /\ pending' = CASE flush_pending_type = "atomic_t" -> pending + 1
                    [] flush_pending_type = "bool" -> 1
                    [] OTHER -> pending
    /\ gather' = [gather EXCEPT ![c] = Gather0]
    /\ loc' = [loc EXCEPT ![c].va = Cur(c).lo]
    /\ Goto(c, "change_prot_numa")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* change_pte_range() with MM_CP_PROT_NUMA, one PTE, under its PT lock (taken and dropped in
\* this step; flush_tlb_batched_pending() first, as every change_pte_range()): a present PTE
\* becomes protnone (its frame, write and dirty bits kept), no flush; the range is noted.
change_prot_numa(c) ==
    /\ pc[c] = "change_prot_numa"
    /\ LET v == loc[c].va
           p == pte[v]
           g == gather[c]
           next == v + 1
       IN
       /\ PtlFree(v)
       /\ tlb' = IF FlushesBatched("mp_lock") THEN FlushedTlb(1, Sc.nva) ELSE tlb
       /\ batched' = IF FlushesBatched("mp_lock") THEN FALSE ELSE batched
       /\ IF p.k = "present"
          THEN /\ pte' = [pte EXCEPT ![v] = ProtNone(p)]
               /\ gather' = [gather EXCEPT ![c] = [g EXCEPT !.lo = IF g.lo = 0 THEN v ELSE Min(g.lo, v),
                                                            !.hi = Max(g.hi, v)]]
          ELSE UNCHANGED <<pte, gather>>
       /\ loc' = [loc EXCEPT ![c].va = next]
       /\ Goto(c, IF next > Cur(c).hi THEN "numa_flush" ELSE "change_prot_numa")
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb, spte, kvm,
                   pending, ip, clock, writes, seen, incoherent, obl, vma, oblw, ubc>>

\* change_protection_range(): if (pages) flush_tlb_range(vma, start, end).
flush_tlb_range(c) ==
    /\ pc[c] = "numa_flush"
    /\ LET g == gather[c] IN
       /\ tlb' = IF g.lo # 0 THEN FlushedTlb(Cur(c).lo, Cur(c).hi) ELSE tlb
       /\ iotlb' = IF g.lo # 0 /\ GatherInvalidates THEN InvalidatedIotlb(Cur(c).lo, Cur(c).hi)
                   ELSE iotlb
       /\ gather' = [gather EXCEPT ![c] = Gather0]
    /\ Goto(c, "numa_dec_pending")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* clear_tlb_flush_pending() (bool: cleared, whoever else set it) or dec_tlb_flush_pending()
\* (atomic_t); task_numa_work() drops mmap_lock.
clear_tlb_flush_pending(c) ==
    /\ pc[c] = "numa_dec_pending"
    /\ pending' = CASE flush_pending_type = "atomic_t" -> pending - 1
                    [] flush_pending_type = "bool" -> 0
                    [] OTHER -> pending
    /\ Finish(c)
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, gather, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* do_numa_page() (6.1), the PT-locked part. The PTE is no longer the protnone one: return
\* and retry the access. Else migrate (numa_migrate_prep() picked a node, trylock_page()
\* succeeds: the isolation reference and the page lock, then Rmap's try_to_unmap_one() with
\* the PTE still protnone), or out_map: the PTE made present again (pte_modify(), saved write).
do_numa_page(c) ==
    /\ pc[c] = "do_numa_page"
    /\ LET v == loc[c].va
           p == pte[v]
           fr == p.f
       IN
       \/ /\ p.k # "protnone"
          /\ pc' = [pc EXCEPT ![c] = "idle"]
          /\ loc' = [loc EXCEPT ![c] = Locals0]
          /\ UNCHANGED <<pte, pglock, ref>>
       \/ /\ p.k = "protnone" /\ PtlFree(v) /\ pglock[fr] = NoOne
          /\ pglock' = [pglock EXCEPT ![fr] = c]
          /\ ref' = [ref EXCEPT ![fr] = @ + 1]
          /\ loc' = [loc EXCEPT ![c] = [Locals0 EXCEPT !.va = v, !.f = fr]]
          /\ Goto(c, IF Bracket("migration") THEN "ttu_mn_start" ELSE "ttu_lock")
          /\ UNCHANGED pte
       \/ /\ p.k = "protnone" /\ PtlFree(v)
          /\ pte' = [pte EXCEPT ![v].k = "present"]
          /\ pc' = [pc EXCEPT ![c] = "idle"]
          /\ loc' = [loc EXCEPT ![c] = Locals0]
          /\ UNCHANGED <<pglock, ref>>
    /\ UNCHANGED <<ptl, fstate, mem, copied, swapcache, swapslot, tlb, iotlb, spte, kvm,
                   pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw,
                   batched, ubc>>

NumaStep(c) == task_numa_work(c) \/ change_prot_numa(c) \/ flush_tlb_range(c)
               \/ clear_tlb_flush_pending(c) \/ do_numa_page(c)
=============================================================================
