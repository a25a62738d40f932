-------------------------------- MODULE MMU --------------------------------
(***************************************************************************)
(* mmucheck's top module: the PT lock, the TLB gather and the MMU-notifier *)
(* protocol of Linux mm, with kernel versions and proposals as constants   *)
(* (cpu_flush, secondary, shadow; see MMState) and the workload as the     *)
(* constant Scenario (see Scenarios). Models: spec/models/*.cfg, with      *)
(* their expected verdicts in spec/models/manifest.json.                   *)
(***************************************************************************)
EXTENDS Properties

Spec == Init /\ [][Next]_vars

\* For liveness checks on tiny models: every agent that can step eventually does.
FairSpec == Spec /\ \A a \in AGENTS : WF_vars(AgentStep(a))
\* Left out, by name, in the larger models (ACTION_CONSTRAINT EvictionFree): spontaneous
\* TLB and IOTLB evictions. An eviction only drops a cached translation, which the next access
\* re-walks from the current PTE, so it cannot make a stale translation appear; leaving it out
\* keeps those models small. A flush or invalidation always moves its agent's pc, which tells
\* it apart from an eviction.
EvictionFree ==
    /\ \A c \in CPUS, v \in VAS : (tlb[c][v].f # 0 /\ tlb'[c][v].f = 0) => pc' # pc
    /\ \A d \in DEVS, v \in VAS : (iotlb[d][v].f # 0 /\ iotlb'[d][v].f = 0) => pc' # pc
\* A VIEW for the larger models: every variable but the ghost clock, which only stamps the next
\* store. Two states equal but for clock hold the same stamps (each at most clock) and give every
\* new store a stamp above all of them, so their futures agree up to an order-preserving
\* renaming of stamps, and every property compares stamps only by order and equality: TLC may
\* take them for one state (ReductionsTest: the small models keep their verdicts).
NoClockView == <<pte, ptl, fstate, ref, pglock, mem, copied, swapcache, swapslot, tlb, iotlb,
                 spte, kvm, pending, gather, pc, ip, loc, writes, seen, incoherent, obl,
                 vma, oblw>>
=============================================================================
