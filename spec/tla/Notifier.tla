------------------------------ MODULE Notifier ------------------------------
(***************************************************************************)
(* MMU notifiers and the two kinds of secondary MMU (mm/mmu_notifier.c,    *)
(* v4.13; include/linux/mmu_notifier.h).                                   *)
(*                                                                         *)
(* - A shadow page table, KVM-like (virt/kvm/kvm_main.c,                   *)
(*   arch/x86/kvm/mmu.c): invalidate_range_start zaps shadow PTEs and      *)
(*   raises mmu_notifier_count; invalidate_range_end bumps                 *)
(*   mmu_notifier_seq and drops the count; a secondary fault reads seq,    *)
(*   looks the frame up (gfn_to_pfn), then under mmu_lock retries if the   *)
(*   count is raised or seq moved (mmu_notifier_retry).                   *)
(* - A shared page table, IOMMUv2/SVM with ATS (drivers/iommu/amd_iommu_v2.c, *)
(*   intel-svm.c): the device walks the CPU page table itself and caches   *)
(*   translations in an IOTLB the hardware may fill from any present PTE  *)
(*   at any time; only ->invalidate_range flushes it.                      *)
(***************************************************************************)
EXTENDS MMState

\* ---- where each notifier call leads, per operation ------------------------------------
MnStartNext == ("zap_mn_start" :> "zap_lock") @@ ("wp_copy_mn_start" :> "wp_copy_lock")
            @@ ("ttu_mn_start" :> "ttu_lock") @@ ("wpp_mn_start" :> "wpp_lock")
            @@ ("rp_mn_start" :> "rp_lock") @@ ("mf_mn_start" :> "mf_lock")
            @@ ("mp_mn_start" :> "mp_lock")
            @@ ("rc_mn_start" :> "rc_lock")

\* What an rmap caller does after try_to_unmap_one() and its notifier calls.
AfterTtu(a) == IF ~loc[a].ok THEN "page_unlock"
               ELSE IF Site(a) = "migration" THEN "migrate_copy" ELSE "pageout"
\* What shrink_folio_list() does after a batched try_to_unmap_one(): try_to_unmap_flush_dirty()
\* and pageout() if the page went to swap, else unlock it (Reclaim).
AfterRc(a) == IF loc[a].ok THEN "rc_flush_dirty" ELSE "rc_page_unlock"
\* KSM goes on to compare the pages only if write_protect_page() succeeded.
AfterWpp(a) == IF loc[a].ok THEN "ksm_cmp" ELSE "ksm_unlock"

MnEndNext(a) ==
    CASE pc[a] = "zap_mn_end" -> "zap_finish"
      [] pc[a] = "wp_copy_mn_end" -> "wp_copy_put"
      [] pc[a] = "ttu_mn_end" -> AfterTtu(a)
      [] pc[a] = "wpp_mn_end" -> AfterWpp(a)
      [] pc[a] = "rp_mn_end" -> "ksm_unlock"
      [] pc[a] = "mf_mn_end" -> "mf_finish"
      [] pc[a] = "mp_mn_end" -> "mp_finish"
      [] pc[a] = "rc_mn_end" -> AfterRc(a)

InvalidatePageNext(a) ==
    CASE pc[a] = "ttu_invalidate_page" -> AfterTtu(a)
      [] pc[a] = "wpp_invalidate_page" -> AfterWpp(a)
      [] pc[a] = "rp_invalidate_page" -> "ksm_unlock"
      [] pc[a] = "rc_invalidate_page" -> AfterRc(a)

\* The range a bracket covers: the instruction's, or for reclaim the page at its cursor.
RangeLo(a) == IF pc[a] \in {"rc_mn_start", "rc_mn_end"} THEN loc[a].va ELSE Cur(a).lo
RangeHi(a) == IF pc[a] \in {"rc_mn_start", "rc_mn_end"} THEN loc[a].va ELSE Cur(a).hi

KvmIdle == VCPUS = {}   \* no VM: keep kvm's counters still, so they do not multiply states

