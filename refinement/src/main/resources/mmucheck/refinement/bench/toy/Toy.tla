---------------------------------- MODULE Toy ----------------------------------
(* A toy TLB-shootdown spec used only to test the refinement checker: a page   *)
(* table, per-CPU TLBs caching <<va, frame>> pairs, a gather of frames to free *)
(* and per-frame reference counts. With Bug = TRUE, gather_finish frees the    *)
(* gathered frames without flushing the TLBs (the bug class of 99baac21e458).  *)
EXTENDS Naturals, FiniteSets

CONSTANTS CPUs, VAs, Frames, Bug

VARIABLES pte, tlb, free, refs, gather

vars == <<pte, tlb, free, refs, gather>>

TypeOK ==
    /\ pte \in [VAs -> Frames \cup {0}]
    /\ tlb \in [CPUs -> SUBSET (VAs \X Frames)]
    /\ free \subseteq Frames
    /\ refs \in [Frames -> 0..3]
    /\ gather \in [active : BOOLEAN, frames : SUBSET Frames]

Init ==
    /\ pte = [va \in VAs |-> 0]
    /\ tlb = [c \in CPUs |-> {}]
    /\ free = Frames
    /\ refs = [f \in Frames |-> 0]
    /\ gather = [active |-> FALSE, frames |-> {}]

\* Hardware: a CPU's TLB caches the translation of a present PTE.
tlb_fill(c, va) ==
    /\ pte[va] # 0
    /\ tlb' = [tlb EXCEPT ![c] = @ \cup {<<va, pte[va]>>}]
    /\ UNCHANGED <<pte, free, refs, gather>>

\* A fault maps a free frame at an unmapped va.
do_fault(va, f) ==
    /\ pte[va] = 0
    /\ f \in free
    /\ pte' = [pte EXCEPT ![va] = f]
    /\ free' = free \ {f}
    /\ refs' = [refs EXCEPT ![f] = 1]
    /\ UNCHANGED <<tlb, gather>>

\* zap_pte_range: clear the PTE and queue its frame in the gather.
zap_pte(va) ==
    /\ pte[va] # 0
    /\ pte' = [pte EXCEPT ![va] = 0]
    /\ gather' = [gather EXCEPT !.active = TRUE, !.frames = @ \cup {pte[va]}]
    /\ UNCHANGED <<tlb, free, refs>>

\* tlb_finish_mmu: flush every TLB (unless Bug), then free the gathered frames.
tlb_finish(c) ==
    /\ gather.active
    /\ tlb' = IF Bug THEN tlb ELSE [d \in CPUs |-> {}]
    /\ free' = free \cup gather.frames
    /\ refs' = [f \in Frames |-> IF f \in gather.frames THEN 0 ELSE refs[f]]
    /\ gather' = [active |-> FALSE, frames |-> {}]
    /\ UNCHANGED pte

\* A local flush of one CPU's TLB.
flush_tlb_local(c) ==
    /\ tlb[c] # {}
    /\ tlb' = [tlb EXCEPT ![c] = {}]
    /\ UNCHANGED <<pte, free, refs, gather>>

Next ==
    \/ \E c \in CPUs, va \in VAs : tlb_fill(c, va)
    \/ \E va \in VAs, f \in Frames : do_fault(va, f)
    \/ \E va \in VAs : zap_pte(va)
    \/ \E c \in CPUs : tlb_finish(c)
    \/ \E c \in CPUs : flush_tlb_local(c)

Spec == Init /\ [][Next]_vars

\* A TLB still maps a frame that was freed: a use-after-free.
NoUseAfterFree == \A c \in CPUs : \A e \in tlb[c] : e[2] \notin free
================================================================================
