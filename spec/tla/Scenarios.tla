----------------------------- MODULE Scenarios -----------------------------
(***************************************************************************)
(* The workloads the models run: which CPUs, devices (IOMMUv2/SVM-style    *)
(* shared-page-table secondary MMUs) and KVM vCPUs (shadow-page-table      *)
(* secondary MMU) exist, the initial page table, and each agent's program. *)
(* A scenario is chosen by the constant Scenario; the Java implementation  *)
(* runs the same named workloads, so a log's header names one of these.    *)
(* "mixed" is a seeded random workload of every operation, its programs    *)
(* computed from the constant MixedSeed (other scenarios ignore it).       *)
(*                                                                         *)
(* Frames are 1..nframe (0 means "no frame"), virtual pages 1..nva, and    *)
(* ptp[va] says which page-table page (and so which split PT lock) covers  *)
(* va.                                                                     *)
(***************************************************************************)
EXTENDS Integers, Sequences, FiniteSets, TLC

CONSTANTS Scenario, MixedSeed, MixedLength

\* PTE values: none | present(frame, writable, dirty) | swap entry | migration entry(frame).
\* d is the hardware dirty bit; every PTE the kernel installs here is dirty (pte_mkdirty), only
\* MADV_FREE cleans one (pte_mkclean), and a store through a translation that does not cache
\* it dirty sets it again (the page walker's atomic D-bit update).
PteNone == [k |-> "none", f |-> 0, w |-> FALSE, d |-> FALSE]
Present(fr, wr) == [k |-> "present", f |-> fr, w |-> wr, d |-> TRUE]
SwapEntry == [k |-> "swap", f |-> 0, w |-> FALSE, d |-> FALSE]
MigrationEntry(fr, wr) == [k |-> "migration", f |-> fr, w |-> wr, d |-> FALSE]

\* Program instructions. Every instruction has the same fields, so a program is a
\* plain sequence of records; lo = hi = the virtual page for single-page operations.
Ins(o, l, h) == [op |-> o, lo |-> l, hi |-> h]
Load(v) == Ins("load", v, v)
Store(v) == Ins("store", v, v)
DontNeed(l, h) == Ins("madvise_dontneed", l, h)    \* zap_page_range()
Migrate(v) == Ins("migrate", v, v)                   \* migrate_pages() of the page at v
SwapOut(v) == Ins("swap_out", v, v)                  \* shrink_page_list() of the page at v
Ksm(v) == Ins("ksm", v, v)                           \* try_to_merge_one_page() of the page at v
MadvFree(l, h) == Ins("madvise_free", l, h)          \* madvise(MADV_FREE): madvise_free_single_vma()
ProtRead(l, h) == Ins("mprotect_ro", l, h)           \* mprotect(PROT_READ)
ProtWrite(l, h) == Ins("mprotect_rw", l, h)          \* mprotect(PROT_READ | PROT_WRITE)
Reclaim(l, h) == Ins("reclaim", l, h)                \* shrink_folio_list() of the pages at l..h, TTU_BATCH_FLUSH
NumaScan(l, h) == Ins("numa_scan", l, h)             \* task_numa_work() -> change_prot_numa() of l..h
ClearRefs(l, h) == Ins("clear_refs", l, h)          \* echo 4 > /proc/PID/clear_refs: clear_refs_write()

NoAgents == [x \in {} |-> <<>>]

\* Every scenario: ncpu CPUs each running one thread, devices, vCPUs, frames, the
\* PT page of each va, the initial PTEs and page reference counts, the KSM stable
\* frame (0: none) and the mmu_gather batch size (a full batch forces a flush).
\* S1: concurrent MADV_DONTNEED (fixed by 99baac21e458). cpu1 zaps va 1..2 (two PT pages);
\* cpu0 zaps va 1 alone, may see pte_none, and then stores to va 1.
Sc_S1 == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<DontNeed(1, 1), Store(1)>>, cpu1 |-> <<DontNeed(1, 2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* S6: CoW with a shared-page-table device (Documentation/mm/mmu_notifier.rst), on two CPUs:
\* both pages are read-only and shared with another process (refcount 2). cpu0 CoWs A; cpu1
\* stores to A (the new page), then CoWs B and stores to it; the device reads B, then A.
Sc_S6 == [nva |-> 2, nframe |-> 4, ptp |-> <<1, 1>>,
    pte |-> <<Present(1, FALSE), Present(2, FALSE)>>, ref |-> <<2, 2, 0, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<Store(1), Store(2)>>],
    devs |-> [dev0 |-> <<Load(2), Load(1)>>], vcpus |-> NoAgents]

\* andrea-cow: the smallest CoW trace: cpu0 CoWs A; cpu1 stores A then B; the device reads B then A.
Sc_andrea_cow == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 1>>,
    pte |-> <<Present(1, FALSE), Present(2, TRUE)>>, ref |-> <<2, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<Store(1), Store(2)>>],
    devs |-> [dev0 |-> <<Load(2), Load(1)>>], vcpus |-> NoAgents]

\* andrea-migration: migrate_pages() of A while a CPU and the device write and read it.
Sc_andrea_migration == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Migrate(1)>>, cpu1 |-> <<Store(1), Load(1)>>],
    devs |-> [dev0 |-> <<Store(1), Load(1)>>], vcpus |-> NoAgents]

