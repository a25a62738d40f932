---- MODULE MMU ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = y + 1
Spec == Init /\ [][Next]_x
====
