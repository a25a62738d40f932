---- MODULE MMU ----
EXTENDS Naturals
VARIABLE x
Init == x = 0
Next == x' = IF x = 2 THEN x + "a" ELSE x + 1
Spec == Init /\ [][Next]_x
Inv == x < 10
====
