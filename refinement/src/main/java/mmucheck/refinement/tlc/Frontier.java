package mmucheck.refinement.tlc;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.OpDeclNode;
import tlc2.tool.Action;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * The states the log may be at: one after a full line or a fast-path step; for a partial log
 * with unlogged variables left free or with internal steps, the candidate states, capped by
 * {@code maxFrontier}, found by searching TLC's successors ({@link #partialStep}). Unlogged
 * variables are unchanged (the format's rule) unless {@code unloggedUnchanged} is off.
 */
final class Frontier {
    private final LoadedSpec spec;
    private final Diagnosis diagnosis;
    private final ConjunctMemo memo;
    private List<TLCState> candidates;
    /** The value ids of the one candidate, when the fast reader read it; else null. */
    private int[] currentIds;
    private int maxFrontier = 1000;
    private int internalSteps;
    private boolean unloggedUnchanged = true;
    long ambiguousSteps;
    long maxFrontierSeen = 1;

    Frontier(LoadedSpec spec, Diagnosis diagnosis, ConjunctMemo memo) {
        this.spec = spec;
        this.diagnosis = diagnosis;
        this.memo = memo;
    }

    void configure(int maxFrontier, int internalSteps, boolean unloggedUnchanged) {
        this.maxFrontier = maxFrontier;
        this.internalSteps = internalSteps;
        this.unloggedUnchanged = unloggedUnchanged;
    }

    void resetStats() {
        ambiguousSteps = 0;
        maxFrontierSeen = 1;
    }

    /**
     * The candidate states the log may be at; ids: the value ids of a single candidate the
     * fast reader read, else null (they must describe it).
     */
    void moveTo(List<TLCState> next, int[] ids) {
        candidates = next;
        currentIds = next.size() == 1 ? ids : null;
    }

    /** Forgets the current state's ids (benchmarks: no credit for values seen before). */
    void forgetIds() {
        currentIds = null;
    }

    /** Whether a logged pair can be checked directly: one candidate, no internal steps, unlogged variables unchanged. */
    boolean direct(boolean partial) {
        return internalSteps == 0 && candidates != null && candidates.size() == 1 && (!partial || unloggedUnchanged);
    }

    /** The one candidate (see {@link #direct}). */
    TLCState single() {
        return candidates.get(0);
    }

    /** Its value ids, or null. */
    int[] singleIds() {
        return currentIds;
    }

    /**
     * A step searched among TLC's successors: up to {@code internalSteps} unlogged steps of
     * any action, then one of the logged action whose state fits the logged variables. Null,
     * a failure, or {@code ambiguous} with the number of candidates.
     */
    Map<String, Object> partialStep(String action, Map<String, Object> args, Map<String, Object> state,
            boolean stutter) {
        Map<UniqueString, Value> logged = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.entrySet()) {
            Integer idx = spec.varIndex.get(e.getKey());
            if (idx == null) {
                return LoadedSpec.fail("bad-input", "'" + e.getKey() + "' is not a variable of spec " + spec.module);
            }
            Object v = JdkValues.toValue(e.getValue(), e.getKey());
            if (v instanceof String) {
                return LoadedSpec.fail("bad-input", (String) v);
            }
            logged.put(spec.vars[idx].getName(), (Value) v);
        }
        Action a = null;
        if (!stutter) {
            Object resolved = spec.resolve(action, args);
            if (resolved instanceof String) {
                return LoadedSpec.fail("bad-input", (String) resolved);
            }
            a = (Action) resolved;
        }
        // Up to K unlogged spec steps before the logged one.
        List<TLCState> sources = new ArrayList<>(candidates);
        Set<Long> seen = new HashSet<>();
        for (TLCState s : sources) {
            seen.add(s.fingerPrint());
        }
        List<TLCState> layer = new ArrayList<>(candidates);
        for (int k = 0; k < internalSteps && !layer.isEmpty(); k++) {
            List<TLCState> nextLayer = new ArrayList<>();
            for (TLCState s : layer) {
                for (Action any : spec.tool.getActions()) {
                    StateVec succ = spec.tool.getNextStates(any, s);
                    for (int i = 0; i < succ.size(); i++) {
                        TLCState u = succ.elementAt(i);
                        if (seen.add(u.fingerPrint())) {
                            nextLayer.add(u);
                            sources.add(u);
                            if (sources.size() > maxFrontier) {
                                return LoadedSpec.fail("frontier", "more than " + maxFrontier
                                        + " candidate states within " + internalSteps
                                        + " internal steps (raise --max-frontier or lower --internal-steps)");
                            }
                        }
                    }
                }
            }
            layer = nextLayer;
        }
        List<TLCState> next = new ArrayList<>();
        Set<Long> nextSeen = new HashSet<>();
        for (TLCState s : sources) {
            if (stutter) {
                if (matches(s, s, logged) && nextSeen.add(s.fingerPrint())) {
                    next.add(s);
                }
                continue;
            }
            StateVec succ = spec.tool.getNextStates(a, s);
            for (int i = 0; i < succ.size(); i++) {
                TLCState u = succ.elementAt(i);
                if (matches(s, u, logged) && nextSeen.add(u.fingerPrint())) {
                    next.add(u);
                    if (next.size() > maxFrontier) {
                        return LoadedSpec.fail("frontier", "more than " + maxFrontier
                                + " candidate states fit the logged variables (raise --max-frontier)");
                    }
                }
            }
        }
        if (next.isEmpty()) {
            TLCState s = candidates.get(0);
            TLCState t = s.copy();
            for (Map.Entry<UniqueString, Value> e : logged.entrySet()) {
                t.bind(e.getKey(), e.getValue());
            }
            String why = (candidates.size() == 1 ? "" : "none of " + candidates.size() + " candidate states: ")
                    + "no successor by " + (a == null ? "stuttering" : LoadedSpec.label(a)) + " has the logged variables";
            if (a == null) {
                Map<String, Object> f = LoadedSpec.fail("divergence", why);
                f.put("differs", diagnosis.differs(t, s));
                return f;
            }
            return diagnosis.diagnose(a, s, t, why);
        }
        if (next.size() > 1) {
            ambiguousSteps++;
        }
        maxFrontierSeen = Math.max(maxFrontierSeen, next.size());
        moveTo(next, null);
        memo.forgetReference(); // TypeOK is not checked on TLC's own successors: the next state checks all
        Map<String, Object> inv = invariantCheck(next);
        if (inv == null && next.size() > 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", "ambiguous");
            m.put("candidates", (long) next.size());
            return m;
        }
        return inv;
    }

    private boolean matches(TLCState before, TLCState after, Map<UniqueString, Value> logged) {
        for (OpDeclNode v : spec.vars) {
            UniqueString n = v.getName();
            Value want = logged.get(n);
            if (want == null) {
                if (unloggedUnchanged && !after.lookup(n).equals(before.lookup(n))) {
                    return false;
                }
            } else if (!after.lookup(n).equals(want)) {
                return false;
            }
        }
        return true;
    }

    private Map<String, Object> invariantCheck(List<TLCState> candidates) {
        for (int i = 0; i < spec.invariants.size(); i++) {
            boolean allViolate = true;
            for (TLCState s : candidates) {
                if (spec.tool.isValid(spec.invariants.get(i), s)) {
                    allViolate = false;
                    break;
                }
            }
            if (allViolate) {
                Map<String, Object> f = LoadedSpec.fail("invariant", "invariant " + spec.invNames.get(i) + " is violated");
                f.put("invariant", spec.invNames.get(i));
                return f;
            }
        }
        return null;
    }
}
