----------------------------- MODULE Properties -----------------------------
(***************************************************************************)
(* What must hold. Each invariant says, in its comment, what goes wrong in *)
(* a kernel when it fails.                                                 *)
(***************************************************************************)
EXTENDS Protocol

PteValues == [k : {"none", "present", "swap", "migration", "protnone"}, f : 0..Sc.nframe, w : BOOLEAN,
              d : BOOLEAN]
Entries == [f : 0..Sc.nframe, w : BOOLEAN]

TypeOK ==
    /\ pte \in [VAS -> PteValues]
    /\ ptl \in [PTPAGES -> AGENTS \cup {NoOne}]
    /\ fstate \in [FRAMES -> {"free", "mm"}]
    /\ ref \in [FRAMES -> Nat]
    /\ pglock \in [FRAMES -> AGENTS \cup {NoOne}]
    /\ mem \in [FRAMES -> Nat]
    /\ copied \in [FRAMES -> Int]
    /\ swapcache \in [VAS -> 0..Sc.nframe]
    /\ swapslot \in [VAS -> Nat]
    /\ tlb \in [CPUS -> [VAS -> Entries]]
    /\ iotlb \in [DEVS -> [VAS -> Entries]]
    /\ spte \in [VAS -> Entries]
    /\ kvm \in [count : Nat, seq : Nat]
    /\ pending \in 0..Cardinality(CPUS)
    /\ gather \in [CPUS -> [lo : 0..Sc.nva, hi : 0..Sc.nva, batch : SUBSET FRAMES]]
    /\ pc \in [AGENTS -> STRING]
    /\ ip \in [AGENTS -> Nat]
    /\ loc \in [AGENTS -> [va : 0..Sc.nva + 1, f : 0..Sc.nframe, f2 : 0..Sc.nframe,
                           ptp : {0} \cup PTPAGES, seq : Nat, ok : BOOLEAN]]
    /\ clock \in Nat
    /\ writes \in [VAS -> SUBSET Nat]
    /\ seen \in [AGENTS -> Nat]
    /\ obl \in [CPUS -> SUBSET (VAS \X FRAMES)]
    /\ vma \in [VAS -> BOOLEAN]
    /\ oblw \in [CPUS -> SUBSET (VAS \X FRAMES)]
    /\ batched \in BOOLEAN
    /\ ubc \in [CPUS -> [flush : BOOLEAN, writable : BOOLEAN, free : SUBSET FRAMES]]

\* A CPU TLB, a device IOTLB, a shadow PTE or a PTE reaches a frame the allocator has freed
\* (and may hand to another owner): reads leak and writes corrupt someone else's memory.
NoUseAfterFree ==
    /\ \A c \in CPUS, v \in VAS : tlb[c][v].f # 0 => fstate[tlb[c][v].f] = "mm"
    /\ \A d \in DEVS, v \in VAS : iotlb[d][v].f # 0 => fstate[iotlb[d][v].f] = "mm"
    /\ \A v \in VAS : spte[v].f # 0 => fstate[spte[v].f] = "mm"
    /\ \A v \in VAS : pte[v].k \in {"present", "migration"} => fstate[pte[v].f] = "mm"

\* When MADV_DONTNEED returns, a TLB still maps a page its own zap_pte_range() saw unmapped:
\* the caller's next loads read old data and its stores go to a page about to be freed.
NoStaleAfterReturn ==
    \A c \in CPUS : pc[c] = "idle" =>
        \A o \in obl[c] : \A x \in CPUS : tlb[x][o[1]].f # o[2]

