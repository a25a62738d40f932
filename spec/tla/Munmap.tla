------------------------------ MODULE Munmap ------------------------------
(***************************************************************************)
(* issue 16: munmap() with page-table freeing, and a CPU's paging-structure *)
(* cache (the walk cache). Models Linux 6.1 mm/mmap.c do_vmi_align_munmap() *)
(* (VMAs detached under mmap_write_lock, then mmap_write_downgrade(), since *)
(* dd2283f2605e, v4.20) and unmap_region(): tlb_gather_mmu(), unmap_vmas()  *)
(* (the zap of Gather.tla, shared with MADV_DONTNEED), free_pgtables() ->    *)
(* free_pgd_range() -> free_pte_range() -> pte_free_tlb() of mm/memory.c and *)
(* include/asm-generic/tlb.h (pmd_clear(), tlb_flush_pmd_range(),            *)
(* freed_tables = 1, tlb_remove_table()), and tlb_finish_mmu() ->            *)
(* tlb_flush_mmu() of mm/mmu_gather.c: the flush, then tlb_table_flush()     *)
(* frees the page-table pages, then the batched pages; then mmap() and a     *)
(* fault of a new page, and of a new page-table page (__pte_alloc()), at the *)
(* same va.                                                                  *)
(*                                                                           *)
(* The walk cache (pwc) caches, per CPU, the PMD entry that points at a      *)
(* page-table page; the hardware may fill it from a populated PMD at any     *)
(* time (pwc_fill). Only a flush with freed_tables set, or a full flush,     *)
(* invalidates it: arm64's tlb_flush() uses a last-level TLBI when           *)
(* !freed_tables, and x86's native_flush_tlb_multi() skips lazy-TLB CPUs     *)
(* unless freed_tables (a lazy CPU still walks the mm's page tables); the    *)
(* model takes the arm64 reading, no CPU's walk cache is touched without     *)
(* freed_tables.                                                             *)
(*                                                                           *)
(* nested_form: what tlb_finish_mmu() does when mm_tlb_flush_nested() sees   *)
(* another gather in flight (cpu_flush = "nested"):                          *)
(*   "99baac21e458": __tlb_reset_range() and widen to the whole range, which  *)
(*       since 22a61c3c4f13 (v4.20, freed_tables) also clears freed_tables:   *)
(*       the form of v4.20-v5.1;                                              *)
(*   "7a30df49f63a": ("mm: mmu_gather: remove __tlb_reset_range() for force   *)
(*       flush", v5.2; Linux 6.1 as quoted) fullmm = 1, __tlb_reset_range(),  *)
(*       freed_tables = 1: a full flush, walk caches included.               *)
(*                                                                           *)
(* Left out, by name: munmap()'s scenarios have no device or vCPU (the zap's *)
(* notifier calls are Gather's, unchanged); no access touches a va while its *)
(* VMA is unmapped, so SIGSEGV is not modelled; a walk through a stale walk- *)
(* cache entry is not modelled as a TLB fill: holding the entry is already   *)
(* the violation, since the hardware may walk through it at any time.        *)
(***************************************************************************)
EXTENDS MMU

CONSTANT nested_form
ASSUME nested_form \in {"99baac21e458", "7a30df49f63a"}

VARIABLES
    ptgen,      \* [PTPAGES -> Nat]: the page-table page the PMD entry of each slot points at
                \* (0: pmd_none); each allocation is a new number
    ptalive,    \* SUBSET Nat: the page-table pages allocated and not yet freed
    ptnext,     \* the number the next __pte_alloc() gets
    pwc,        \* [CPUS -> [PTPAGES -> Nat]]: each CPU's walk cache (0: no entry)
    ptbatch,    \* [CPUS -> SUBSET Nat]: page-table pages queued by tlb_remove_table()
    freed       \* [CPUS -> BOOLEAN]: the gather's freed_tables

mvars == <<ptgen, ptalive, ptnext, pwc, ptbatch, freed>>
allvars == <<vars, mvars>>

SetMin(S) == CHOOSE x \in S : \A y \in S : x <= y

\* The PT pages whose every va lies in [lo, hi]: free_pgtables() frees them (the floor and ceiling
\* of the neighbouring VMAs keep a page that also maps a va outside).
Freeable(lo, hi) == {p \in PTPAGES : \A v \in VAS : PTP(v) = p => v \in lo..hi}
LowestVa(p) == CHOOSE v \in VAS : PTP(v) = p /\ \A u \in VAS : PTP(u) = p => v <= u

MInit ==
    /\ Init
    /\ ptgen = [p \in PTPAGES |-> p]
    /\ ptalive = PTPAGES
    /\ ptnext = SetMax(PTPAGES) + 1
    /\ pwc = [c \in CPUS |-> [p \in PTPAGES |-> 0]]
    /\ ptbatch = [c \in CPUS |-> {}]
    /\ freed = [c \in CPUS |-> FALSE]

\* do_vmi_align_munmap(): detach the VMAs under mmap_write_lock(), then mmap_write_downgrade()
\* (v4.20+) or keep it (munmap_lock = "write").
munmap_vma_detach(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "munmap"
    /\ MmapFree
    /\ Goto(c, "unmap_region")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched, ubc>>
    /\ UNCHANGED mvars

\* unmap_region() -> tlb_gather_mmu(), then unmap_vmas() zaps as MADV_DONTNEED does (Gather).
unmap_region(c) ==
    /\ pc[c] = "unmap_region"
    /\ pending' = pending + 1
    /\ gather' = [gather EXCEPT ![c] = Gather0]
    /\ obl' = [obl EXCEPT ![c] = {}]
    /\ loc' = [loc EXCEPT ![c].va = Cur(c).lo]
    /\ freed' = [freed EXCEPT ![c] = FALSE]
    /\ Goto(c, "zap_mn_start")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, ip, clock, writes, seen, incoherent, vma, oblw, batched, ubc>>
    /\ UNCHANGED <<ptgen, ptalive, ptnext, pwc, ptbatch>>

\* free_pgtables() -> free_pte_range() -> pte_free_tlb(): pmd_clear() each PT page wholly inside
\* the range, tlb_flush_pmd_range() (widen the gathered range to its first va), freed_tables = 1,
\* and tlb_remove_table() queues the page. No PT lock: the VMAs are detached.
free_pgtables(c) ==
    /\ pc[c] = "zap_finish" /\ Cur(c).op = "munmap"
    /\ LET F == {p \in Freeable(Cur(c).lo, Cur(c).hi) : ptgen[p] # 0}
           g == gather[c]
           vs == {LowestVa(p) : p \in F}
       IN
       /\ ptgen' = [p \in PTPAGES |-> IF p \in F THEN 0 ELSE ptgen[p]]
       /\ ptbatch' = [ptbatch EXCEPT ![c] = @ \cup {ptgen[p] : p \in F}]
       /\ freed' = [freed EXCEPT ![c] = @ \/ F # {}]
       /\ gather' = IF F = {} THEN gather
                    ELSE [gather EXCEPT ![c].lo = IF g.lo = 0 THEN SetMin(vs) ELSE Min(g.lo, SetMin(vs)),
                                        ![c].hi = Max(g.hi, SetMax(vs))]
    /\ Goto(c, "mu_finish")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, ip, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched, ubc>>
    /\ UNCHANGED <<ptalive, ptnext, pwc>>

\* The walk caches after a flush of [lo, hi] with freed_tables (or fullmm): every CPU drops the
\* entries of the PT pages covering the range.
FlushedPwc(lo, hi, all) ==
    [x \in CPUS |-> [p \in PTPAGES |->
        IF all \/ \E v \in lo..hi : v \in VAS /\ PTP(v) = p THEN 0 ELSE pwc[x][p]]]

\* tlb_finish_mmu() of unmap_region(): the nested forcing in its nested_form, then
\* tlb_flush_mmu() -> tlb_flush_mmu_tlbonly() (flush_tlb_mm_range(..., freed_tables)).
unmap_region_tlb_finish_mmu(c) ==
    /\ pc[c] = "mu_finish"
    /\ LET g == gather[c]
           whole == cpu_flush = "always" \/ (cpu_flush = "nested" /\ pending > 1)
           fullmm == whole /\ nested_form = "7a30df49f63a"
           lo == IF fullmm THEN 1 ELSE IF whole THEN Cur(c).lo ELSE g.lo
           hi == IF fullmm THEN Sc.nva ELSE IF whole THEN Cur(c).hi ELSE g.hi
           \* __tlb_reset_range() clears freed_tables; 7a30df49f63a sets it again
           ft == IF whole THEN nested_form = "7a30df49f63a" ELSE freed[c]
       IN
       /\ tlb' = IF lo = 0 THEN tlb ELSE FlushedTlb(lo, hi)
       /\ iotlb' = IF lo # 0 /\ GatherInvalidates THEN InvalidatedIotlb(lo, hi) ELSE iotlb
       /\ pwc' = IF lo # 0 /\ ft THEN FlushedPwc(lo, hi, fullmm) ELSE pwc
       /\ gather' = [gather EXCEPT ![c] = [g EXCEPT !.lo = 0, !.hi = 0]]
       /\ freed' = [freed EXCEPT ![c] = FALSE]
    /\ Goto(c, "mu_table_free")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, spte, kvm,
                   pending, ip, loc, clock, writes, seen, incoherent, obl, vma, oblw, batched, ubc>>
    /\ UNCHANGED <<ptgen, ptalive, ptnext, ptbatch>>

\* tlb_flush_mmu_free() -> tlb_table_flush() -> tlb_remove_table_free(): the queued page-table
\* pages go back to the allocator; then the batched pages (Gather's tlb_flush_mmu_free at
\* "zap_free") and dec_tlb_flush_pending().
tlb_remove_table_free(c) ==
    /\ pc[c] = "mu_table_free"
    /\ ptalive' = ptalive \ ptbatch[c]
    /\ ptbatch' = [ptbatch EXCEPT ![c] = {}]
    /\ Goto(c, "zap_free")
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, ip, loc, clock, writes, seen, incoherent, obl,
                   vma, oblw, batched, ubc>>
    /\ UNCHANGED <<ptgen, ptnext, pwc, freed>>

\* mmap(MAP_ANONYMOUS | MAP_FIXED) of the range again, under mmap_write_lock(): a new VMA.
mmap_region(c) ==
    /\ pc[c] = "idle" /\ Busy(c) /\ Cur(c).op = "mmap"
    /\ MmapFree
    /\ vma' = [v \in VAS |-> IF v \in Cur(c).lo..Cur(c).hi THEN TRUE ELSE vma[v]]
    /\ ip' = [ip EXCEPT ![c] = @ + 1]
    /\ UNCHANGED <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                   spte, kvm, pending, gather, pc, loc, clock, writes, seen, incoherent, obl,
                   oblw, batched, ubc>>
    /\ UNCHANGED mvars

\* do_anonymous_page() -> pte_alloc() -> __pte_alloc(): the PMD is none, so allocate a page-table
\* page and pmd_populate() it (then do_anonymous_page() maps the page into it, PageTable).
\* __pte_alloc(c) in the kernel; TLA+ names cannot start with an underscore.
pte_alloc(c) ==
    /\ pc[c] = "do_anonymous_page"
    /\ ptgen[PTP(loc[c].va)] = 0
    /\ ptgen' = [ptgen EXCEPT ![PTP(loc[c].va)] = ptnext]
    /\ ptalive' = ptalive \cup {ptnext}
    /\ ptnext' = ptnext + 1
    /\ UNCHANGED vars
    /\ UNCHANGED <<pwc, ptbatch, freed>>

\* The hardware walker caches the PMD entry of a populated slot (a speculative walk).
pwc_fill(c, p) ==
    /\ ptgen[p] # 0 /\ pwc[c][p] # ptgen[p]
    /\ pwc' = [pwc EXCEPT ![c][p] = ptgen[p]]
    /\ UNCHANGED vars
    /\ UNCHANGED <<ptgen, ptalive, ptnext, ptbatch, freed>>

pwc_evict(c, p) ==
    /\ pwc[c][p] # 0
    /\ pwc' = [pwc EXCEPT ![c][p] = 0]
    /\ UNCHANGED vars
    /\ UNCHANGED <<ptgen, ptalive, ptnext, ptbatch, freed>>

MunmapStep(c) == munmap_vma_detach(c) \/ unmap_region(c) \/ free_pgtables(c)
                 \/ unmap_region_tlb_finish_mmu(c) \/ tlb_remove_table_free(c) \/ mmap_region(c)
                 \/ pte_alloc(c)

\* A step of the rest of the protocol, which knows nothing of page-table pages: a munmap() does
\* not take MADV_DONTNEED's tlb_finish_mmu() at "zap_finish" (free_pgtables() comes first), and
\* a PTE changes only in a populated page-table page (a fault on pmd_none allocates one first).
OtherStep ==
    /\ Next
    /\ \A c \in CPUS : (pc[c] = "zap_finish" /\ Cur(c).op = "munmap") => pc'[c] = pc[c]
    /\ \A v \in VAS : pte'[v] # pte[v] => ptgen[PTP(v)] # 0
    /\ UNCHANGED mvars

MNext ==
    \/ OtherStep
    \/ \E c \in CPUS : MunmapStep(c)
    \/ \E c \in CPUS, p \in PTPAGES : pwc_fill(c, p) \/ pwc_evict(c, p)

MSpec == MInit /\ [][MNext]_allvars

\* ---- properties ---------------------------------------------------------------------------
MTypeOK ==
    /\ TypeOK
    /\ ptgen \in [PTPAGES -> 0..ptnext]
    /\ pwc \in [CPUS -> [PTPAGES -> 0..ptnext]]
    /\ ptbatch \in [CPUS -> SUBSET (1..ptnext)]
    /\ freed \in [CPUS -> BOOLEAN]

\* A CPU's walk cache points at a freed page-table page: its next walk (speculative or not) reads
\* PTEs out of whatever the page holds now, another page table or data, and loads a translation
\* the kernel never made (use-after-free of a page-table page; the arm64 hang of 7a30df49f63a).
NoPtPageUseAfterFree == \A c \in CPUS, p \in PTPAGES : pwc[c][p] # 0 => pwc[c][p] \in ptalive

\* After munmap() and mmap() a new page is mapped at va in a new page-table page, but a CPU still
\* reaches the old one, or the old page, through its walk cache or TLB: its loads and stores at va
\* do not reach the page the fault mapped.
MmapCoherent ==
    \A v \in VAS : (pte[v].k = "present" /\ ptgen[PTP(v)] > SetMax(PTPAGES)) =>
        \A c \in CPUS : /\ pwc[c][PTP(v)] \in {0, ptgen[PTP(v)]}
                        /\ tlb[c][v].f \in {0, pte[v].f}

\* Left out, by name, in the models (ACTION_CONSTRAINT EvictionFree PwcEvictionFree): walk-cache
\* evictions, as MMU's EvictionFree leaves out TLB evictions. An eviction only drops an entry; it
\* cannot make an entry of a freed page-table page appear.
PwcEvictionFree == \A c \in CPUS, p \in PTPAGES : (pwc[c][p] # 0 /\ pwc'[c][p] = 0) => pc' # pc

\* NoDeadlock with munmap()'s own steps.
MNoDeadlock == ~AllDone => ENABLED (\E a \in AGENTS : AgentStep(a) \/ (a \in CPUS /\ MunmapStep(a)))
=============================================================================
