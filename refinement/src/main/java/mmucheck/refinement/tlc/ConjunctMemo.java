package mmucheck.refinement.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.util.Context;
import util.UniqueString;

/**
 * The conjunct memo: TypeOK, the invariants and each action split into their conjuncts, each
 * with the variables it reads, and what is known of them. Every logged state is checked, but
 * a conjunct none of whose variables changed since the last state that passed them all
 * ({@link #reference}) is not evaluated again, and a conjunct that held before on the same
 * values (by identity) is recalled from {@link TrueFacts} instead of evaluated.
 */
final class ConjunctMemo {
    private final LoadedSpec spec;
    /**
     * The conjuncts (of TypeOK, the invariants and the actions) known true on given values;
     * each conjunct has its own tag.
     */
    final TrueFacts facts = new TrueFacts(17);
    private int nextTag;
    /** Per cached Action: its {@link ActionParts}. */
    private final Map<Action, ActionParts> actionParts = new java.util.IdentityHashMap<>();
    final List<Conjunct> typeConjuncts = new ArrayList<>();
    final List<Conjunct> invConjuncts = new ArrayList<>();
    /** The last state that passed every conjunct, or null. */
    private TLCState lastChecked;
    long conjunctsEvaluated;
    long conjunctsSkipped;

    private TLCState changedState;
    private TLCState changedRef;
    private long changedBits;

    ConjunctMemo(LoadedSpec spec) {
        this.spec = spec;
        if (spec.typeOk != null) {
            splitConjuncts("TypeOK", spec.typeOk.pred, typeConjuncts, 0);
        }
        for (int i = 0; i < spec.invariants.size(); i++) {
            splitConjuncts(spec.invNames.get(i), spec.invariants.get(i).pred, invConjuncts, 0);
        }
    }

    /** The last state that passed every conjunct (the reference for skipping), or null. */
    TLCState reference() {
        return lastChecked;
    }

    /** t passed every conjunct: it is the reference. */
    void passed(TLCState t) {
        lastChecked = t;
    }

    /** No state is known to have passed every conjunct. */
    void forgetReference() {
        lastChecked = null;
    }

    /** Forgets every fact and the reference (not the conjuncts nor what they read). */
    void resetCaches() {
        facts.clear();
        lastChecked = null;
    }

    void resetStats() {
        conjunctsEvaluated = 0;
        conjunctsSkipped = 0;
        facts.resetHits();
    }

    /**
     * The fast path's cache of resolved actions was dropped: the parts of those actions go
     * with it (they are keyed by the Action objects), and so do the facts about them.
     */
    void forgetActions() {
        actionParts.clear();
        facts.clear();
        for (Conjunct c : invConjuncts) {
            c.witnessedBy().clear();
        }
    }

    /**
     * tool.isValid(a, s, t), conjunct by conjunct through {@link ActionParts} (sIds, tIds: the
     * states' value ids, or null). Each conjunct is recalled by the values it reads; a memo of
     * the whole action by all the values it reads (every variable, UNCHANGED ones included)
     * cost more in building and comparing its keys than it saved.
     */
    boolean isValid(Action a, TLCState s, TLCState t, int[] sIds, int[] tIds) {
        return partsOf(a).holds(spec.tool, s, t, facts, spec.vars, sIds, tIds);
    }

    ActionParts partsOf(Action a) {
        ActionParts p = actionParts.get(a);
        if (p == null) {
            p = ActionParts.of(a, spec.varIndex, n -> Syntax.stateDeps(n, spec.varIndex), () -> nextTag++);
            actionParts.put(a, p);
        }
        return p;
    }