\* andrea-swap: reclaim swaps A out while a CPU (swap-in) and the device use it.
Sc_andrea_swap == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<SwapOut(1)>>, cpu1 |-> <<Store(1), Load(1)>>],
    devs |-> [dev0 |-> <<Store(1), Load(1)>>], vcpus |-> NoAgents]

\* andrea-ksm: ksmd merges A into the stable page (frame 2, same content) while the device writes A.
Sc_andrea_ksm == [nva |-> 1, nframe |-> 3, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 1, 0>>, ksm |-> 2, batch |-> 8,
    cpus |-> [cpu0 |-> <<Ksm(1)>>, cpu1 |-> <<Load(1)>>],
    devs |-> [dev0 |-> <<Store(1), Load(1)>>], vcpus |-> NoAgents]

\* andrea-zap: MADV_DONTNEED of A..B while a CPU and the device use A; no forced flush.
Sc_andrea_zap == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 1>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<DontNeed(1, 2)>>, cpu1 |-> <<Store(1)>>],
    devs |-> [dev0 |-> <<Store(1), Load(1)>>], vcpus |-> NoAgents]

\* Case A: as andrea-zap with a one-page batch: the forced flush frees A before range_end.
Sc_caseA == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 1>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 1,
    cpus |-> [cpu0 |-> <<DontNeed(1, 2)>>],
    devs |-> [dev0 |-> <<Load(1)>>], vcpus |-> NoAgents]

\* kvm-zap: a KVM vCPU faults A in through its shadow page table while cpu0 zaps A.
Sc_kvm_zap == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<DontNeed(1, 1)>>],
    devs |-> NoAgents, vcpus |-> [vcpu0 |-> <<Load(1), Load(1)>>]]

\* kvm-swap: a KVM vCPU faults A in while reclaim swaps A out.
Sc_kvm_swap == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<SwapOut(1)>>],
    devs |-> NoAgents, vcpus |-> [vcpu0 |-> <<Load(1)>>]]

