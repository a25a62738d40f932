----------------------------- MODULE PageTable -----------------------------
(***************************************************************************)
(* The page table, its split PT locks, the CPUs' TLBs and the page-fault   *)
(* paths that fill PTEs (mm/memory.c v4.13: handle_pte_fault(),            *)
(* do_anonymous_page(), do_wp_page() reuse, do_swap_page(),                *)
(* migration_entry_wait() of mm/migrate.c; arch/x86/mm/fault.c).           *)
(*                                                                         *)
(* The TLB is a cache of translations that the hardware may fill from any  *)
(* present PTE at any time (tlb_fill) and drop at any time (tlb_evict);    *)
(* user loads and stores use the TLB, walking the page table only on a     *)
(* miss, and fault when the walk finds no usable PTE.                      *)
(***************************************************************************)
EXTENDS Notifier

\* pte_offset_map_lock(): which code point each operation reaches with the PT lock held.
LockNext == ("zap_lock" :> "zap_pte_range") @@ ("wp_copy_lock" :> "wp_copy_locked")
         @@ ("ttu_lock" :> "ttu") @@ ("wpp_lock" :> "wpp") @@ ("rp_lock" :> "rp")
         @@ ("mf_lock" :> "madvise_free_pte_range") @@ ("mp_lock" :> "change_pte_range")
         @@ ("rc_lock" :> "rc_ttu")

\* Code points at which an agent holds the PT lock of loc.ptp.
PtlHeldPCs == {"zap_pte_range", "zap_force_flush", "zap_force_unlock", "zap_unlock",
               "wp_copy_locked", "wp_copy_set_pte", "wp_copy_unlock",
               "ttu", "ttu_unlock", "wpp", "wpp_unlock", "rp", "rp_unlock",
               "madvise_free_pte_range", "mf_unlock", "change_pte_range", "mp_unlock",
               "rc_ttu", "rc_unlock"}

UnlockNext(a) ==
    CASE pc[a] = "zap_force_unlock" -> "zap_force_free"
      [] pc[a] = "zap_unlock" -> IF loc[a].va > Cur(a).hi THEN "zap_mn_end" ELSE "zap_lock"
      [] pc[a] = "wp_copy_unlock" -> "wp_copy_mn_end"
      [] pc[a] = "ttu_unlock" -> IF InvalidatePageAfterUnlock(Site(a)) THEN "ttu_invalidate_page"
                                 ELSE "ttu_mn_end"
      [] pc[a] = "wpp_unlock" -> IF InvalidatePageAfterUnlock("ksm") THEN "wpp_invalidate_page"
                                 ELSE "wpp_mn_end"
      [] pc[a] = "rp_unlock" -> IF InvalidatePageAfterUnlock("ksm") THEN "rp_invalidate_page"
                                ELSE "rp_mn_end"
      [] pc[a] = "mf_unlock" -> IF loc[a].va > Cur(a).hi THEN "mf_mn_end" ELSE "mf_lock"
      [] pc[a] = "mp_unlock" -> IF loc[a].va > Cur(a).hi THEN "mp_mn_end" ELSE "mp_lock"
      [] pc[a] = "rc_unlock" -> IF InvalidatePageAfterUnlock("swap") THEN "rc_invalidate_page"
                                ELSE "rc_mn_end"

\* spin_lock(pte_lockptr()) for the PT page covering loc.va. zap_pte_range(), change_pte_range()
\* and madvise_free_pte_range() then call flush_tlb_batched_pending() (3ea277194daa), in the same
\* step here: if a reclaim deferred a flush of this mm, flush_tlb_mm() and clear tlb_flush_batched.
pte_offset_map_lock(a) ==
    /\ pc[a] \in DOMAIN LockNext
    /\ ptl[PTP(loc[a].va)] = NoOne
    /\ ptl' = [ptl EXCEPT ![PTP(loc[a].va)] = a]
    /\ loc' = [loc EXCEPT ![a].ptp = PTP(loc[a].va)]
    /\ tlb' = IF FlushesBatched(pc[a]) THEN FlushedTlb(1, Sc.nva) ELSE tlb
    /\ batched' = IF FlushesBatched(pc[a]) THEN FALSE ELSE batched
    /\ Goto(a, LockNext[pc[a]])
    /\ UNCHANGED <<pte, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, ubc>>

pte_unmap_unlock(a) ==
    /\ pc[a] \in {"zap_force_unlock", "zap_unlock", "wp_copy_unlock", "ttu_unlock",
                  "wpp_unlock", "rp_unlock", "mf_unlock", "mp_unlock", "rc_unlock"}
    /\ ptl' = [ptl EXCEPT ![loc[a].ptp] = NoOne]
    /\ loc' = [loc EXCEPT ![a].ptp = 0]
    /\ Goto(a, UnlockNext(a))
    /\ UNCHANGED <<pte, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* A code path that takes and drops the PT lock within one step needs it free.
PtlFree(v) == ptl[PTP(v)] = NoOne

\* ---- the CPU's TLB -------------------------------------------------------------------
\* A speculative page walk: the CPU caches the present PTE of va.
tlb_fill(c, v) ==
    /\ pte[v].k = "present"
    /\ tlb[c][v] # EntryOf(pte[v])
    /\ tlb' = [tlb EXCEPT ![c][v] = EntryOf(pte[v])]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, pc, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

tlb_evict(c, v) ==
    /\ tlb[c][v].f # 0
    /\ tlb' = [tlb EXCEPT ![c][v] = NoEntry]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, pc, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* The translation a user access uses: a usable TLB entry (stale or not), or else a walk.
CpuEntry(c, v, write) == IF CanUse(tlb[c][v], write) THEN tlb[c][v] ELSE WalkEntry(v, write)
CanAccess(c, v, write) == CanUse(tlb[c][v], write) \/ Walkable(v, write)

user_load(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "load"
    /\ CanAccess(c, Cur(c).lo, FALSE)
    /\ LET v == Cur(c).lo
           e == CpuEntry(c, v, FALSE) IN
       /\ tlb' = [tlb EXCEPT ![c][v] = e]
       /\ Observe(c, v, mem[e.f])
    /\ ip' = [ip EXCEPT ![c] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, pc, loc, clock, writes, obl, vma, oblw, batched, ubc>>

user_store(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "store"
    /\ CanAccess(c, Cur(c).lo, TRUE)
    /\ LET v == Cur(c).lo
           e == CpuEntry(c, v, TRUE)
           hit == CanUse(tlb[c][v], TRUE) IN
       /\ tlb' = [tlb EXCEPT ![c][v] = e]
       /\ Write(c, v, e.f)
       \* a walk sets the dirty bit of a clean PTE (the page was MADV_FREEd: it is kept now)
       /\ pte' = IF hit THEN pte ELSE WalkedPte(v, TRUE)
       /\ oblw' = IF hit THEN oblw ELSE WalkDirtied(v, TRUE)
    /\ ip' = [ip EXCEPT ![c] = @ + 1]
    /\ UNCHANGED <<ptl, fstate, ref, pglock, copied, swapcache, swapslot, iotlb,
                   spte, kvm, pending, gather, pc, loc, incoherent, obl, vma, batched, ubc>>

\* ---- page faults ----------------------------------------------------------------------
\* handle_pte_fault(): no usable translation; with mmap_lock held for reading, dispatch on the
\* PTE read without the PT lock (each handler re-checks it under the lock).
handle_mm_fault(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op \in {"load", "store"}
    /\ ~CanAccess(c, Cur(c).lo, Cur(c).op = "store")
    /\ MmapReadable /\ (Cur(c).op = "store" => vma[Cur(c).lo])
    /\ LET p == pte[Cur(c).lo] IN
       Goto(c, CASE p.k = "none" -> "do_anonymous_page"
                 [] p.k = "present" -> "do_wp_page"
                 [] p.k = "swap" -> "do_swap_page"
                 [] p.k = "migration" -> "migration_entry_wait"
                 [] p.k = "protnone" -> "do_numa_page")
    /\ loc' = [loc EXCEPT ![c].va = Cur(c).lo]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* do_user_addr_fault() -> bad_area_access_error() (arch/x86/mm/fault.c): a store to a VMA
\* without VM_WRITE. SIGSEGV; the thread's handler skips the store.
bad_area_access_error(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "store"
    /\ ~CanAccess(c, Cur(c).lo, TRUE)
    /\ MmapReadable /\ ~vma[Cur(c).lo]
    /\ ip' = [ip EXCEPT ![c] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, pc, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched, ubc>>

\* The PTE the fault saw has changed: return and retry the access.
fault_retry(c) ==
    /\ \/ pc[c] = "do_anonymous_page" /\ pte[loc[c].va].k # "none"
       \/ pc[c] = "do_wp_page" /\ ~(pte[loc[c].va].k = "present" /\ ~pte[loc[c].va].w)
       \/ pc[c] = "do_swap_page" /\ pte[loc[c].va].k # "swap"
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* do_anonymous_page(): allocate a zeroed page and map it (writable if the VMA is), under the
\* PT lock.
do_anonymous_page(c) ==
    /\ pc[c] = "do_anonymous_page"
    /\ LET v == loc[c].va
           fr == MinFree IN
       /\ pte[v].k = "none" /\ PtlFree(v) /\ HasFree
       /\ pte' = [pte EXCEPT ![v] = Present(fr, vma[v])]
       /\ fstate' = [fstate EXCEPT ![fr] = "mm"]
       /\ ref' = [ref EXCEPT ![fr] = 1]
       /\ mem' = [mem EXCEPT ![fr] = 0]
       /\ obl' = Remapped(v, fr)
       /\ oblw' = Rewritable(v, fr)
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<ptl, pglock, copied, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   gather, ip, clock, writes, seen, incoherent, vma, batched, ubc>>

\* do_wp_page() -> wp_page_reuse(): the only reference is ours, so make the PTE writable (and
\* dirty: maybe_mkwrite(pte_mkdirty())) in place. A permission upgrade: no TLB flush and no
\* secondary invalidation.
wp_page_reuse(c) ==
    /\ pc[c] = "do_wp_page"
    /\ LET v == loc[c].va IN
       /\ pte[v].k = "present" /\ ~pte[v].w /\ ref[pte[v].f] = 1 /\ PtlFree(v)
       /\ pte' = [pte EXCEPT ![v].w = TRUE, ![v].d = TRUE]
       /\ oblw' = Rewritable(v, pte[v].f)
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, batched, ubc>>

\* do_swap_page(), first half: lookup_swap_cache() and lock_page(), or, when the page has
\* left the swap cache, read the slot into a new page (swapin_readahead()).
lookup_swap_cache(c) ==
    /\ pc[c] = "do_swap_page"
    /\ LET v == loc[c].va
           sc == swapcache[v]
           fr == MinFree IN
       /\ pte[v].k = "swap"
       /\ IF sc # 0
          THEN /\ pglock[sc] = NoOne
               /\ pglock' = [pglock EXCEPT ![sc] = c]
               /\ ref' = [ref EXCEPT ![sc] = @ + 1]
               /\ loc' = [loc EXCEPT ![c].f = sc]
               /\ UNCHANGED <<fstate, mem, swapcache, vma, oblw>>
          ELSE /\ HasFree
               /\ pglock' = [pglock EXCEPT ![fr] = c]
               /\ fstate' = [fstate EXCEPT ![fr] = "mm"]
               \* one reference for the swap cache, one for us
               /\ ref' = [ref EXCEPT ![fr] = 2]
               /\ mem' = [mem EXCEPT ![fr] = swapslot[v]]
               /\ swapcache' = [swapcache EXCEPT ![v] = fr]
               /\ loc' = [loc EXCEPT ![c].f = fr]
    /\ Goto(c, "swapin_map")
    /\ UNCHANGED <<pte, ptl, copied, swapslot, tlb, iotlb, spte, kvm, pending, gather, ip,
                   clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* do_swap_page(), second half, under the PT lock: if the swap entry is still there, map
\* the page (writable if the VMA is) and drop it from the swap cache; then unlock_page() and
\* put_page().
do_swap_page(c) ==
    /\ pc[c] = "swapin_map"
    /\ LET v == loc[c].va
           fr == loc[c].f IN
       /\ PtlFree(v)
       /\ pglock' = [pglock EXCEPT ![fr] = NoOne]
       /\ IF pte[v].k = "swap" /\ swapcache[v] = fr
          THEN \* +1 mapping, -1 swap cache, -1 ours
               /\ pte' = [pte EXCEPT ![v] = Present(fr, vma[v])]
               /\ swapcache' = [swapcache EXCEPT ![v] = 0]
               /\ ref' = [ref EXCEPT ![fr] = @ - 1]
               /\ copied' = [copied EXCEPT ![fr] = -1]
               /\ obl' = Remapped(v, fr)
               /\ oblw' = Rewritable(v, fr)
               /\ UNCHANGED fstate
          ELSE IF pte[v].k # "swap" /\ swapcache[v] = fr
          THEN \* the swap entry was zapped while we held the page lock, so free_swap_and_cache()
               \* left the page in the swap cache with nothing to find it by: the kernel's reclaim
               \* frees such a page later (shrink_page_list()); here it goes now, our reference
               \* and the swap cache's, as no other step could ever free it
               /\ swapcache' = [swapcache EXCEPT ![v] = 0]
               /\ LET r2 == [ref EXCEPT ![fr] = @ - 2] IN
                  /\ ref' = r2
                  /\ fstate' = IF r2[fr] = 0 THEN [fstate EXCEPT ![fr] = "free"] ELSE fstate
                  /\ copied' = IF r2[fr] = 0 THEN [copied EXCEPT ![fr] = -1] ELSE copied
               /\ UNCHANGED <<pte, obl, oblw>>
          ELSE /\ PutPages({fr})
               /\ UNCHANGED <<pte, swapcache, obl, oblw>>
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<ptl, mem, swapslot, tlb, iotlb, spte, kvm, pending, gather, ip, clock,
                   writes, seen, incoherent, vma, batched, ubc>>

\* migration_entry_wait(): sleep until the page under migration is unlocked, then retry.
migration_entry_wait(c) ==
    /\ pc[c] = "migration_entry_wait"
    /\ LET p == pte[loc[c].va] IN p.k # "migration" \/ pglock[p.f] = NoOne
    /\ pc' = [pc EXCEPT ![c] = "idle"]
    /\ loc' = [loc EXCEPT ![c] = Locals0]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

PtlStep(a) == pte_offset_map_lock(a) \/ pte_unmap_unlock(a)
FaultStep(c) == user_load(c) \/ user_store(c) \/ handle_mm_fault(c) \/ bad_area_access_error(c)
                \/ fault_retry(c)
                \/ do_anonymous_page(c) \/ wp_page_reuse(c) \/ lookup_swap_cache(c)
                \/ do_swap_page(c) \/ migration_entry_wait(c)
=============================================================================
