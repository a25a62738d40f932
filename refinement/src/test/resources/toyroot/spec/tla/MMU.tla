---------------------------- MODULE MMU ----------------------------
(* A toy stand-in for the real MMU spec, used only by the runner's tests:
   two CPUs take a page-table lock, zap one PTE, flush (or not) and return,
   while the hardware may fill either TLB from a present PTE at any time. *)
EXTENDS Naturals, Integers, Sequences, FiniteSets, TLC

CONSTANT flush   \* "before_unlock" | "never" | "forget_unlock"

CPUs == {"cpu0", "cpu1"}
VAs  == 1..2

VARIABLES pc, lock, pte, tlb, refcount, freed, pending, note

vars == <<pc, lock, pte, tlb, refcount, freed, pending, note>>

Init ==
    /\ pc = [c \in CPUs |-> "start"]
    /\ lock = "none"
    /\ pte = <<[present |-> TRUE, frame |-> 1, rw |-> TRUE],
               [present |-> TRUE, frame |-> 2, rw |-> FALSE]>>
    /\ tlb = [c \in CPUs |-> [v \in VAs |-> 0]]
    /\ refcount = [f \in 0..2 |-> IF f = 0 THEN 0 ELSE 1]
    /\ freed = {}
    /\ pending = 0
    /\ note = "say \"hi\""

spin_lock(c) ==
    /\ pc[c] = "start" /\ lock = "none"
    /\ lock' = c
    /\ pc' = [pc EXCEPT ![c] = "locked"]
    /\ UNCHANGED <<pte, tlb, refcount, freed, pending, note>>

zap_pte_range(c, va) ==
    /\ pc[c] = "locked" /\ pte[va].present
    /\ pte' = [pte EXCEPT ![va] = [present |-> FALSE, frame |-> 0, rw |-> FALSE]]
    /\ refcount' = [refcount EXCEPT ![pte[va].frame] = @ - 1]
    /\ pending' = pending - 1
    /\ pc' = [pc EXCEPT ![c] = IF flush = "before_unlock" THEN "flush" ELSE "unlock"]
    /\ UNCHANGED <<lock, tlb, freed, note>>

\* A CPU with nothing left to zap goes straight to unlocking.
nothing_to_zap(c) ==
    /\ pc[c] = "locked" /\ \A va \in VAs : ~pte[va].present
    /\ pc' = [pc EXCEPT ![c] = IF flush = "before_unlock" THEN "flush" ELSE "unlock"]
    /\ UNCHANGED <<lock, pte, tlb, refcount, freed, pending, note>>

flush_tlb_mm(c) ==
    /\ pc[c] = "flush"
    /\ tlb' = [d \in CPUs |-> [v \in VAs |-> IF pte[v].present THEN tlb[d][v] ELSE 0]]
    /\ freed' = freed \cup {f \in 1..2 : refcount[f] = 0}
    /\ pc' = [pc EXCEPT ![c] = "unlock"]
    /\ UNCHANGED <<lock, pte, refcount, pending, note>>

spin_unlock(c) ==
    /\ pc[c] = "unlock" /\ flush # "forget_unlock"
    /\ lock' = "none"
    /\ pc' = [pc EXCEPT ![c] = "done"]
    /\ pending' = pending + 1
    /\ UNCHANGED <<pte, tlb, refcount, freed, note>>

\* Hardware: the page walker caches a present PTE in a TLB at any time.
tlb_fill(c, va) ==
    /\ pte[va].present /\ tlb[c][va] = 0
    /\ tlb' = [tlb EXCEPT ![c][va] = pte[va].frame]
    /\ UNCHANGED <<pc, lock, pte, refcount, freed, pending, note>>

Done == \A c \in CPUs : pc[c] = "done"

Next ==
    \/ \E c \in CPUs : spin_lock(c) \/ nothing_to_zap(c) \/ flush_tlb_mm(c) \/ spin_unlock(c)
    \/ \E c \in CPUs, va \in VAs : zap_pte_range(c, va) \/ tlb_fill(c, va)
    \/ (Done /\ UNCHANGED vars)

Spec == Init /\ [][Next]_vars

\* Nobody eventually returns without fairness: a stuttering counterexample.
AllReturn == <>Done

\* Two CPUs inside the lock at once: the PTE could be zapped twice.
Mutex == \A c, d \in CPUs : (c # d) => ~(pc[c] \in {"locked", "flush", "unlock"} /\ pc[d] \in {"locked", "flush", "unlock"})

\* With every CPU outside the lock, some TLB still maps a zapped PTE: a later store lands in a freed frame.
NoStaleAfterReturn == (\A c \in CPUs : pc[c] \in {"start", "done"}) => \A d \in CPUs, v \in VAs : tlb[d][v] # 0 => pte[v].present
=============================================================================
