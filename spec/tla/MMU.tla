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
=============================================================================
