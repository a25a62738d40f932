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
=============================================================================
