------------------------------ MODULE MMState ------------------------------
(***************************************************************************)
(* The state of one mm and the hardware around it, shared by every         *)
(* mechanism module, and the helpers they use: PTE and TLB-entry values,   *)
(* the page allocator and put_page(), TLB shootdown, and the variant flags *)
(* named as the kernel history does.                                       *)
(*                                                                         *)
(* Models Linux v4.13 mm (mm/memory.c, mm/rmap.c, mm/migrate.c,            *)
(* mm/vmscan.c, mm/ksm.c, mm/mmu_notifier.c, include/asm-generic/tlb.h,    *)
(* arch/x86/mm/tlb.c) with the variants below standing for v4.10, v4.15,   *)
(* 99baac21e458 and 4647706ebeee and for Andrea Arcangeli's 2017 proposal. *)
(***************************************************************************)
EXTENDS Scenarios

CONSTANTS
    cpu_flush,  \* "gather": pre-2017, tlb_finish_mmu flushes only what it gathered;
                \* "nested": 99baac21e458, flush the whole range when tlb_flush_pending > 1;
                \* "always": 4647706ebeee, always flush the whole range.
    secondary,  \* where ->invalidate_range (IOMMUv2/SVM IOTLB flush) runs:
                \* "under_ptl": ptep_clear_flush_notify() under the PT lock at every PTE
                \*     change, in the gather's flush and in range_end (v4.13);
                \* "range_end": only in mmu_notifier_invalidate_range_end(), after the PT
                \*     lock is released (Andrea's proposal; none in the gather either);
                \* "after_unlock": v4.10, rmap calls ->invalidate_page after the PT unlock
                \*     with no start/end bracket; CoW, KSM and zap as under_ptl (KSM's
                \*     *_invalidate_page code points are no longer reached);
                \* "v4_15": per site, as 0f10851ea475 left try_to_unmap_one(): under the PT lock
                \*     for CoW, the anon swap entry and the MADV_FREE discard, deferred to
                \*     range_end for migration entries, a lazyfree page put back, and KSM;
                \* "none": never (shadow MMUs only);
                \* "v6_6": ->invalidate_range renamed arch_invalidate_secondary_tlbs
                \*     (1af5a8109904) and called from every flush_tlb_*() of the architecture
                \*     itself (6bbd42e2df8f), so the
                \*     secondary TLB is invalidated exactly where and for what the CPU TLB is,
                \*     and range_end no longer invalidates it (ec8832d007cb);
                \* "skip_none": v6_6, but the secondary invalidation of a gather covers only
                \*     the PTEs the caller itself cleared (skipped where it found pte_none),
                \*     not tlb_finish_mmu's widening: the secondary twin of cpu_flush=gather.
    shadow      \* KVM's fault path: "seq" (mmu_notifier_count/seq retry) or
                \* "start_only" (range_start zaps, no retry).

ASSUME cpu_flush \in {"gather", "nested", "always"}
ASSUME secondary \in {"under_ptl", "range_end", "after_unlock", "none", "v4_15", "v6_6", "skip_none"}
ASSUME shadow \in {"seq", "start_only"}

CPUS == DOMAIN Sc.cpus
DEVS == DOMAIN Sc.devs
VCPUS == DOMAIN Sc.vcpus
AGENTS == CPUS \cup DEVS \cup VCPUS
VAS == 1..Sc.nva
FRAMES == 1..Sc.nframe
PTPAGES == {Sc.ptp[v] : v \in VAS}
PTP(v) == Sc.ptp[v]
KsmFrame == Sc.ksm
NoOne == "none"

Prog(a) == IF a \in CPUS THEN Sc.cpus[a] ELSE IF a \in DEVS THEN Sc.devs[a] ELSE Sc.vcpus[a]

Max(x, y) == IF x >= y THEN x ELSE y
Min(x, y) == IF x <= y THEN x ELSE y
SetMax(S) == CHOOSE x \in S : \A y \in S : x >= y

VARIABLES
    pte,        \* [VAS -> PTE]: the CPU page table of the mm
    ptl,        \* [PTPAGES -> agent | "none"]: split PT locks (one spinlock per PT page)
    fstate,     \* [FRAMES -> "free" | "mm"]: the page allocator's view
    ref,        \* [FRAMES -> Nat]: page refcount; the frame is freed when it drops to 0
    pglock,     \* [FRAMES -> agent | "none"]: the page lock (sleeping)
    mem,        \* [FRAMES -> Nat]: contents, as the stamp of the store that wrote it (0: zero)
    copied,     \* [FRAMES -> Int]: contents a migration/pageout/KSM copy took (-1: none)
    swapcache,  \* [VAS -> frame | 0]: the swap-cache page of va's swap entry
    swapslot,   \* [VAS -> Nat]: contents written to va's swap slot
    tlb,        \* [CPUS -> [VAS -> entry]]: each CPU's TLB
    iotlb,      \* [DEVS -> [VAS -> entry]]: each shared-page-table device's IOTLB
    spte,       \* [VAS -> entry]: KVM's shadow page table (one VM)
    kvm,        \* [count, seq]: kvm->mmu_notifier_count and mmu_notifier_seq
    pending,    \* mm->tlb_flush_pending
    gather,     \* [CPUS -> [lo, hi, batch]]: each CPU's mmu_gather (lo = 0: nothing gathered)
    pc,         \* [AGENTS -> STRING]: where each agent is, named after the kernel code
    ip,         \* [AGENTS -> Nat]: how many instructions of its program each agent finished
    loc,        \* [AGENTS -> locals]: va cursor, frames, held PT page, KVM's mmu_seq, result
    clock,      \* ghost: how many stores so far (stamps the contents they write)
    writes,     \* ghost: [VAS -> SUBSET Nat] stamps of stores to va since va was last discarded
    seen,       \* ghost: [AGENTS -> Nat] newest stamp each agent has read or written
    incoherent, \* ghost: the reads that returned older contents than their agent had seen
    obl,        \* ghost: [CPUS -> SUBSET <<va, frame>>] translations this CPU's last zap must
                \*        have flushed from every TLB by the time it returns
    vma,        \* [VAS -> BOOLEAN]: VM_WRITE of the VMA covering va (mprotect changes it)
    oblw        \* ghost: [CPUS -> SUBSET <<va, frame>>] translations this CPU's last MADV_FREE
                \*        or mprotect(PROT_READ) cleaned or write-protected: by the time it
                \*        returns no TLB or IOTLB may store through them unseen

\* issue 12 (Reclaim.tla): reclaim's batched TLB flush
VARIABLES
    batched,    \* mm->tlb_flush_batched: a reclaim cleared a PTE of the mm and deferred its flush
                \* (a bool in v4.13; 6.1's pending/flushed generations, with the flush and the
                \* update in one step as here, behave the same)
    ubc         \* [CPUS -> [flush, writable, free]]: current->tlb_ubc (flush_required, writable)
                \* of a reclaiming thread, and shrink_folio_list()'s free_folios list

vars == <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
          spte, kvm, pending, gather, pc, ip, loc, clock, writes, seen, incoherent, obl,
          vma, oblw, batched, ubc>>

\* TLB, IOTLB and shadow PTE entries: a frame and a write permission; f = 0 is empty.
\* w means the hardware may store through the entry without touching the PTE: it caches the
\* PTE writable and dirty. An entry filled from a clean PTE is used for loads only; a store
\* walks the page table again and sets the PTE's dirty bit (x86's A/D assist; ATS alike).
NoEntry == [f |-> 0, w |-> FALSE]
EntryOf(p) == [f |-> p.f, w |-> p.w /\ p.d]
CanUse(e, write) == e.f # 0 /\ (~write \/ e.w)
\* The hardware page walker (CPU, or the IOMMU's ATS) can translate va from the PTE.
Walkable(v, write) == pte[v].k = "present" /\ (~write \/ pte[v].w)
\* The entry a walk for this access caches, and the PTE after it (a store sets the dirty bit).
WalkEntry(v, write) == [f |-> pte[v].f, w |-> pte[v].w /\ (pte[v].d \/ write)]
WalkedPte(v, write) == IF write /\ ~pte[v].d THEN [pte EXCEPT ![v].d = TRUE] ELSE pte

Locals0 == [va |-> 0, f |-> 0, f2 |-> 0, ptp |-> 0, seq |-> 0, ok |-> TRUE]
Gather0 == [lo |-> 0, hi |-> 0, batch |-> {}]

\* The instruction an agent is working on.
Cur(a) == Prog(a)[ip[a] + 1]
Busy(a) == ip[a] < Len(Prog(a))
AllDone == \A a \in AGENTS : ~Busy(a) /\ pc[a] = "idle"

\* The page allocator hands out the lowest free frame, so freed frames are reused soon.
HasFree == \E fr \in FRAMES : fstate[fr] = "free"
MinFree == CHOOSE fr \in FRAMES : fstate[fr] = "free" /\ \A g \in FRAMES : fstate[g] = "free" => fr <= g

\* ---- variant predicates, per call site -------------------------------------------------
\* Sites: "cow" (wp_page_copy), in try_to_unmap_one "migration" (migration entry), "swap"
\* (anon swap entry), "lazyfree" (a clean MADV_FREE page discarded: PTE -> none) and "putback"
\* (a lazyfree page still held elsewhere: the PTE set back), and "ksm" (write_protect_page,
\* replace_page). README's per-site table gives each version's code for each.
\* v4.10 (after_unlock): rmap has no start/end bracket, ->invalidate_page after the unlock;
\* KSM is bracketed and uses ptep_clear_flush_notify() (since 34ee645e83b6, v3.19).
Bracket(site) == ~(secondary = "after_unlock" /\ site \in {"migration", "swap", "lazyfree", "putback"})
NotifyUnderPtl(site) ==
    CASE secondary = "under_ptl" -> site # "putback"    \* v4.13: the put-back breaks out before discard:
      [] secondary = "after_unlock" -> site \in {"cow", "ksm"}
      [] secondary = "v4_15" -> site \in {"cow", "swap", "lazyfree"}
      [] secondary \in {"v6_6", "skip_none"} -> TRUE   \* ptep_clear_flush() -> flush_tlb_page()
      [] OTHER -> FALSE
InvalidatePageAfterUnlock(site) == ~Bracket(site)
\* The site of an rmap or KSM instruction.
\* A load or store at an rmap code point is do_numa_page()'s migrate_misplaced_page() (Numa).
Site(a) == CASE Cur(a).op \in {"migrate", "load", "store"} -> "migration"
             [] Cur(a).op = "swap_out" -> "swap"
             [] OTHER -> "ksm"
EndInvalidates == secondary \notin {"none", "v6_6", "skip_none"}
GatherInvalidates == secondary \in {"under_ptl", "after_unlock", "v4_15", "v6_6", "skip_none"}
\* The secondary invalidation of a gather's flush follows the CPU flush's range, except under
\* skip_none, where it keeps to what the caller gathered (lo = 0: nothing).
SecondaryRange(gathered, flushed) == IF secondary = "skip_none" THEN gathered ELSE flushed

\* ---- TLB shootdown and secondary invalidation (as new values of the variables) --------
\* flush_tlb_mm_range(): an IPI to every CPU of the mm, waited for, so it is one step here.
FlushedTlb(lo, hi) == [c \in CPUS |-> [v \in VAS |-> IF v \in lo..hi THEN NoEntry ELSE tlb[c][v]]]
\* ->invalidate_range() of the IOMMUv2/SVM notifier: flush every device's IOTLB for the range.
InvalidatedIotlb(lo, hi) == [d \in DEVS |-> [v \in VAS |-> IF v \in lo..hi THEN NoEntry ELSE iotlb[d][v]]]
ZappedSpte(lo, hi) == [v \in VAS |-> IF v \in lo..hi THEN NoEntry ELSE spte[v]]

\* put_page() of each frame in S once: a frame whose count drops to 0 is freed.
PutPages(S) ==
    LET r2 == [fr \in FRAMES |-> IF fr \in S THEN ref[fr] - 1 ELSE ref[fr]] IN
    /\ ref' = r2
    /\ fstate' = [fr \in FRAMES |-> IF r2[fr] = 0 THEN "free" ELSE fstate[fr]]
    /\ copied' = [fr \in FRAMES |-> IF r2[fr] = 0 THEN -1 ELSE copied[fr]]

\* A PTE now maps fr at v again: translations to it are current, not stale.
Remapped(v, fr) == [c \in CPUS |-> {o \in obl[c] : o # <<v, fr>>}]
\* A PTE maps fr at v writable and dirty again: a writable translation to it is legitimate.
Rewritable(v, fr) == [c \in CPUS |-> {o \in oblw[c] : o # <<v, fr>>}]
\* A walk for a store that set the dirty bit.
WalkDirtied(v, write) == IF write /\ ~pte[v].d THEN Rewritable(v, pte[v].f) ELSE oblw

\* ---- reclaim's batched TLB flush (issue 12; Reclaim.tla) -------------------------------
\* mm/rmap.c, v4.13 and Linux 6.1. The variant is a definition that a model's cfg overrides as
\* it sets a constant (CONSTANTS batched_flush = "v4_12"), so models without a batched reclaim
\* need not name it:
\*   "flush_tlb_batched_pending": 3ea277194daa ("mm, mprotect: flush TLB if potentially racing
\*       with a parallel reclaim leaving stale TLB entries", v4.13): zap_pte_range(),
\*       change_pte_range() and madvise_free_pte_range() call flush_tlb_batched_pending()
\*       right after taking the PT lock;
\*   "v4_12": the batching of 72b252aed506 (v4.3) alone, no flush_tlb_batched_pending().
batched_flush == "flush_tlb_batched_pending"
ASSUME batched_flush \in {"flush_tlb_batched_pending", "v4_12"}

Ubc0 == [flush |-> FALSE, writable |-> FALSE, free |-> {}]
\* The PT-lock points whose code calls flush_tlb_batched_pending() first (mm/memory.c,
\* mm/mprotect.c, mm/madvise.c).
BatchedPendingPCs == {"zap_lock", "mf_lock", "mp_lock"}
\* flush_tlb_batched_pending() does flush_tlb_mm() when taking the PT lock at this point.
FlushesBatched(where) ==
    batched_flush = "flush_tlb_batched_pending" /\ batched /\ where \in BatchedPendingPCs
\* Code points of a thread inside shrink_folio_list() with TTU_BATCH_FLUSH (no mmap_lock).
ReclaimPCs == {"rc_page", "rc_mn_start", "rc_lock", "rc_ttu", "rc_unlock", "rc_mn_end",
               "rc_invalidate_page", "rc_flush_dirty", "rc_pageout", "rc_remove_mapping",
               "rc_page_unlock", "rc_flush", "rc_free"}

\* ---- NUMA hinting and tlb_flush_pending as a flag or a counter (issue 12; Numa.tla) ------
\* How mm->tlb_flush_pending behaves for change_prot_numa() (task_numa_work()), and whether
\* pte_accessible() (arch/x86/include/asm/pgtable.h) counts a protnone PTE while it is raised.
\* A definition that a model's cfg overrides as it sets a constant, as batched_flush:
\*   "atomic_t": 16af97dc5a89 ("mm: migrate: prevent racy access to tlb_flush_pending", v4.13):
\*       an atomic counter, inc_tlb_flush_pending() / dec_tlb_flush_pending(), so one user's
\*       end leaves another's pending flush visible (Linux 6.1 alike, through the mmu_gather);
\*   "bool": 20841405940e ("mm: fix TLB flush race between migration, and
\*       change_protection_range", v3.13 to v4.12): a bool that each change_protection_range()
\*       sets (set_tlb_flush_pending()) and clears (clear_tlb_flush_pending()) itself;
\*   "v3_12": before 20841405940e: no tlb_flush_pending, pte_accessible() is false for a
\*       protnone PTE, so migration's ptep_clear_flush() does not flush it.
flush_pending_type == "atomic_t"
ASSUME flush_pending_type \in {"atomic_t", "bool", "v3_12"}

\* pte_accessible(mm, pte): ptep_clear_flush() flushes the TLB only when this holds.
PteAccessible(p) ==
    \/ p.k = "present"
    \/ p.k = "protnone" /\ flush_pending_type # "v3_12" /\ pending > 0
\* page_vma_mapped_walk() finds a protnone PTE mapped (pte_present() is true for it on x86):
\* migration unmaps it. (KSM and swap-out of a protnone page are left out.)
MapsForRmap(p, op) == p.k = "present" \/ (p.k = "protnone" /\ op \in {"migrate", "load", "store"})
\* Code points of task_numa_work() -> change_prot_numa(), with mmap_lock held for reading.
NumaScanPCs == {"change_prot_numa", "numa_flush", "numa_dec_pending"}
\* A hinting fault (do_numa_page()), with mmap_lock held for reading.
NumaPCs == NumaScanPCs \cup {"do_numa_page"}
\* The NUMA scanners tlb_flush_pending counts (none before 20841405940e).
NumaPendingPCs == IF flush_pending_type = "v3_12" THEN {} ELSE NumaScanPCs

\* ---- KSM's write_protect_page() flush condition and clear_refs (issue 12) ---------------
\* Ksm.tla, ClearRefs.tla. Definitions a cfg overrides like batched_flush:
\*   ksm_flush = "mm_tlb_flush_pending": b3a81d0841a9 ("mm: fix KSM data corruption", v4.13):
\*       write_protect_page() flushes if the PTE is writable or dirty, or mm_tlb_flush_pending();
\*   ksm_flush = "v4_12": only if the PTE is writable or dirty;
\*   clear_refs_flush = "inc_tlb_flush_pending": the same commit brackets clear_refs_write()'s
\*       walk with tlb_flush_pending raised (tlb_gather_mmu/tlb_finish_mmu in v4.13,
\*       inc/dec_tlb_flush_pending around flush_tlb_mm() in 6.1);
\*   clear_refs_flush = "v4_12": the walk, then flush_tlb_mm(), tlb_flush_pending untouched.
ksm_flush == "mm_tlb_flush_pending"
ASSUME ksm_flush \in {"mm_tlb_flush_pending", "v4_12"}
clear_refs_flush == "inc_tlb_flush_pending"
ASSUME clear_refs_flush \in {"inc_tlb_flush_pending", "v4_12"}
\* Code points of a thread inside clear_refs_write(), which holds mmap_lock for reading.
ClearRefsPCs == {"clear_refs_pte_range", "cr_flush", "cr_dec_pending"}

\* ---- the agents' own memory accesses (ghost bookkeeping for Coherence) ---------------
\* A read by agent a at va of contents stamped val.
Observe(a, v, val) ==
    /\ seen' = [seen EXCEPT ![a] = Max(@, val)]
    /\ incoherent' =
         IF \E w \in writes[v] : val < w /\ w <= seen[a]
         THEN incoherent \cup {[agent |-> a, va |-> v, got |-> val,
                                expected |-> SetMax({w \in writes[v] : w <= seen[a]})]}
         ELSE incoherent
\* issue 16 (Munmap.tla): the code points of munmap() outside the zap it shares with
\* MADV_DONTNEED: unmap_region() before its tlb_gather_mmu() (mmap_lock downgraded to read), and
\* its tlb_finish_mmu() and page-table free after free_pgtables() (a gather in flight).
MunmapReadPCs == {"unmap_region"}
MunmapGatherPCs == {"mu_finish", "mu_table_free"}
\* Code points of a thread inside zap_page_range() (MADV_DONTNEED).
ZapPCs == {"zap_mn_start", "zap_lock", "zap_pte_range", "zap_force_flush", "zap_force_unlock",
           "zap_force_free", "zap_unlock", "zap_mn_end", "zap_finish", "zap_free",
           "zap_dec_pending"}
\* Code points of a thread inside madvise_free_single_vma() (MADV_FREE).
FreePCs == {"mf_mn_start", "mf_lock", "madvise_free_pte_range", "mf_unlock", "mf_mn_end",
            "mf_finish", "mf_dec_pending"}
\* Code points of a thread inside do_mprotect_pkey(), which holds mmap_lock for writing.
ProtPCs == {"mprotect_fixup", "mp_mn_start", "mp_lock", "change_pte_range", "mp_unlock",
            "mp_mn_end", "mp_finish", "mp_dec_pending"}
\* Every thread with an mmu_gather in flight (tlb_flush_pending counts them).
GatherPCs == ZapPCs \cup FreePCs \cup ProtPCs \cup MunmapGatherPCs \cup NumaPendingPCs
\* Every thread that holds tlb_flush_pending raised.
PendingPCs == GatherPCs \cup (IF clear_refs_flush = "inc_tlb_flush_pending" THEN ClearRefsPCs ELSE {})
\* A MADV_DONTNEED or MADV_FREE of va is in flight: a store racing with it may be discarded,
\* legitimately.
InZap(v) == \E c \in CPUS : pc[c] \in ZapPCs \cup FreePCs /\ v \in Cur(c).lo..Cur(c).hi

\* ---- mmap_lock (a rw-semaphore), read off the code points ------------------------------
\* Page faults, madvise(), KSM and get_user_pages() hold it for reading; mprotect() for writing.
FaultPCs == {"do_anonymous_page", "do_wp_page", "wp_copy_mn_start", "wp_copy_lock",
             "wp_copy_locked", "wp_copy_set_pte", "wp_copy_unlock", "wp_copy_mn_end",
             "wp_copy_put", "do_swap_page", "swapin_map", "migration_entry_wait"}
KsmPCs == {"wpp_mn_start", "wpp_lock", "wpp", "wpp_unlock", "wpp_invalidate_page", "wpp_mn_end",
           "ksm_cmp", "rp_mn_start", "rp_lock", "rp", "rp_unlock", "rp_invalidate_page",
           "rp_mn_end", "ksm_unlock"}
MmapReadPCs == FaultPCs \cup ZapPCs \cup FreePCs \cup KsmPCs \cup MunmapReadPCs \cup MunmapGatherPCs \cup NumaPCs \cup ClearRefsPCs
\* issue 16 (Munmap.tla): how munmap() holds mmap_lock, an overridable definition as
\* batched_flush: "downgrade" (dd2283f2605e, v4.20: mmap_write_downgrade() after detaching the
\* VMAs, so faults and madvise() run beside its zap and free_pgtables()) or "write" (before it).
munmap_lock == "downgrade"
ASSUME munmap_lock \in {"downgrade", "write"}
MunmapWriteHeld(a) ==
    /\ munmap_lock = "write" /\ a \in CPUS
    /\ pc[a] \in ZapPCs \cup MunmapReadPCs \cup MunmapGatherPCs /\ Cur(a).op = "munmap"
\* mmap_read_lock() would not wait: no mprotect() (or munmap() before v4.20) holds it for writing.
MmapReadable == \A a \in AGENTS : pc[a] \notin ProtPCs /\ ~MunmapWriteHeld(a)
\* mmap_write_lock() would not wait: nobody holds it at all.
MmapFree == \A a \in AGENTS : pc[a] \notin MmapReadPCs \cup ProtPCs

\* A store by agent a at va into frame fr. Coherence holds the readers to it unless a
\* MADV_DONTNEED of va may discard it.
Write(a, v, fr) ==
    /\ clock' = clock + 1
    /\ mem' = [mem EXCEPT ![fr] = clock + 1]
    /\ writes' = IF InZap(v) THEN writes ELSE [writes EXCEPT ![v] = @ \cup {clock + 1}]
    /\ seen' = [seen EXCEPT ![a] = clock + 1]

\* An agent finishes its current instruction.
Finish(a) ==
    /\ pc' = [pc EXCEPT ![a] = "idle"]
    /\ ip' = [ip EXCEPT ![a] = @ + 1]
    /\ loc' = [loc EXCEPT ![a] = Locals0]
\* An agent moves to the next point of the code it is in.
Goto(a, where) == pc' = [pc EXCEPT ![a] = where]
=============================================================================
