package mmucheck.refinement.tlc;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.OpDeclNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;

/**
 * isValid accepts an action that forgets UNCHANGED x (any x' passes), so a step that isValid
 * accepted is also checked here: a variable the action never primes must be unchanged, and
 * the first occurrences of each action are checked exactly (t among TLC's own successors,
 * which fails on undetermined variables in any branch).
 */
final class StepGuard {
    /** How many occurrences of each action get the exact successor check. */
    private static final int EXACT_CHECKS_PER_ACTION = 32;

    private final LoadedSpec spec;
    private final Diagnosis diagnosis;
    /** Per action name: the indexes of the variables it never primes (they must be unchanged). */
    private final Map<String, int[]> unprimedOf = new HashMap<>();
    /** Per action name: how many of its steps passed the exact successor check. */
    private final Map<String, int[]> exactChecksDone = new HashMap<>();

    StepGuard(LoadedSpec spec, Diagnosis diagnosis) {
        this.spec = spec;
        this.diagnosis = diagnosis;
    }

    /** Null when the step s -> t of {@code a} (isValid already) passes, else a divergence. */
    Map<String, Object> guard(Action a, TLCState s, TLCState t) {
        OpDeclNode[] vars = spec.vars;
        String name = a.getName().toString();
        int[] unprimed = unprimedOf.get(name);
        if (unprimed == null) {
            Set<String> primed = Syntax.collectPrimed(a);
            unprimed = java.util.stream.IntStream.range(0, vars.length)
                    .filter(i -> !primed.contains(vars[i].getName().toString())).toArray();
            unprimedOf.put(name, unprimed);
        }
        for (int i : unprimed) {
            String v = vars[i].getName().toString();
            Object tv = t.lookup(vars[i].getName());
            Object sv = s.lookup(vars[i].getName());
            if (tv != sv && !tv.equals(sv)) {
                Map<String, Object> f = LoadedSpec.fail("divergence", "action " + name
                        + " does not determine variable " + v + " (no " + v + "' and no UNCHANGED " + v
                        + "), yet the log changes it");
                f.put("differs", List.of(diagnosis.diff(v, t, s)));
                return f;
            }
        }
        // Counted when passed, so a step checked twice (fast path, then step()) is judged alike.
        int[] done = exactChecksDone.computeIfAbsent(name, k -> new int[1]);
        if (done[0] < EXACT_CHECKS_PER_ACTION) {
            StateVec succ;
            try {
                succ = spec.tool.getNextStates(a, s);
            } catch (RuntimeException e) {
                return LoadedSpec.fail("spec-error", "TLC cannot enumerate the successors of "
                        + LoadedSpec.label(a) + ": " + spec.oneLine(e));
            }
            long fp = t.fingerPrint();
            for (int i = 0; i < succ.size(); i++) {
                if (succ.elementAt(i).fingerPrint() == fp) {
                    done[0]++;
                    return null;
                }
            }
            return diagnosis.diagnose(a, s, t, "the logged state is not among TLC's successors by "
                    + LoadedSpec.label(a) + " (a variable the action leaves undetermined?)");
        }
        return null;
    }
}
