------------------------------ MODULE Protocol ------------------------------
(***************************************************************************)
(* The whole protocol: the initial state of a scenario and the next-state  *)
(* relation, composed from the mechanism modules (PageTable, Notifier,     *)
(* Cow, Gather, Rmap, Ksm, Madvise, Mprotect, Reclaim, Numa, ClearRefs). Every action takes the agent that steps (or    *)
(* the CPU/device and va of a hardware TLB fill or eviction), so a TLC     *)
(* trace and a Java log name the same step the same way.                   *)
(***************************************************************************)
EXTENDS Numa, ClearRefs

Init ==
    /\ pte = [v \in VAS |-> Sc.pte[v]]
    /\ ptl = [p \in PTPAGES |-> NoOne]
    /\ ref = [fr \in FRAMES |-> Sc.ref[fr]]
    /\ fstate = [fr \in FRAMES |-> IF Sc.ref[fr] > 0 THEN "mm" ELSE "free"]
    /\ pglock = [fr \in FRAMES |-> NoOne]
    /\ mem = [fr \in FRAMES |-> 0]
    /\ copied = [fr \in FRAMES |-> -1]
    /\ swapcache = [v \in VAS |-> 0]
    /\ swapslot = [v \in VAS |-> 0]
    /\ tlb = [c \in CPUS |-> [v \in VAS |-> NoEntry]]
    /\ iotlb = [d \in DEVS |-> [v \in VAS |-> NoEntry]]
    /\ spte = [v \in VAS |-> NoEntry]
    /\ kvm = [count |-> 0, seq |-> 0]
    /\ pending = 0
    /\ gather = [c \in CPUS |-> Gather0]
    /\ pc = [a \in AGENTS |-> "idle"]
    /\ ip = [a \in AGENTS |-> 0]
    /\ loc = [a \in AGENTS |-> Locals0]
    /\ clock = 0
    /\ writes = [v \in VAS |-> {}]
    /\ seen = [a \in AGENTS |-> 0]
    /\ incoherent = {}
    /\ obl = [c \in CPUS |-> {}]
    /\ vma = [v \in VAS |-> TRUE]
    /\ oblw = [c \in CPUS |-> {}]
    /\ batched = FALSE
    /\ ubc = [c \in CPUS |-> Ubc0]

CpuStep(c) == FaultStep(c) \/ CowStep(c) \/ GatherStep(c) \/ RmapStep(c) \/ KsmStep(c)
              \/ MadviseStep(c) \/ MprotectStep(c)
              \/ ReclaimStep(c)
              \/ NumaStep(c)
              \/ ClearRefsStep(c)

\* Every step an agent (CPU thread, device, vCPU) takes of its own accord.
AgentStep(a) ==
    \/ a \in CPUS /\ CpuStep(a)
    \/ a \in DEVS /\ DeviceStep(a)
    \/ a \in VCPUS /\ VcpuStep(a)
    \/ PtlStep(a)
    \/ NotifierStep(a)

\* What the hardware may do at any time: speculative fills and evictions.
HardwareStep ==
    \/ \E c \in CPUS, v \in VAS : tlb_fill(c, v) \/ tlb_evict(c, v)
    \/ \E d \in DEVS, v \in VAS : iotlb_fill(d, v) \/ iotlb_evict(d, v)

\* Every program has finished: let the behaviour stutter rather than deadlock.
Terminated == AllDone /\ UNCHANGED vars

\* The same steps as AgentStep, written as a plain disjunction so that TLC names each step of
\* a trace after its kernel function.
Next ==
    \/ \E c \in CPUS : CpuStep(c)
    \/ \E d \in DEVS : DeviceStep(d)
    \/ \E v \in VCPUS : VcpuStep(v)
    \/ \E a \in AGENTS : PtlStep(a)
    \/ \E a \in AGENTS : NotifierStep(a)
    \/ HardwareStep
    \/ Terminated
=============================================================================