\* mmu_notifier_invalidate_range_start(mm, lo, hi): KVM zaps its shadow PTEs in the range.
mmu_notifier_invalidate_range_start(a) ==
    /\ pc[a] \in DOMAIN MnStartNext
    /\ LET lo == RangeLo(a)
           hi == RangeHi(a) IN
       /\ spte' = ZappedSpte(lo, hi)
       /\ kvm' = IF KvmIdle \/ shadow = "start_only" THEN kvm
                 ELSE [kvm EXCEPT !.count = @ + 1]
    /\ Goto(a, MnStartNext[pc[a]])
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   iotlb, pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* mmu_notifier_invalidate_range_end(mm, lo, hi): KVM bumps seq and drops the count;
\* v4.13-v6.5 also call ->invalidate_range for the whole range here.
mmu_notifier_invalidate_range_end(a) ==
    /\ pc[a] \in {"zap_mn_end", "wp_copy_mn_end", "ttu_mn_end", "wpp_mn_end", "rp_mn_end",
                  "mf_mn_end", "mp_mn_end", "rc_mn_end"}
    /\ LET lo == RangeLo(a)
           hi == RangeHi(a) IN
       /\ iotlb' = IF EndInvalidates THEN InvalidatedIotlb(lo, hi) ELSE iotlb
       /\ kvm' = IF KvmIdle \/ shadow = "start_only" THEN kvm
                 ELSE [count |-> kvm.count - 1, seq |-> kvm.seq + 1]
    /\ Goto(a, MnEndNext(a))
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   spte, pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* v4.10's mmu_notifier_invalidate_page(mm, va), called after the PT lock is released,
\* with no start/end bracket: KVM zaps the shadow PTE and bumps seq; devices flush.
mmu_notifier_invalidate_page(a) ==
    /\ pc[a] \in {"ttu_invalidate_page", "wpp_invalidate_page", "rp_invalidate_page",
                  "rc_invalidate_page"}
    /\ LET v == loc[a].va IN
       /\ iotlb' = InvalidatedIotlb(v, v)
       /\ spte' = ZappedSpte(v, v)
       /\ kvm' = IF KvmIdle THEN kvm ELSE [kvm EXCEPT !.seq = @ + 1]
    /\ Goto(a, InvalidatePageNext(a))
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   pending, gather, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* ---- the shared-page-table device (IOMMUv2 / SVM) ---------------------------------------
\* The IOMMU may walk the CPU page table and fill the IOTLB at any time (ATS).
iotlb_fill(d, v) ==
    /\ pte[v].k = "present"
    /\ iotlb[d][v] # EntryOf(pte[v])
    /\ iotlb' = [iotlb EXCEPT ![d][v] = EntryOf(pte[v])]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   spte, kvm, pending, gather, pc, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

iotlb_evict(d, v) ==
    /\ iotlb[d][v].f # 0
    /\ iotlb' = [iotlb EXCEPT ![d][v] = NoEntry]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   spte, kvm, pending, gather, pc, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* The translation a device access uses: its IOTLB entry, or else a fresh walk (ATS; a
\* translation for a write sets the PTE's dirty bit, as the CPU's walker does).
DevEntry(d, v, write) == IF CanUse(iotlb[d][v], write) THEN iotlb[d][v] ELSE WalkEntry(v, write)

dev_load(d) ==
    /\ pc[d] = "idle" /\ Busy(d) /\ Cur(d).op = "load"
    /\ LET v == Cur(d).lo IN
       /\ CanUse(iotlb[d][v], FALSE) \/ Walkable(v, FALSE)
       /\ LET e == DevEntry(d, v, FALSE) IN
          /\ iotlb' = [iotlb EXCEPT ![d][v] = e]
          /\ Observe(d, v, mem[e.f])
    /\ ip' = [ip EXCEPT ![d] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   spte, kvm, pending, gather, pc, loc, clock, writes, obl, vma, oblw, batched, ubc>>

dev_store(d) ==
    /\ pc[d] = "idle" /\ Busy(d) /\ Cur(d).op = "store"
    /\ LET v == Cur(d).lo IN
       /\ CanUse(iotlb[d][v], TRUE) \/ Walkable(v, TRUE)
       /\ LET e == DevEntry(d, v, TRUE)
              hit == CanUse(iotlb[d][v], TRUE) IN
          /\ iotlb' = [iotlb EXCEPT ![d][v] = e]
          /\ Write(d, v, e.f)
          /\ pte' = IF hit THEN pte ELSE WalkedPte(v, TRUE)
          /\ oblw' = IF hit THEN oblw ELSE WalkDirtied(v, TRUE)
    /\ ip' = [ip EXCEPT ![d] = @ + 1]
    /\ UNCHANGED <<ptl, fstate, ref, pglock, copied, swapcache, swapslot, tlb,
                   spte, kvm, pending, gather, pc, loc, incoherent, obl, vma, batched, ubc>>

\* No translation: the device's page request (PRI) is not modelled; the access is dropped.
dev_fault(d) ==
    /\ pc[d] = "idle" /\ Busy(d) /\ Cur(d).op \in {"load", "store"}
    /\ LET v == Cur(d).lo
           wr == Cur(d).op = "store" IN
       ~CanUse(iotlb[d][v], wr) /\ ~Walkable(v, wr)
    /\ ip' = [ip EXCEPT ![d] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   iotlb, spte, kvm, pending, gather, pc, loc, clock, writes, seen,
                   incoherent, obl, vma, oblw, batched, ubc>>