\* When MADV_FREE or mprotect(PROT_READ) returns, a TLB, IOTLB or shadow PTE can still store to a
\* page its own scan cleaned or write-protected: the store lands in read-only memory, or skips the
\* dirty bit so that reclaim later discards the page with the store in it.
NoWritableAfterReturn ==
    \A c \in CPUS : pc[c] = "idle" =>
        \A o \in oblw[c] :
            /\ \A x \in CPUS : ~(tlb[x][o[1]].f = o[2] /\ tlb[x][o[1]].w)
            /\ \A d \in DEVS : ~(iotlb[d][o[1]].f = o[2] /\ iotlb[d][o[1]].w)
            /\ ~(spte[o[1]].f = o[2] /\ spte[o[1]].w)

\* A store landed in a page after its contents were copied (migration), written out (swap)
\* or merged (KSM): the store is silently lost.
NoLostWrite == \A fr \in FRAMES : copied[fr] >= 0 => mem[fr] = copied[fr]

\* An agent read older contents at va than a store it had already seen (directly, or through
\* a later store it read): after a page replacement, the stores of the CPUs are seen out of order.
Coherence == incoherent = {}

\* KVM has a shadow PTE that the CPU page table does not back (established during an
\* invalidation, or from a frame looked up before one): the guest uses a page the host dropped.
ShadowValid ==
    \A v \in VAS : spte[v].f # 0 =>
        /\ pte[v].k = "present" /\ pte[v].f = spte[v].f
        /\ spte[v].w => pte[v].w

\* The PT lock is held exactly by the agents at a code point that needs it: two agents
\* changing the same page table at once.
PtlExclusion ==
    /\ \A a \in AGENTS : pc[a] \in PtlHeldPCs => loc[a].ptp # 0 /\ ptl[loc[a].ptp] = a
    /\ \A p \in PTPAGES : ptl[p] # NoOne => pc[ptl[p]] \in PtlHeldPCs /\ loc[ptl[p]].ptp = p

\* A page lock is held by the agent working on that page: a lock leaked or taken twice.
PageLockHeld == \A fr \in FRAMES : pglock[fr] # NoOne => loc[pglock[fr]].f = fr

\* tlb_flush_pending counts the gathers in flight: a nested flush would be missed or forced.
PendingCount == pending = Cardinality({c \in CPUS : pc[c] \in PendingPCs})

\* mmap_lock is held for writing by one mprotect() and by nobody else: a fault or madvise()
\* would see a VMA that is being changed.
MmapExclusion ==
    \A c \in CPUS : pc[c] \in ProtPCs =>
        \A a \in AGENTS \ {c} : pc[a] \notin MmapReadPCs \cup ProtPCs

\* issue 12: with no mprotect() in flight, a TLB, IOTLB or shadow PTE can still store to a va
\* whose VMA is read-only: a store succeeds after mprotect(PROT_READ) returned (a translation
\* that reclaim unmapped and has not flushed yet: the PTE mprotect saw was not present, so it
\* was not its to flush, and NoWritableAfterReturn does not see it).
NoWriteToReadOnlyVma ==
    (\A c \in CPUS : pc[c] \notin ProtPCs) =>
        \A v \in VAS : ~vma[v] =>
            /\ \A x \in CPUS : ~tlb[x][v].w
            /\ \A d \in DEVS : ~iotlb[d][v].w
            /\ ~spte[v].w

\* ---- issue 16 -----------------------------------------------------------------------------
\* When MADV_DONTNEED returns, a device's IOTLB still maps a page its own zap_pte_range() saw
\* unmapped (or saw cached in a TLB): the device's DMA after the call reads old data and its
\* stores go to a page about to be freed, not to the page the next fault maps there.
NoStaleIotlbAfterReturn ==
    \A c \in CPUS : pc[c] = "idle" =>
        \A o \in obl[c] : \A d \in DEVS : iotlb[d][o[1]].f # o[2]

\* Some agent is not done yet but none can move: a deadlock (lock cycle or lost wake-up).
NoDeadlock == ~AllDone => ENABLED (\E a \in AGENTS : AgentStep(a))

\* Every system call, fault and device access eventually completes (under weak fairness).
Termination == <>AllDone
=============================================================================