    /**
     * The index of the first conjunct false on t, or -1. A conjunct is skipped when every
     * variable it reads holds the very same value as in {@link #reference}, which passed all
     * of them (the reader reuses a variable's Value object while its logged bytes are equal).
     * {@code errorIsFalse}: an evaluation error counts as false (TypeOK), else it propagates.
     * {@code defer}: where to put the conjuncts with witnesses instead of evaluating them (or
     * null); {@code tIds}: t's value ids (or null).
     */
    int firstFalse(List<Conjunct> cs, TLCState t, boolean errorIsFalse, List<Conjunct> defer, int[] tIds) {
        TLCState ref = lastChecked;
        int nVars = spec.vars.length;
        long changed = ref == null || nVars > Long.SIZE ? -1L : changedSince(t, ref);
        for (int k = 0; k < cs.size(); k++) {
            Conjunct c = cs.get(k);
            if (ref != null && c.deps() != null
                    && (nVars <= Long.SIZE ? (c.depMask() & changed) == 0 : sameValues(c.deps(), t, ref))) {
                conjunctsSkipped++;
                continue;
            }
            if (defer != null && c.witnesses() != null) {
                defer.add(c); // not memoised: a later step settles it (see EnabledSettlement)
                continue;
            }
            // The same values (by identity) as a state this conjunct held on: it holds again.
            boolean memo = c.deps() != null;
            if (memo && facts.known(c.tag(), c.action(), c.deps(), spec.vars, t, null, tIds, null)) {
                conjunctsSkipped++;
                continue;
            }
            conjunctsEvaluated++;
            boolean ok;
            try {
                ok = spec.tool.isValid(c.action(), t);
            } catch (RuntimeException e) {
                if (!errorIsFalse) {
                    throw e;
                }
                ok = false;
            }
            if (!ok) {
                return k;
            }
            if (memo) {
                facts.learn();
            }
        }
        return -1;
    }

    /**
     * Bit i set when variable i holds another object in t than in ref (at most 64 variables);
     * kept for the last pair, as TypeOK and the invariants each ask for the same step.
     */
    private long changedSince(TLCState t, TLCState ref) {
        if (t != changedState || ref != changedRef) {
            long bits = 0;
            for (int i = 0; i < spec.vars.length; i++) {
                UniqueString n = spec.vars[i].getName();
                if (t.lookup(n) != ref.lookup(n)) {
                    bits |= 1L << i;
                }
            }
            changedState = t;
            changedRef = ref;
            changedBits = bits;
        }
        return changedBits;
    }

    /** deps as a bit mask (see changedSince); meaningless past 64 variables. */
    private static long mask(int[] deps) {
        long m = 0;
        if (deps != null) {
            for (int d : deps) {
                m |= 1L << d;
            }
        }
        return m;
    }

    /** Whether each variable of deps holds the very same object in t as in ref. */
    boolean sameValues(int[] deps, TLCState t, TLCState ref) {
        for (int d : deps) {
            UniqueString n = spec.vars[d].getName();
            if (t.lookup(n) != ref.lookup(n)) {
                return false;
            }
        }
        return true;
    }

    /** Splits a state predicate into conjuncts (through zero-arity definitions that are conjunctions). */
    private void splitConjuncts(String owner, SemanticNode n, List<Conjunct> out, int depth) {
        if (depth < 16 && n instanceof OpApplNode app) {
            SymbolNode op = app.getOperator();
            String opName = op.getName().toString();
            if (opName.equals("$ConjList") || opName.equals("\\land")) {
                for (ExprOrOpArgNode arg : app.getArgs()) {
                    splitConjuncts(owner, arg, out, depth + 1);
                }
                return;
            }
            if (op instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind && d.getArity() == 0
                    && Syntax.isConjunction(d.getBody())) {
                splitConjuncts(owner, d.getBody(), out, depth + 1);
                return;
            }
        }
        Set<String> witnesses = null;
        SemanticNode b = Syntax.enabledBody(n);
        if (b != null) {
            witnesses = EnabledWitnesses.of(spec.tool, b);
        }
        int[] deps = Syntax.stateDeps(n, spec.varIndex);
        out.add(new Conjunct(owner, new Action(n, Context.Empty), deps, mask(deps), nextTag++,
                witnesses == null || witnesses.isEmpty() ? null : witnesses, new java.util.IdentityHashMap<>()));
    }
}