\* ---- the shadow-page-table secondary MMU (KVM) -------------------------------------------
kvm_load(v) ==
    /\ pc[v] = "idle" /\ Busy(v) /\ Cur(v).op = "load"
    /\ CanUse(spte[Cur(v).lo], FALSE)
    /\ Observe(v, Cur(v).lo, mem[spte[Cur(v).lo].f])
    /\ ip' = [ip EXCEPT ![v] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   iotlb, spte, kvm, pending, gather, pc, loc, clock, writes, obl, vma, oblw, batched, ubc>>

kvm_store(v) ==
    /\ pc[v] = "idle" /\ Busy(v) /\ Cur(v).op = "store"
    /\ CanUse(spte[Cur(v).lo], TRUE)
    /\ Write(v, Cur(v).lo, spte[Cur(v).lo].f)
    /\ ip' = [ip EXCEPT ![v] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, copied, swapcache, swapslot, tlb,
                   iotlb, spte, kvm, pending, gather, pc, loc, incoherent, obl, vma, oblw, batched, ubc>>

\* kvm_mmu_page_fault(): no usable shadow PTE; remember mmu_notifier_seq first.
kvm_mmu_page_fault(v) ==
    /\ pc[v] = "idle" /\ Busy(v) /\ Cur(v).op \in {"load", "store"}
    /\ ~CanUse(spte[Cur(v).lo], Cur(v).op = "store")
    /\ pc' = [pc EXCEPT ![v] = "kvm_gfn_to_pfn"]
    /\ loc' = [loc EXCEPT ![v] = [@ EXCEPT !.va = Cur(v).lo, !.seq = kvm.seq]]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb,
                   iotlb, spte, kvm, pending, gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* gfn_to_pfn(): get_user_pages() (under mmap_lock for reading) looks the frame up in the CPU
\* page table and pins it; for a write it dirties the PTE (FOLL_WRITE). A non-present page
\* would need a CPU fault on KVM's behalf, not modelled: the access is dropped.
gfn_to_pfn(v) ==
    /\ pc[v] = "kvm_gfn_to_pfn"
    /\ MmapReadable
    /\ LET va == loc[v].va
           wr == Cur(v).op = "store" IN
       IF Walkable(va, wr)
       THEN /\ ref' = [ref EXCEPT ![pte[va].f] = @ + 1]
            \* writable as the walker caches it: a clean PTE maps read-only until a store
            \* (KVM's own dirty tracking, kvm_set_pfn_dirty(), is not modelled)
            /\ loc' = [loc EXCEPT ![v] = [@ EXCEPT !.f = pte[va].f, !.ok = WalkEntry(va, wr).w]]
            /\ pte' = WalkedPte(va, wr)
            /\ oblw' = WalkDirtied(va, wr)
            /\ Goto(v, "kvm_map")
            /\ UNCHANGED ip
       ELSE /\ Finish(v)
            /\ UNCHANGED <<ref, pte, oblw>>
    /\ UNCHANGED <<ptl, fstate, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, clock, writes, seen, incoherent, obl, vma, batched, ubc>>

\* Under kvm->mmu_lock: with shadow = "seq", install only if no invalidation is in flight and
\* none completed since the fault began; then kvm_release_pfn_clean().
direct_map(v) ==
    /\ pc[v] = "kvm_map"
    /\ shadow = "start_only" \/ (kvm.count = 0 /\ kvm.seq = loc[v].seq)
    /\ spte' = [spte EXCEPT ![loc[v].va] = [f |-> loc[v].f, w |-> loc[v].ok]]
    /\ PutPages({loc[v].f})
    /\ pc' = [pc EXCEPT ![v] = "idle"]
    /\ loc' = [loc EXCEPT ![v] = Locals0]
    /\ UNCHANGED <<pte, ptl, pglock, mem, swapcache, swapslot, tlb, iotlb, kvm, pending,
                   gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

\* mmu_notifier_retry() said retry: drop the pin and take the fault again.
mmu_notifier_retry(v) ==
    /\ pc[v] = "kvm_map"
    /\ shadow = "seq" /\ (kvm.count # 0 \/ kvm.seq # loc[v].seq)
    /\ PutPages({loc[v].f})
    /\ pc' = [pc EXCEPT ![v] = "idle"]
    /\ loc' = [loc EXCEPT ![v] = Locals0]
    /\ UNCHANGED <<pte, ptl, pglock, mem, swapcache, swapslot, tlb, iotlb, spte, kvm, pending,
                   gather, ip, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>

DeviceStep(d) == dev_load(d) \/ dev_store(d) \/ dev_fault(d)
VcpuStep(v) == kvm_load(v) \/ kvm_store(v) \/ kvm_mmu_page_fault(v) \/ gfn_to_pfn(v)
               \/ direct_map(v) \/ mmu_notifier_retry(v)
NotifierStep(a) == mmu_notifier_invalidate_range_start(a) \/ mmu_notifier_invalidate_range_end(a)
                   \/ mmu_notifier_invalidate_page(a)
=============================================================================