\* Tiny single-mechanism workloads for unit tests.
Sc_tiny_zap == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<DontNeed(1, 1), Store(1)>>, cpu1 |-> <<Load(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

Sc_tiny_cow == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, FALSE)>>, ref |-> <<2, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<Load(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

Sc_tiny_migrate == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Migrate(1)>>, cpu1 |-> <<Store(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

Sc_tiny_swap == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<SwapOut(1)>>, cpu1 |-> <<Store(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

Sc_tiny_ksm == [nva |-> 1, nframe |-> 3, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 1, 0>>, ksm |-> 2, batch |-> 8,
    cpus |-> [cpu0 |-> <<Ksm(1)>>, cpu1 |-> <<Store(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* tiny-madv-free: cpu0 frees A lazily (MADV_FREE), then stores and loads it, while reclaim
\* (cpu1) tries to discard it: the store must redirty the page so reclaim keeps it.
Sc_tiny_madv_free == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<MadvFree(1, 1), Store(1), Load(1)>>, cpu1 |-> <<SwapOut(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* madv-free-race: S1 with MADV_FREE (the other half of 99baac21e458): cpu1 frees va 1..2 (two
\* PT pages); cpu0 frees va 1 alone, may find it already clean, and then stores to va 1.
Sc_madv_free_race == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<MadvFree(1, 1), Store(1)>>, cpu1 |-> <<MadvFree(1, 2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* tiny-mprotect: cpu0 makes A read-only and then writable again, while cpu1 and the device
\* store to it: a store after mprotect(PROT_READ) returned must fault, not land.
Sc_tiny_mprotect == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<ProtRead(1, 1), Store(1), ProtWrite(1, 1)>>, cpu1 |-> <<Store(1)>>],
    devs |-> [dev0 |-> <<Store(1)>>], vcpus |-> NoAgents]

\* ---- issue 12: reclaim's batched flush ----------------------------------------------------
\* reclaim-mprotect: Nadav Amit's race (3ea277194daa): reclaim (cpu0) unmaps A with its flush
\* deferred while cpu1's TLB may cache A writable; cpu1 makes A read-only and then stores to it:
\* the store must fault (SIGSEGV), not land.
Sc_reclaim_mprotect == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Reclaim(1, 1)>>, cpu1 |-> <<ProtRead(1, 1), Store(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* reclaim-zap: a reclaim batch of two pages on two PT pages (cpu0) while cpu1 zaps B
\* (MADV_DONTNEED) and stores to it: when the zap returns no TLB may map the page it unmapped.
Sc_reclaim_zap == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Reclaim(1, 2)>>, cpu1 |-> <<DontNeed(2, 2), Store(2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* ---- issue 12: NUMA hinting, tlb_flush_pending as a flag or a counter (Numa.tla) -------
\* numa-migrate (20841405940e's race): cpu0's TLB may cache va 1 writable (the PTE is dirty);
\* cpu1's NUMA scan makes va 1 protnone and defers its flush; cpu2 migrates the page
\* (compaction or migrate_pages()), then cpu0 stores to va 1.
Sc_numa_migrate == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<NumaScan(1, 1)>>, cpu2 |-> <<Migrate(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]
\* numa-two (16af97dc5a89's race): as numa-migrate, but cpu0 first runs a NUMA scan of its own
\* over va 2 (the other PT page), overlapping cpu1's under mmap_lock for reading.
Sc_numa_two == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<NumaScan(2, 2), Store(1)>>, cpu1 |-> <<NumaScan(1, 1)>>,
              cpu2 |-> <<Migrate(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]
\* numa-fault (6.1's hinting fault): as numa-migrate, but cpu2 loads va 1: the protnone PTE
\* faults into do_numa_page(), which may migrate the page with the PTE still protnone.
Sc_numa_fault == [nva |-> 1, nframe |-> 2, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 0>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<NumaScan(1, 1)>>, cpu2 |-> <<Load(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* ---- issue 16: the v6.6 secondary-TLB hook --------------------------------------------
\* s1-dev: S1 with a shared-page-table device that reads va 1: cpu0's MADV_DONTNEED of va 1
\* may find pte_none (cpu1 cleared it), and the device's IOTLB may still cache va 1 when it
\* returns. Before v6.6 range_end invalidated the IOTLB for the whole range regardless; since
\* v6.6 only the TLB flush does, so the device depends on the nested flush as the CPUs do.
Sc_s1_dev == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<DontNeed(1, 1)>>, cpu1 |-> <<DontNeed(1, 2)>>],
    devs |-> [dev0 |-> <<Load(1)>>], vcpus |-> NoAgents]

\* big: the size of issue 2's performance figure: 2 CPUs, 1 device, 3 pages, every operation kind.
Sc_big == [nva |-> 3, nframe |-> 5, ptp |-> <<1, 1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, FALSE), Present(3, TRUE)>>, ref |-> <<1, 2, 1, 0, 0>>,
    ksm |-> 0, batch |-> 2,
    cpus |-> [cpu0 |-> <<DontNeed(1, 3), Store(2)>>, cpu1 |-> <<Store(2), Migrate(3)>>],
    devs |-> [dev0 |-> <<Load(3), Store(1), Load(2)>>], vcpus |-> NoAgents]

\* ---- three and four CPUs (issue 14; bench tier) ----------------------------------------
\* cow4: Documentation/mm/mmu_notifier.rst's trace with its four CPU threads: threads 0 and 1
\* CoW A and B (both read-only, shared with another process), threads 2 and 3 then write A and
\* B through the new pages, and the device reads B and then A. S6 folds the writers into cpu1;
\* here each is a thread of its own, so the device can see thread 3's store to B and not
\* thread 2's to A. Six frames: four CoW copies may be allocated at once.
Sc_cow4 == [nva |-> 2, nframe |-> 6, ptp |-> <<1, 1>>,
    pte |-> <<Present(1, FALSE), Present(2, FALSE)>>, ref |-> <<2, 2, 0, 0, 0, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<Store(2)>>, cpu2 |-> <<Store(1)>>,
              cpu3 |-> <<Store(2)>>],
    devs |-> [dev0 |-> <<Load(2), Load(1)>>], vcpus |-> NoAgents]

\* big3: big with a third CPU that zaps va 1 alone while cpu0 zaps 1..3 (S1's nested-flush race
\* inside big: tlb_flush_pending reaches 2 while cpu1 CoWs and migrates and the device runs).
Sc_big3 == [nva |-> 3, nframe |-> 5, ptp |-> <<1, 1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, FALSE), Present(3, TRUE)>>, ref |-> <<1, 2, 1, 0, 0>>,
    ksm |-> 0, batch |-> 2,
    cpus |-> [cpu0 |-> <<DontNeed(1, 3), Store(2)>>, cpu1 |-> <<Store(2), Migrate(3)>>,
              cpu2 |-> <<DontNeed(1, 1)>>],
    devs |-> [dev0 |-> <<Load(3), Store(1), Load(2)>>], vcpus |-> NoAgents]

\* ---- mixed: a seeded random workload of every operation -------------------------------
\* The programs come from the constant MixedSeed through a linear congruential generator
\* modulo 2^15 (1105 x + 12345: its products stay far below 2^31, TLC's integers being
\* 32-bit); Java's Scenarios.mixed() draws the same numbers, so a mixed log names its seed
\* and refines like any other. Two CPUs run MixedLength instructions each (2 in every bundled
\* model), drawn from every operation on va 1 or 2 (ranges lo..2 for madvise and mprotect); a
\* further draw adds a device or a KVM vCPU with MixedLength - 1 accesses (at least one), or
\* neither. At length 2 the draws are those of the two-instruction workload before the length
\* existed, so its models keep their counts.
LcgNext(x) == (1105 * x + 12345) % 32768
\* <<a^n, 1 + a + ... + a^(n-1)>> modulo 2^15 for a = 1105, by halving n: the n-th draw is
\* ksm-clear-refs (b3a81d0841a9, Nadav Amit's race): cpu0's TLB may cache A writable and dirty
\* (a speculative fill: A is writable and dirty); cpu1 cleans A (MADV_FREE, flush deferred to its
\* tlb_finish_mmu), cpu2 write-protects it (clear_refs soft-dirty, flush deferred to its
\* flush_tlb_mm), ksmd (cpu3) merges A into the stable page (frame 2, same contents), and cpu0
\* stores to A: the store must not land after pages_identical() in the page KSM discards.
Sc_ksm_clear_refs == [nva |-> 1, nframe |-> 3, ptp |-> <<1>>,
    pte |-> <<Present(1, TRUE)>>, ref |-> <<1, 1, 0>>, ksm |-> 2, batch |-> 8,
    cpus |-> [cpu0 |-> <<Store(1)>>, cpu1 |-> <<MadvFree(1, 1)>>, cpu2 |-> <<ClearRefs(1, 1)>>,
              cpu3 |-> <<Ksm(1)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* tiny-clear-refs: cpu0 clears the soft-dirty bits of A and B (two PT pages) while cpu1 stores
\* to A then B: once clear_refs has returned, no store may skip the write fault.
Sc_tiny_clear_refs == [nva |-> 2, nframe |-> 2, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1>>, ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<ClearRefs(1, 2)>>, cpu1 |-> <<Store(1), Store(2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

\* a^n x + 12345 (1 + ... + a^(n-1)), reached in log n steps instead of n (a soak run's
\* programs need draws far beyond TLC's recursion depth).
RECURSIVE LcgJump(_)
LcgJump(n) ==
    IF n = 0 THEN <<1, 0>>
    ELSE LET h == LcgJump(n \div 2)
             p2 == (h[1] * h[1]) % 32768
             g2 == (h[2] * (1 + h[1])) % 32768
         IN IF n % 2 = 0 THEN <<p2, g2>> ELSE <<(p2 * 1105) % 32768, (g2 + p2) % 32768>>
\* LcgNext applied n times to x.
LcgIter(x, n) == LET j == LcgJump(n) IN (j[1] * x + 12345 * j[2]) % 32768
\* The i-th draw of seed s, in 0..k-1 (from the high bits: an LCG's low bits cycle fast).
Draw(s, i, k) == (LcgIter(s % 32768, i) \div 256) % k
MixedOps == <<"load", "store", "madvise_dontneed", "madvise_free", "mprotect_ro",
              "mprotect_rw", "migrate", "swap_out", "ksm">>
\* Instruction j (0..len-1) of CPU n (0 or 1) in a workload of length len: three draws.
MixedIns(s, len, n, j) ==
    LET b == 1 + 3 * (len * n + j)
        op == MixedOps[Draw(s, b, Len(MixedOps)) + 1]
        lo == Draw(s, b + 1, 2) + 1
        hi == IF op \in {"madvise_dontneed", "madvise_free", "mprotect_ro", "mprotect_rw"}
              THEN lo + Draw(s, b + 2, 3 - lo) ELSE lo
    IN Ins(op, lo, hi)
\* Access k of the device or vCPU: two draws after the CPUs' and the agent-kind draw.
MixedAccess(s, len, k) ==
    LET b == 6 * len + 2 + 2 * k
        v == Draw(s, b + 1, 2) + 1
    IN Ins(IF Draw(s, b, 2) = 0 THEN "load" ELSE "store", v, v)
MixedCpu(s, len, n) == [j \in 1..len |-> MixedIns(s, len, n, j - 1)]
MixedAccesses(s, len) == [k \in 1..IF len > 1 THEN len - 1 ELSE 1 |-> MixedAccess(s, len, k - 1)]
MixedSc(s, len) == [nva |-> 2, nframe |-> 5, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, FALSE)>>, ref |-> <<1, 2, 1, 0, 0>>,
    ksm |-> 3, batch |-> 8,
    cpus |-> [cpu0 |-> MixedCpu(s, len, 0), cpu1 |-> MixedCpu(s, len, 1)],
    devs |-> IF Draw(s, 6 * len + 1, 3) = 1 THEN [dev0 |-> MixedAccesses(s, len)] ELSE NoAgents,
    vcpus |-> IF Draw(s, 6 * len + 1, 3) = 2 THEN [vcpu0 |-> MixedAccesses(s, len)] ELSE NoAgents]
Sc_mixed == MixedSc(MixedSeed, MixedLength)

\* ---- issue 16: munmap() with page-table freeing (Munmap.tla) -------------------------------
Munmap(l, h) == Ins("munmap", l, h)                 \* munmap(): unmap_region() and free_pgtables()
Mmap(l, h) == Ins("mmap", l, h)                     \* mmap(MAP_ANONYMOUS | MAP_FIXED) of l..h again
\* munmap-race: cpu0 munmaps va 1, the only va of PT page 1 (so free_pgtables() frees it), maps
\* it again and stores to it (a new page in a new PT page); cpu1's MADV_DONTNEED of va 2 (PT
\* page 2) may run beside the munmap, whose mmap_lock is downgraded, and make it nested.
Sc_munmap_race == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Munmap(1, 1), Mmap(1, 1), Store(1)>>, cpu1 |-> <<DontNeed(2, 2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]
\* munmap-alone: the same munmap, mmap and store, with cpu1 only loading va 2: no gather beside it.
Sc_munmap_alone == [nva |-> 2, nframe |-> 3, ptp |-> <<1, 2>>,
    pte |-> <<Present(1, TRUE), Present(2, TRUE)>>, ref |-> <<1, 1, 0>>,
    ksm |-> 0, batch |-> 8,
    cpus |-> [cpu0 |-> <<Munmap(1, 1), Mmap(1, 1), Store(1)>>, cpu1 |-> <<Load(2)>>],
    devs |-> NoAgents, vcpus |-> NoAgents]

Scenarios ==
    ("S1" :> Sc_S1)
 @@ ("S6" :> Sc_S6)
 @@ ("andrea-cow" :> Sc_andrea_cow)
 @@ ("andrea-migration" :> Sc_andrea_migration)
 @@ ("andrea-swap" :> Sc_andrea_swap)
 @@ ("andrea-ksm" :> Sc_andrea_ksm)
 @@ ("andrea-zap" :> Sc_andrea_zap)
 @@ ("caseA" :> Sc_caseA)
 @@ ("kvm-zap" :> Sc_kvm_zap)
 @@ ("kvm-swap" :> Sc_kvm_swap)
 @@ ("tiny-zap" :> Sc_tiny_zap)
 @@ ("tiny-cow" :> Sc_tiny_cow)
 @@ ("tiny-migrate" :> Sc_tiny_migrate)
 @@ ("tiny-swap" :> Sc_tiny_swap)
 @@ ("tiny-ksm" :> Sc_tiny_ksm)
 @@ ("tiny-madv-free" :> Sc_tiny_madv_free)
 @@ ("madv-free-race" :> Sc_madv_free_race)
 @@ ("tiny-mprotect" :> Sc_tiny_mprotect)
 @@ ("big" :> Sc_big)
 @@ ("cow4" :> Sc_cow4)
 @@ ("big3" :> Sc_big3)
 @@ ("reclaim-mprotect" :> Sc_reclaim_mprotect)
 @@ ("reclaim-zap" :> Sc_reclaim_zap)
 @@ ("mixed" :> Sc_mixed)
 @@ ("s1-dev" :> Sc_s1_dev)
 @@ ("munmap-race" :> Sc_munmap_race)
 @@ ("munmap-alone" :> Sc_munmap_alone)
 @@ ("numa-migrate" :> Sc_numa_migrate)
 @@ ("numa-two" :> Sc_numa_two)
 @@ ("numa-fault" :> Sc_numa_fault)
 @@ ("ksm-clear-refs" :> Sc_ksm_clear_refs)
 @@ ("tiny-clear-refs" :> Sc_tiny_clear_refs)

ASSUME Scenario \in DOMAIN Scenarios
ASSUME MixedSeed \in 0..32767
ASSUME MixedLength \in 1..1000000

Sc == Scenarios[Scenario]
=============================================================================
