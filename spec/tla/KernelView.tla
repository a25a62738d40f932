------------------------------ MODULE KernelView ------------------------------
(***************************************************************************)
(* A kernel-level view of the TLB-gather / MMU-notifier protocol, as seen  *)
(* through ftrace on a real Linux kernel (Debian's 6.1, captured by        *)
(* kernel/capture.sh). It models                                           *)
(*   - tlb_gather_mmu(), __tlb_remove_page_size(), tlb_finish_mmu() of     *)
(*     mm/mmu_gather.c, Linux 6.1, with the nested-flush fix of            *)
(*     99baac21e458 (mm_tlb_flush_nested() -> a fullmm flush since         *)
(*     7a30df49f63a) behind cpu_flush = "nested";                          *)
(*   - the zap paths of mm/memory.c (zap_page_range_single, unmap_vmas,    *)
(*     wp_page_copy), which bracket the zap with                           *)
(*     mmu_notifier_invalidate_range_start/_end;                           *)
(*   - __mmu_notifier_register(), __mmu_notifier_invalidate_range_start,   *)
(*     _end and __mmu_notifier_invalidate_range of mm/mmu_notifier.c;      *)
(*   - flush_tlb_mm_range(), native_flush_tlb_multi(), flush_tlb_func()    *)
(*     and switch_mm_irqs_off() of arch/x86/mm/tlb.c (lazy TLB, PCID:      *)
(*     a CPU that left an mm keeps its entries until it flushes on return).*)
(*                                                                         *)
(* Every variable is a function of the events so far: the translator       *)
(* (mmucheck.refinement.kernel) computes it and writes PARTIAL logs, each  *)
(* line carrying what its action changed; every action is deterministic   *)
(* given its arguments, so the checker's frontier stays one state.         *)
(* Pointers are pfns (pages), small mm ids (mm_struct) and task ids     *)
(* (pids); virtual page numbers are rank-compressed, order-preserving, so  *)
(* they fit TLC's 32-bit integers. Values sampled by a kprobe from shared  *)
(* state (the tlb_flush_pending count at tlb_finish_mmu) are observations  *)
(* that may race with the kernel's own read a few instructions later; the  *)
(* spec only demands the nested flush when the observation AND the view    *)
(* agree that another gather was in flight until this one decided.        *)
(* Missed flush_tlb_func kprobe hits (an IPI landing inside another        *)
(* probe's handler) are recovered by the translator from the tlb:tlb_flush *)
(* tracepoint of the same call and marked recovered = TRUE.                *)
(***************************************************************************)
EXTENDS Integers, FiniteSets, TLC

CONSTANTS
    Cpus,        \* the CPU ids of the guest, 0..smp-1
    cpu_flush    \* "nested" (6.1, 99baac21e458) or "gather" (before it)

NoMm == 0        \* an mm outside the traced workload (init_mm, other processes)

VARIABLES
    loaded,    \* loaded[c]: the mm whose page tables CPU c has loaded (cpu_tlbstate.loaded_mm)
    lazy,      \* lazy[c]: c runs a kernel thread on a borrowed mm (lazy TLB mode)
    switching, \* CPUs inside switch_mm_irqs_off(): interrupts off, no user access yet
    sys,       \* sys[t]: the system call task t is in (domain: tasks in a traced syscall)
    fault,     \* tasks inside wp_page_copy() (a CoW fault, which brackets with notifiers)
    gathers,   \* gathers[t]: task t's mmu_gather between tlb_gather_mmu and its return from tlb_finish_mmu
    owes,      \* tasks whose gather saw another in flight and has not yet flushed the whole range
    queued,    \* pages passed to __tlb_remove_page_size and not yet freed, one record per mapping
    stale,     \* translations of freed pages that a CPU may still hold (under the mm's PCID)
    flushing,  \* flushing[c]: the last flush_tlb_mm_range issued on c, with the pages it covers
    notifier,  \* mms with an MMU notifier registered
    mn         \* mn[t]: task t's open mmu_notifier_invalidate_range_start brackets

vars == <<loaded, lazy, switching, sys, fault, gathers, owes, queued, stale, flushing, notifier, mn>>

NoFlush == [mm |-> NoMm, lo |-> 0, hi |-> 0, all |-> FALSE, snap |-> {}, targets |-> {}]

\* Function helpers: extend or shrink a function's domain.
Put(f, k, v) == [x \in DOMAIN f \cup {k} |-> IF x = k THEN v ELSE f[x]]
Drop(f, k) == [x \in DOMAIN f \ {k} |-> f[x]]

TypeOK ==
    /\ loaded \in [Cpus -> Nat]
    /\ lazy \in [Cpus -> BOOLEAN]
    /\ switching \subseteq Cpus
    /\ fault \subseteq Nat
    /\ owes \subseteq Nat
    /\ notifier \subseteq Nat
    /\ \A e \in queued : e.cache \subseteq Cpus /\ e.pfn \in Nat /\ e.va \in Nat /\ e.table \in BOOLEAN
    /\ \A s \in stale : s.cpu \in Cpus
    /\ \A c \in Cpus : flushing[c].targets \subseteq Cpus

Init ==
    /\ loaded = [c \in Cpus |-> NoMm]
    /\ lazy = [c \in Cpus |-> TRUE]
    /\ switching = {}
    /\ sys = <<>>
    /\ fault = {}
    /\ gathers = <<>>
    /\ owes = {}
    /\ queued = {}
    /\ stale = {}
    /\ flushing = [c \in Cpus |-> NoFlush]
    /\ notifier = {}
    /\ mn = <<>>

(* syscalls:sys_enter_madvise / munmap / mmap / clone *)
sys_enter(t, call) ==
    /\ sys' = Put(sys, t, call)
    /\ UNCHANGED <<loaded, lazy, switching, fault, gathers, owes, queued, stale, flushing, notifier, mn>>

(* syscalls:sys_exit_*: the task returns to user space *)
sys_exit(t) ==
    /\ t \in DOMAIN sys
    /\ sys' = Drop(sys, t)
    /\ UNCHANGED <<loaded, lazy, switching, fault, gathers, owes, queued, stale, flushing, notifier, mn>>

(* wp_page_copy(), mm/memory.c: a CoW fault, bracketed by notifier calls *)
wp_page_copy(t) ==
    /\ fault' = fault \cup {t}
    /\ UNCHANGED <<loaded, lazy, switching, sys, gathers, owes, queued, stale, flushing, notifier, mn>>

wp_page_copy_return(t) ==
    /\ fault' = fault \ {t}
    /\ UNCHANGED <<loaded, lazy, switching, sys, gathers, owes, queued, stale, flushing, notifier, mn>>

(* tlb_gather_mmu() / tlb_gather_mmu_fullmm(): inc_tlb_flush_pending(mm);    *)
(* pending is the count sampled at entry (before this gather's increment).  *)
tlb_gather_mmu(t, m, pending, fullmm) ==
    /\ t \notin DOMAIN gathers
    /\ m # NoMm
    /\ gathers' = Put(gathers, t, [mm |-> m, pending |-> pending, phase |-> "zap",
                                   with |-> {}, decided |-> FALSE, fullmm |-> fullmm])
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, owes, queued, stale, flushing, notifier, mn>>

(* __tlb_remove_page_size(): zap_pte_range() cleared the PTE of va and queues *)
(* the page; until flushed, any CPU may still hold the translation. va is   *)
(* read as tlb->end - PAGE_SIZE: tlb_remove_tlb_entry() has just widened    *)
(* the gather's range by this PTE, and zap_pte_range() walks addresses in   *)
(* ascending order (exact for data pages; for a page-table page, queued by *)
(* free_pgtables() with tlb->freed_tables set, it is a point of the range   *)
(* the gather will flush). table: a page-table page, which is freed after   *)
(* the notifier bracket (secondary MMUs were invalidated for the range).    *)
tlb_remove_page_size(t, pfn, va, table) ==
    /\ t \in DOMAIN gathers
    /\ LET m == gathers[t].mm IN
       queued' = queued \cup
          {[pfn |-> pfn, mm |-> m, va |-> va, task |-> t, cache |-> Cpus, released |-> FALSE, table |-> table,
            exposed |-> {},
            bracketed |-> table \/ (m \notin notifier) \/
                          (t \in DOMAIN mn /\ mn[t].lo <= va /\ va < mn[t].hi)]}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, stale, flushing, notifier, mn>>

(* ptep_clear_flush() (mm/pgtable-generic.c) of a page that leaves its      *)
(* mapping without a gather: try_to_migrate_one() (mm/rmap.c) replacing the *)
(* PTE by a migration entry, replace_page() (mm/ksm.c) by the KSM page. The *)
(* PTE of va in m is cleared and flush_tlb_page() (flush_tlb_mm_range of    *)
(* one page) follows; the page is freed once migrate_pages()/ksmd drop the  *)
(* last reference. Until a flush_tlb_func covers it, every CPU may still    *)
(* hold the translation, as for a queued page; no gather answers for it     *)
(* (task 0, released: no gather's return exposes it or forgets it).        *)
ptep_clear_flush(t, m, pfn, va) ==
    /\ m # NoMm
    /\ queued' = queued \cup
          {[pfn |-> pfn, mm |-> m, va |-> va, task |-> 0, cache |-> Cpus, released |-> TRUE, table |-> FALSE,
            exposed |-> {},
            bracketed |-> (m \notin notifier) \/ (t \in DOMAIN mn /\ mn[t].lo <= va /\ va < mn[t].hi)]}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, stale, flushing, notifier, mn>>

(* tlb_finish_mmu() entry: mm_tlb_flush_nested() reads tlb_flush_pending;   *)
(* pending is our sample of it. Under "nested" a gather that saw another in *)
(* flight owes a flush of the whole range (fullmm, TLB_FLUSH_ALL).          *)
tlb_finish_mmu(t, pending) ==
    /\ t \in DOMAIN gathers
    /\ gathers[t].phase = "zap"
    /\ LET others == {u \in DOMAIN gathers \ {t} : gathers[u].mm = gathers[t].mm}
           nested == cpu_flush = "nested" /\ pending > 1 /\ others # {}
       IN /\ gathers' = [gathers EXCEPT ![t] = [@ EXCEPT !.phase = "finish", !.pending = pending,
                                                        !.with = IF nested THEN others ELSE {}]]
          /\ owes' = IF nested THEN owes \cup {t} ELSE owes
    \* the PTEs another gather in flight cleared (in t's range or not) are gone for t's caller:
    \* once t returns, user space may rely on them being unreachable
    /\ queued' = {IF e.mm = gathers[t].mm /\ e.task # t /\ ~e.released
                  THEN [e EXCEPT !.exposed = @ \cup {t}] ELSE e : e \in queued}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, stale, flushing, notifier, mn>>

(* return from tlb_finish_mmu(): dec_tlb_flush_pending(); pages the gather  *)
(* queued but whose last reference is held elsewhere (per-CPU LRU batch,    *)
(* the other side of a fork) stay queued as released, to be freed later,   *)
(* unless every CPU has already flushed them (then no free of them can be   *)
(* early, and the view forgets them).                                       *)
(* A gather that had not yet decided and whose every witness has now ended  *)
(* may have read pending after they ended: its nested flush is not owed.    *)
tlb_finish_mmu_return(t) ==
    /\ t \in DOMAIN gathers
    /\ gathers[t].phase = "finish"
    /\ LET undecided(u) == u # t /\ gathers[u].phase = "finish" /\ ~gathers[u].decided
                              /\ t \in gathers[u].with
           g2 == [u \in DOMAIN gathers \ {t} |->
                    IF undecided(u) THEN [gathers[u] EXCEPT !.with = @ \ {t}] ELSE gathers[u]]
       IN /\ gathers' = g2
          /\ owes' = owes \ {u \in DOMAIN g2 : undecided(u) /\ g2[u].with = {}}
    /\ queued' = {IF e.task = t THEN [e EXCEPT !.released = TRUE] ELSE e :
                    e \in {e \in queued : e.task # t \/ e.cache # {}}}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, stale, flushing, notifier, mn>>

(* __mmu_notifier_register(): KVM_CREATE_VM registers KVM's notifier on m *)
mmu_notifier_register(m) ==
    /\ notifier' = notifier \cup {m}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, queued, stale, flushing, mn>>

(* __mmu_notifier_invalidate_range_start(range) *)
mmu_notifier_invalidate_range_start(t, m, lo, hi) ==
    /\ mn' = Put(mn, t, IF t \in DOMAIN mn
                        THEN [mn[t] EXCEPT !.depth = @ + 1]
                        ELSE [depth |-> 1, lo |-> lo, hi |-> hi])
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, queued, stale, flushing, notifier>>

(* __mmu_notifier_invalidate_range_end(range); an end without a start      *)
(* leaves depth 0 behind, which NotifierPaired rejects.                     *)
mmu_notifier_invalidate_range_end(t, m, lo, hi) ==
    /\ mn' = IF t \in DOMAIN mn /\ mn[t].depth = 1 THEN Drop(mn, t)
             ELSE IF t \in DOMAIN mn THEN [mn EXCEPT ![t].depth = @ - 1]
             ELSE Put(mn, t, [depth |-> 0, lo |-> lo, hi |-> hi])
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, queued, stale, flushing, notifier>>

(* __mmu_notifier_invalidate_range(): secondary TLB invalidation (IOMMUv2, *)
(* SVM). No secondary TLB is traced, so the view only records the call.    *)
mmu_notifier_invalidate_range(t, m, lo, hi) ==
    /\ m \in notifier
    /\ UNCHANGED vars

(* flush_tlb_mm_range() on CPU c by task t: inc_mm_tlb_gen(); the flush     *)
(* covers the pages of m queued so far. For a finishing gather this is the  *)
(* decision point; a flush of TLB_FLUSH_ALL pays a nested gather's debt.    *)
flush_tlb_mm_range(t, c, m, lo, hi, all) ==
    /\ m # NoMm
    /\ flushing' = [flushing EXCEPT ![c] = [mm |-> m, lo |-> lo, hi |-> hi, all |-> all,
                        snap |-> {e.pfn : e \in {e \in queued : e.mm = m}}
                                 \cup {s.pfn : s \in {s \in stale : s.mm = m}},
                        targets |-> {c}]]
    /\ IF t \in DOMAIN gathers /\ gathers[t].phase = "finish" /\ gathers[t].mm = m
       THEN /\ gathers' = [gathers EXCEPT ![t].decided = TRUE]
            /\ owes' = IF all THEN owes \ {t} ELSE owes
       ELSE UNCHANGED <<gathers, owes>>
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, queued, stale, notifier, mn>>

(* native_flush_tlb_multi(): the IPI targets, mm_cpumask(mm) *)
native_flush_tlb_multi(c, targets) ==
    /\ flushing[c].mm # NoMm
    /\ flushing' = [flushing EXCEPT ![c].targets = targets]
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, queued, stale, notifier, mn>>

(* flush_tlb_func() on CPU c for the flush issued on CPU i, as it ends: lo, *)
(* hi, all are its own flush_tlb_info's range (the range flush_tlb_mm_range *)
(* asked for, or TLB_FLUSH_ALL when that exceeded the single-page ceiling), *)
(* pages the count of its tlb:tlb_flush tracepoint: -1 (TLB_FLUSH_ALL) a    *)
(* full flush of the loaded ASID, which drops every translation of m that c *)
(* held for a cleared PTE (each queued page's PTE was cleared before it was *)
(* queued); n > 0 a partial flush of [lo, hi) (the pages queued before the  *)
(* flush was issued); 0 nothing: the "goto done" path (local_tlb_gen ==     *)
(* mm_tlb_gen) and the untraced returns on f->new_tlb_gen <= local_tlb_gen  *)
(* or f->mm != loaded_mm, where an earlier full flush on c (or the switch   *)
(* away from m) already dropped what this flush covers.                     *)
flush_tlb_func(c, i, m, lo, hi, all, pages, recovered) ==
    /\ m # NoMm
    /\ flushing[i].mm = m
    /\ LET F == flushing[i] IN all \/ (~F.all /\ lo = F.lo /\ hi = F.hi)
    /\ pages > 0 => ~all
    /\ LET F == flushing[i]
           hit(e) == e.mm = m /\ IF pages = -1 THEN TRUE
                                ELSE e.pfn \in F.snap /\ lo <= e.va /\ e.va < hi
       IN IF loaded[c] = m /\ pages # 0
          THEN /\ queued' = {IF hit(e) THEN [e EXCEPT !.cache = @ \ {c}] ELSE e : e \in queued}
               /\ stale' = {s \in stale : ~(s.cpu = c /\ hit(s))}
          ELSE UNCHANGED <<queued, stale>>
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, flushing, notifier, mn>>

(* kmem:mm_page_free of a queued page: the page goes back to the allocator. *)
(* Every CPU that may still cache it now holds a stale translation.         *)
(* A page that no gather queued (or freed twice) is not a step of the view. *)
page_free(pfn) ==
    /\ \E e \in queued : e.pfn = pfn
    /\ queued' = {e \in queued : e.pfn # pfn}
    /\ stale' = stale \cup
                UNION {{[cpu |-> c, pfn |-> pfn, mm |-> e.mm, va |-> e.va, table |-> e.table] : c \in e.cache} :
                        e \in {e \in queued : e.pfn = pfn}}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, flushing, notifier, mn>>

(* __mmdrop(): the mm_struct is freed (no CPU, lazy or not, still uses it); *)
(* its pages and stale translations leave the view, and its id is not       *)
(* reused (the translator gives a reused pointer a new id).                 *)
mmdrop(m) ==
    /\ queued' = {e \in queued : e.mm # m}
    /\ stale' = {s \in stale : s.mm # m}
    /\ notifier' = notifier \ {m}
    /\ UNCHANGED <<loaded, lazy, switching, sys, fault, gathers, owes, flushing, mn>>

(* enter_lazy_tlb(): a kernel thread borrows the mm loaded on c (context_   *)
(* switch() to a task without an mm, or exit_mm() of an exiting thread).    *)
(* The CPU keeps the mm's translations but never uses them for user access; *)
(* a shootdown without freed page tables skips it (native_flush_tlb_multi's *)
(* tlb_is_not_lazy condition).                                              *)
enter_lazy_tlb(c) ==
    /\ loaded[c] # NoMm
    /\ lazy' = [lazy EXCEPT ![c] = TRUE]
    /\ UNCHANGED <<loaded, switching, sys, fault, gathers, owes, queued, stale, flushing, notifier, mn>>

(* switch_mm_irqs_off() entry on CPU c (its kprobe): m will be loaded (NoMm *)
(* for an mm outside the workload), lz for a kernel thread borrowing it.    *)
(* It writes is_lazy = false, smp_mb(), then reads mm->context.tlb_gen: a   *)
(* shootdown that read is_lazy before that write skipped c, and bumped      *)
(* tlb_gen first, so c sees it behind and flushes before it returns. Until  *)
(* then c runs with interrupts off and touches no user page: the view keeps *)
(* c in switching, where nothing it may cache is reachable.                 *)
switch_mm_irqs_off(c, m, lz) ==
    /\ c \notin switching
    /\ loaded' = [loaded EXCEPT ![c] = m]
    /\ lazy' = [lazy EXCEPT ![c] = lz]
    /\ switching' = switching \cup {c}
    /\ UNCHANGED <<sys, fault, gathers, owes, queued, stale, flushing, notifier, mn>>

(* the end of switch_mm_irqs_off() on c: the tlb:tlb_flush tracepoint of    *)
(* TLB_FLUSH_ON_TASK_SWITCH (flushed: tlb_gen was behind or the ASID is new,*)
(* so the mm's entries on c are gone), or, when it returns without one, the *)
(* next event on c. From here c uses what it caches.                        *)
switch_mm_irqs_off_return(c, flushed) ==
    /\ c \in switching
    /\ switching' = switching \ {c}
    /\ LET m == loaded[c] IN
       IF flushed /\ m # NoMm
       THEN /\ queued' = {IF e.mm = m THEN [e EXCEPT !.cache = @ \ {c}] ELSE e : e \in queued}
            /\ stale' = {s \in stale : ~(s.cpu = c /\ s.mm = m)}
       ELSE UNCHANGED <<queued, stale>>
    /\ UNCHANGED <<loaded, lazy, sys, fault, gathers, owes, flushing, notifier, mn>>

Next ==
    \/ \E t \in Nat, call \in STRING : sys_enter(t, call)
    \/ \E t \in DOMAIN sys : sys_exit(t)
    \/ \E t \in Nat : wp_page_copy(t) \/ wp_page_copy_return(t)
    \/ \E t \in Nat, m \in Nat, p \in Int, f \in BOOLEAN : tlb_gather_mmu(t, m, p, f)
    \/ \E t \in DOMAIN gathers, pfn \in Nat, va \in Nat, tb \in BOOLEAN : tlb_remove_page_size(t, pfn, va, tb)
    \/ \E t, m, pfn, va \in Nat : ptep_clear_flush(t, m, pfn, va)
    \/ \E t \in DOMAIN gathers, p \in Int : tlb_finish_mmu(t, p)
    \/ \E t \in DOMAIN gathers : tlb_finish_mmu_return(t)
    \/ \E m \in Nat : mmu_notifier_register(m)
    \/ \E t, m, lo, hi \in Nat : \/ mmu_notifier_invalidate_range_start(t, m, lo, hi)
                                 \/ mmu_notifier_invalidate_range_end(t, m, lo, hi)
                                 \/ mmu_notifier_invalidate_range(t, m, lo, hi)
    \/ \E t \in Nat, c \in Cpus, m, lo, hi \in Nat, all \in BOOLEAN : flush_tlb_mm_range(t, c, m, lo, hi, all)
    \/ \E c \in Cpus, ts \in SUBSET Cpus : native_flush_tlb_multi(c, ts)
    \/ \E c, i \in Cpus, m, lo, hi \in Nat, all \in BOOLEAN, pages \in Int, r \in BOOLEAN :
           flush_tlb_func(c, i, m, lo, hi, all, pages, r)
    \/ \E pfn \in Nat : page_free(pfn)
    \/ \E m \in Nat : mmdrop(m)
    \/ \E c \in Cpus : enter_lazy_tlb(c)
    \/ \E c \in Cpus, m \in Nat, lz \in BOOLEAN : switch_mm_irqs_off(c, m, lz)
    \/ \E c \in Cpus, fl \in BOOLEAN : switch_mm_irqs_off_return(c, fl)

(* The view is checked over logged behaviours (the action and its arguments *)
(* come from the trace), so Next quantifies over unbounded sets: it is a    *)
(* definition of legal steps, not a model for exhaustive TLC search.        *)
Spec == Init /\ [][Next]_vars

-----------------------------------------------------------------------------
(* Invariants *)

(* A CPU can reach a translation it holds for mm m: it runs m (a lazy CPU  *)
(* never touches user pages, but it may still walk m's page tables          *)
(* speculatively, so a freed page-table page stays reachable from it: the   *)
(* reason native_flush_tlb_multi() IPIs lazy CPUs when tables are freed).   *)
Reaches(c, s) == loaded[c] = s.mm /\ c \notin switching /\ (~lazy[c] \/ s.table)

\* A page was freed while a CPU that runs its mm may still hold its translation (or, for a page table, walk it from a lazy CPU): that CPU can still load and store through the freed page (use-after-free).
NoFreedPageReachable ==
    \A s \in stale : ~Reaches(s.cpu, s)

\* A gather returned (and its task is out of its gather and syscall) while a CPU that runs the mm may still hold the translation of a page whose PTE another gather in flight had cleared before it decided: user space still reads and writes the zapped page after MADV_DONTNEED or munmap returned (the harm of the 2017 race, whatever flush the kernel chose).
ZappedPageUnreachableAfterReturn ==
    \A e \in queued : \A t \in e.exposed :
        (t \notin DOMAIN gathers /\ t \notin DOMAIN sys) => \A c \in e.cache : ~Reaches(c, e)

\* A gather that saw another in flight returned to user space without flushing the whole range: the other gather's cleared PTEs may stay cached (99baac21e458).
NestedFlushBeforeReturn ==
    \A t \in owes : t \in DOMAIN gathers \/ t \in DOMAIN sys

\* A notifier bracket is left open past its syscall, gather or fault, or ended without a start: secondary MMUs stay blocked or are never invalidated.
NotifierPaired ==
    \A t \in DOMAIN mn : mn[t].depth >= 1 /\ (t \in DOMAIN sys \/ t \in DOMAIN gathers \/ t \in fault)

\* A page of an mm with a notifier was zapped outside an open invalidate_range_start covering it: a secondary MMU could map it while it is freed.
NotifierBracketsZap ==
    \A e \in queued : e.bracketed

\* The same mapping's page is queued twice without a free in between: its reference would be dropped twice (the page freed while still mapped).
QueuedOncePerMapping ==
    Cardinality({<<e.pfn, e.mm>> : e \in queued}) = Cardinality(queued)

=============================================================================
