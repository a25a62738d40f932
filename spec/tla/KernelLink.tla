----------------------------- MODULE KernelLink -----------------------------
(***************************************************************************)
(* The link between the protocol spec (MMU, Linux v4.13 mm with its       *)
(* variants) and KernelView (the view of Linux 6.1 that real ftrace traces *)
(* are checked against): every protocol step is mapped to the kernel      *)
(* events the kernel emits at that point (the same tracepoints and        *)
(* kprobes kernel/capture.sh records), and those events are replayed      *)
(* through KernelView's own actions (INSTANCE KernelView, its variables   *)
(* the k* variables here) -- what kernel-check does with a real trace.   *)
(*                                                                         *)
(* A behaviour of LinkSpec is a protocol behaviour with the view's state  *)
(* alongside: after each protocol step the link applies that step's events*)
(* one at a time (ev, the events not yet applied; the protocol waits until *)
(* ev is empty). TLC checks, on the unit scenarios:                        *)
(*   KernelViewAccepts: every event is a step of KernelView (its action,  *)
(*     with the arguments the mapping names, is enabled; KernelView's Next *)
(*     quantifies over Nat and STRING, which TLC cannot enumerate, so the *)
(*     step property [][KV!Next]_kvars is checked as this state predicate,*)
(*     with the witnesses named): the view accepts the protocol's traces; *)
(*   KernelView's invariants in every state: no false alarm on a fixed    *)
(*     variant, an alarm on the buggy cpu_flush = "gather";              *)
(*   ViewSeesFreedReachable, ViewSeesStaleAfterReturn: the protocol's     *)
(*     harms (NoUseAfterFree for a TLB and a page the view saw freed;      *)
(*     NoStaleAfterReturn) are raised by one of KernelView's invariants   *)
(*     whenever the view has caught up. So a real trace that KernelView  *)
(*     accepts shows neither harm, as far as the mapping below goes.      *)
(*                                                                         *)
(* The mapping (protocol step of CPU c -> kernel events; task Task(c),    *)
(* CPU id CpuNo(c), one mm, pfn = frame, virtual page = va, ranges        *)
(* half-open [lo, hi + 1) as the trace's):                                 *)
(*   start: switch_mm_irqs_off + its return on every CPU (each runs the   *)
(*     mm), mmu_notifier_register if a device or vCPU exists;            *)
(*   tlb_gather_mmu: sys_enter(madvise | mprotect), tlb_gather_mmu with  *)
(*     the pending count before this gather's increment;                 *)
(*   zap_pte_range of a present PTE: __tlb_remove_page_size;             *)
(*   tlb_flush_mmu_tlbonly (forced), tlb_finish_mmu (with a range),       *)
(*     ptep_clear_flush in wp_page_copy, try_to_unmap_one,               *)
(*     write_protect_page, replace_page: flush_tlb_mm_range,             *)
(*     native_flush_tlb_multi (every CPU), flush_tlb_func on every CPU;  *)
(*     plus __mmu_notifier_invalidate_range where the variant calls       *)
(*     ->invalidate_range under the PT lock;                              *)
(*   tlb_finish_mmu: tlb_finish_mmu with pending, then its flush (all =  *)
(*     TLB_FLUSH_ALL when it flushes the whole range);                    *)
(*   dec_tlb_flush_pending: tlb_finish_mmu's return, sys_exit;            *)
(*   notifier start/end/invalidate_page: the kprobes, if a notifier is    *)
(*     registered (mm_has_notifiers());                                  *)
(*   wp_page_copy / wp_page_copy_put: the kprobe and its kretprobe;       *)
(*   migrate / swap_out (lock_page .. unlock_page): sys_enter/exit of     *)
(*     move_pages / madvise(MADV_PAGEOUT); KSM runs in ksmd, no syscall;  *)
(*   a frame freed (fstate to "free") that the view has queued:           *)
(*     mm_page_free (the translator ignores frees of other pages).       *)
(*                                                                         *)
(* What the protocol sees and the view cannot: TLB, IOTLB and shadow-PTE  *)
(* contents (fills, evictions; the view assumes every CPU may cache a     *)
(* queued page until a flush_tlb_func covers it), PTE values, PT locks,   *)
(* page locks and reference counts, the swap cache, memory contents       *)
(* (Coherence, NoLostWrite), loads and stores, faults other than          *)
(* wp_page_copy, VMA flags, KVM's seq/count, device and vCPU accesses.    *)
(* So NoLostWrite, Coherence, ShadowValid, NoWritableAfterReturn and the  *)
(* IOTLB/shadow parts of NoUseAfterFree have no counterpart in the view; *)
(* and a free of a page the view never queued (swap-out, migration, CoW, *)
(* KVM's put) is invisible to it.                                          *)
(* What the view sees and the protocol cannot: lazy TLB mode, PCID and    *)
(* the switch_mm_irqs_off() window, several mms and __mmdrop, context     *)
(* switches, page-table pages (freed_tables), fullmm gathers, the kprobe  *)
(* sample of tlb_flush_pending racing with the kernel's read (the excuse *)
(* in tlb_finish_mmu_return), missed kprobe hits (recovered), and the     *)
(* interleaving of IPIs: the protocol's shootdown is one step, so the     *)
(* link replays every flush whole, never two at once.                     *)
(***************************************************************************)
EXTENDS MMU, Sequences

CONSTANT kv_flush  \* KernelView's cpu_flush: "nested" (as 6.1 traces are checked) or "gather"

VARIABLES
    kloaded, klazy, kswitching, ksys, kfault, kgathers, kowes, kqueued, kstale, kflushing,
    knotifier, kmn,   \* KernelView's variables (loaded, lazy, ... mn)
    ev,               \* the kernel events of the last protocol step not yet applied to the view
    kgone             \* ghost: frames freed through the view's page_free and not allocated since

kvars == <<kloaded, klazy, kswitching, ksys, kfault, kgathers, kowes, kqueued, kstale, kflushing,
           knotifier, kmn>>

NCpus == Cardinality(CPUS)
\* (an enumerated set, not an interval: TLC would print 0..1, which trace readers do not parse)
KCpus == {k - 1 : k \in 1..NCpus}
\* CPU c is CPU CpuNo(c) of the guest and runs task Task(c).
CpuOrder == CHOOSE s \in [1..NCpus -> CPUS] : \A i, j \in 1..NCpus : i # j => s[i] # s[j]
CpuNo(c) == CHOOSE i \in KCpus : CpuOrder[i + 1] = c
Task(c) == CpuNo(c) + 1
TheMm == 1
HasNotifier == DEVS \cup VCPUS # {}

KV == INSTANCE KernelView WITH Cpus <- KCpus, cpu_flush <- kv_flush,
        loaded <- kloaded, lazy <- klazy, switching <- kswitching, sys <- ksys, fault <- kfault,
        gathers <- kgathers, owes <- kowes, queued <- kqueued, stale <- kstale,
        flushing <- kflushing, notifier <- knotifier, mn <- kmn

ASSUME kv_flush \in {"nested", "gather"}

\* ---- kernel events (one record shape: a is the KernelView action) --------------------
E0(a) == [a |-> a, t |-> 0, c |-> 0, i |-> 0, lo |-> 0, hi |-> 0, b |-> FALSE, p |-> 0, s |-> "",
          ts |-> {}]
EvSysEnter(t, call) == [E0("sys_enter") EXCEPT !.t = t, !.s = call]
EvSysExit(t) == [E0("sys_exit") EXCEPT !.t = t]
EvGather(t, pend) == [E0("tlb_gather_mmu") EXCEPT !.t = t, !.p = pend]
EvQueue(t, pfn, va) == [E0("tlb_remove_page_size") EXCEPT !.t = t, !.i = pfn, !.lo = va]
EvFinish(t, pend) == [E0("tlb_finish_mmu") EXCEPT !.t = t, !.p = pend]
EvFinishRet(t) == [E0("tlb_finish_mmu_return") EXCEPT !.t = t]
EvMnStart(t, lo, hi) == [E0("mn_start") EXCEPT !.t = t, !.lo = lo, !.hi = hi]
EvMnEnd(t, lo, hi) == [E0("mn_end") EXCEPT !.t = t, !.lo = lo, !.hi = hi]
EvMnInv(t, lo, hi) == [E0("mn_invalidate") EXCEPT !.t = t, !.lo = lo, !.hi = hi]
EvWpCopy(t) == [E0("wp_page_copy") EXCEPT !.t = t]
EvWpCopyRet(t) == [E0("wp_page_copy_return") EXCEPT !.t = t]
EvPageFree(pfn) == [E0("page_free") EXCEPT !.i = pfn]

\* flush_tlb_mm_range() on CPU c over [lo, hi) (all: TLB_FLUSH_ALL, logged as the translator
\* logs it, range 0..0), the IPIs to mm_cpumask (every CPU runs the mm) and flush_tlb_func()
\* on each CPU, the local one included, with its flush_tlb_info's range (the protocol's ranges
\* are far below tlb_single_page_flush_ceiling, so it is the one asked for) and its
\* tlb:tlb_flush page count: every CPU runs the mm, not lazily, and the link replays flushes
\* one at a time, so on each CPU f->new_tlb_gen = local_tlb_gen + 1 = mm_tlb_gen: a partial
\* flush of hi - lo pages, or -1 for TLB_FLUSH_ALL (a full flush).
EvFlush(c, lo, hi, all) ==
    LET flo == IF all THEN 0 ELSE lo
        fhi == IF all THEN 0 ELSE hi
    IN
    <<[E0("flush_tlb_mm_range") EXCEPT !.t = Task(c), !.c = CpuNo(c), !.lo = flo, !.hi = fhi,
                                       !.b = all]>>
    \o (IF NCpus > 1 THEN <<[E0("native_flush_tlb_multi") EXCEPT !.c = CpuNo(c), !.ts = KCpus]>>
        ELSE <<>>)
    \o [k \in 1..NCpus |-> [E0("flush_tlb_func") EXCEPT !.c = k - 1, !.i = CpuNo(c), !.lo = flo,
                                                    !.hi = fhi, !.b = all,
                                                    !.p = IF all THEN -1 ELSE fhi - flo]]

\* Notifier calls happen only when the mm has a notifier (mm_has_notifiers()).
IfMn(e) == IF HasNotifier THEN <<e>> ELSE <<>>
\* ->invalidate_range of a gather's flush (tlb_flush_mmu_tlbonly), where the variant has it.
GatherInv(c, lo, hi) == IF GatherInvalidates THEN IfMn(EvMnInv(Task(c), lo, hi)) ELSE <<>>
PtlInv(c, site, v) == IF NotifyUnderPtl(site) THEN IfMn(EvMnInv(Task(c), v, v + 1)) ELSE <<>>

StartEvents ==
    [k \in 1..2 * NCpus |->
        IF k % 2 = 1 THEN [E0("switch_mm_irqs_off") EXCEPT !.c = (k - 1) \div 2]
        ELSE [E0("switch_mm_irqs_off_return") EXCEPT !.c = (k - 1) \div 2]]
    \o IfMn(E0("mmu_notifier_register"))

MnEndPCs == {"zap_mn_end", "wp_copy_mn_end", "ttu_mn_end", "wpp_mn_end", "rp_mn_end",
             "mf_mn_end", "mp_mn_end"}
Mapped(c) == pte[loc[c].va].k = "present" /\ pte[loc[c].va].f = loc[c].f

\* The events of CPU c's step before any page it frees.
CpuEvents(c) ==
    LET t == Task(c)
        p == pc[c]
        v == loc[c].va
        g == gather[c]
        whole == cpu_flush = "always" \/ (cpu_flush = "nested" /\ pending > 1)
        flo == IF whole THEN Cur(c).lo ELSE g.lo
        fhi == IF whole THEN Cur(c).hi ELSE g.hi
    IN
    CASE p = "idle" /\ pc'[c] \in {"zap_mn_start", "mf_mn_start", "mprotect_fixup"} ->
             <<EvSysEnter(t, IF pc'[c] = "mprotect_fixup" THEN "mprotect" ELSE "madvise"),
               EvGather(t, pending)>>
      [] p = "idle" /\ pc'[c] \in {"ttu_mn_start", "ttu_lock"} ->
             <<EvSysEnter(t, IF Cur(c).op = "migrate" THEN "move_pages" ELSE "madvise")>>
      [] p \in DOMAIN MnStartNext -> IfMn(EvMnStart(t, Cur(c).lo, Cur(c).hi + 1))
      [] p \in MnEndPCs -> IfMn(EvMnEnd(t, Cur(c).lo, Cur(c).hi + 1))
      [] p \in {"ttu_invalidate_page", "wpp_invalidate_page", "rp_invalidate_page"} ->
             IfMn(EvMnInv(t, v, v + 1))
      [] p = "zap_pte_range" /\ pte[v].k = "present" -> <<EvQueue(t, pte[v].f, v)>>
      [] p = "zap_force_flush" -> EvFlush(c, g.lo, g.hi + 1, FALSE) \o GatherInv(c, g.lo, g.hi + 1)
      [] p \in {"zap_finish", "mf_finish", "mp_finish"} ->
             <<EvFinish(t, pending)>>
             \o (IF flo = 0 THEN <<>> ELSE EvFlush(c, flo, fhi + 1, whole) \o GatherInv(c, flo, fhi + 1))
      [] p = "do_wp_page" /\ pc'[c] = "wp_copy_mn_start" -> <<EvWpCopy(t)>>
      [] p = "wp_copy_locked" /\ pc'[c] = "wp_copy_set_pte" ->
             EvFlush(c, v, v + 1, FALSE) \o PtlInv(c, "cow", v)
      [] p = "ttu" /\ Mapped(c) -> EvFlush(c, v, v + 1, FALSE) \o PtlInv(c, Site(c), v)
      [] p = "wpp" /\ Mapped(c) /\ (pte[v].w \/ pending > 0) ->
             EvFlush(c, v, v + 1, FALSE) \o PtlInv(c, "ksm", v)
      [] p = "rp" /\ Mapped(c) /\ ~pte[v].w -> EvFlush(c, v, v + 1, FALSE) \o PtlInv(c, "ksm", v)
      [] OTHER -> <<>>

\* The events of CPU c's step after the pages it frees: the returns.
CpuReturns(c) ==
    CASE pc[c] \in {"zap_dec_pending", "mf_dec_pending", "mp_dec_pending"} ->
             <<EvFinishRet(Task(c)), EvSysExit(Task(c))>>
      [] pc[c] = "wp_copy_put" -> <<EvWpCopyRet(Task(c))>>
      [] pc[c] = "page_unlock" /\ Cur(c).op \in {"migrate", "swap_out"} -> <<EvSysExit(Task(c))>>
      [] OTHER -> <<>>

\* mm_page_free of each frame this step frees that the view has queued, in frame order.
FreeEvents ==
    LET S == {f \in FRAMES : fstate[f] = "mm" /\ fstate'[f] = "free" /\ \E e \in kqueued : e.pfn = f}
        s == SelectSeq([k \in 1..Sc.nframe |-> k], LAMBDA f : f \in S)
    IN [k \in 1..Len(s) |-> EvPageFree(s[k])]

\* Every agent step moves its agent's pc or ip; hardware fills and evictions move none.
Movers == {a \in AGENTS : pc'[a] # pc[a] \/ ip'[a] # ip[a]}
StepEvents ==
    IF Movers = {} THEN <<>>
    ELSE LET a == CHOOSE x \in Movers : TRUE IN
         IF a \in CPUS THEN CpuEvents(a) \o FreeEvents \o CpuReturns(a) ELSE FreeEvents

\* One kernel event as KernelView's action.
Apply(e) ==
    CASE e.a = "sys_enter" -> KV!sys_enter(e.t, e.s)
      [] e.a = "sys_exit" -> KV!sys_exit(e.t)
      [] e.a = "wp_page_copy" -> KV!wp_page_copy(e.t)
      [] e.a = "wp_page_copy_return" -> KV!wp_page_copy_return(e.t)
      [] e.a = "tlb_gather_mmu" -> KV!tlb_gather_mmu(e.t, TheMm, e.p, FALSE)
      [] e.a = "tlb_remove_page_size" -> KV!tlb_remove_page_size(e.t, e.i, e.lo, FALSE)
      [] e.a = "tlb_finish_mmu" -> KV!tlb_finish_mmu(e.t, e.p)
      [] e.a = "tlb_finish_mmu_return" -> KV!tlb_finish_mmu_return(e.t)
      [] e.a = "mmu_notifier_register" -> KV!mmu_notifier_register(TheMm)
      [] e.a = "mn_start" -> KV!mmu_notifier_invalidate_range_start(e.t, TheMm, e.lo, e.hi)
      [] e.a = "mn_end" -> KV!mmu_notifier_invalidate_range_end(e.t, TheMm, e.lo, e.hi)
      [] e.a = "mn_invalidate" -> KV!mmu_notifier_invalidate_range(e.t, TheMm, e.lo, e.hi)
      [] e.a = "flush_tlb_mm_range" -> KV!flush_tlb_mm_range(e.t, e.c, TheMm, e.lo, e.hi, e.b)
      [] e.a = "native_flush_tlb_multi" -> KV!native_flush_tlb_multi(e.c, e.ts)
      [] e.a = "flush_tlb_func" -> KV!flush_tlb_func(e.c, e.i, TheMm, e.lo, e.hi, e.b, e.p, FALSE)
      [] e.a = "page_free" -> KV!page_free(e.i)
      [] e.a = "switch_mm_irqs_off" -> KV!switch_mm_irqs_off(e.c, TheMm, FALSE)
      [] e.a = "switch_mm_irqs_off_return" -> KV!switch_mm_irqs_off_return(e.c, FALSE)

LinkInit ==
    /\ Init
    /\ KV!Init
    /\ ev = StartEvents
    /\ kgone = {}

\* A protocol step, once the view has caught up; the view waits.
ProtocolStep ==
    /\ ev = <<>>
    /\ Next
    /\ ev' = StepEvents
    /\ kgone' = {f \in kgone : fstate'[f] = "free"}
    /\ UNCHANGED kvars

\* The view applies the next kernel event; the protocol waits.
ViewStep ==
    /\ ev # <<>>
    /\ Apply(Head(ev))
    /\ ev' = Tail(ev)
    /\ kgone' = IF Head(ev).a = "page_free" THEN kgone \cup {Head(ev).i} ELSE kgone
    /\ UNCHANGED vars

LinkNext == ProtocolStep \/ ViewStep

LinkSpec == LinkInit /\ [][LinkNext]_<<vars, kvars, ev, kgone>>

-----------------------------------------------------------------------------
(* Invariants *)

\* The kernel event a protocol step emits is not a step of KernelView: kernel-check would reject a correct kernel's trace ("not a step").
KernelViewAccepts == ev # <<>> => ENABLED (Apply(Head(ev)) /\ UNCHANGED <<vars, ev, kgone>>)

\* KernelView's invariants on the view's state (what kernel-check holds a real trace to).
NoFreedPageReachable == KV!NoFreedPageReachable
ZappedPageUnreachableAfterReturn == KV!ZappedPageUnreachableAfterReturn
NestedFlushBeforeReturn == KV!NestedFlushBeforeReturn
NotifierPaired == KV!NotifierPaired
NotifierBracketsZap == KV!NotifierBracketsZap
QueuedOncePerMapping == KV!QueuedOncePerMapping

\* A TLB maps a frame the view saw freed and the view holds no stale translation of it on that CPU: a use-after-free KernelView would accept.
ViewSeesFreedReachable ==
    ev = <<>> =>
        \A c \in CPUS, v \in VAS :
            (tlb[c][v].f # 0 /\ tlb[c][v].f \in kgone) =>
                \E s \in kstale : s.cpu = CpuNo(c) /\ s.pfn = tlb[c][v].f

\* A zap returned with its TLB still mapping what it cleared (NoStaleAfterReturn) and the view raised no alarm: the 2017 race would pass kernel-check.
ViewSeesStaleAfterReturn ==
    ev = <<>> => (NoStaleAfterReturn \/ ~KV!NestedFlushBeforeReturn \/ ~KV!NoFreedPageReachable
                  \/ ~KV!ZappedPageUnreachableAfterReturn)
=============================================================================
