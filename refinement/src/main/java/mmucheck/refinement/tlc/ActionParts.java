package mmucheck.refinement.tlc;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.tool.impl.Tool;
import util.UniqueString;

/**
 * An action as its top-level conjuncts, evaluated in order as TLC evaluates the conjunction,
 * except that a conjunct {@code UNCHANGED <<x, y, ...>>} is checked here: the same Value
 * object before and after is equal without looking inside it. TLC compares the two values
 * element by element, and an MMU action leaves some twenty variables (page tables, TLBs,
 * records per agent) unchanged, so that comparison was most of the cost of checking a step,
 * while the reader hands an unchanged variable over as the very same object. Each other
 * conjunct is recalled from {@link TrueFacts} when it held before on the values it reads.
 */
final class ActionParts {
    private final Action[] conjuncts;
    /** Per conjunct: the variables it keeps unchanged, or null (TLC evaluates it). */
    private final UniqueString[][] unchanged;
    /** Per conjunct TLC evaluates: the variables it reads, or null (not memoised); its tag. */
    private final int[][] reads;
    private final int[] tags;
    /**
     * The variables ENABLED of this action depends on (those its other conjuncts mention; one
     * only kept UNCHANGED can always be kept), or null when unknown; its tag in TrueFacts.
     */
    private final int[] enabledReads;
    private final int enabledTag;
    /** Indices of the variables the UNCHANGED conjuncts keep. */
    private final BitSet kept;
    /** Those of them no other conjunct mentions. */
    private final BitSet onlyKept;

    private ActionParts(Action[] conjuncts, UniqueString[][] unchanged, int[][] reads, int[] tags, BitSet kept,
            BitSet onlyKept, int[] enabledReads, int enabledTag) {
        this.enabledReads = enabledReads;
        this.enabledTag = enabledTag;
        this.conjuncts = conjuncts;
        this.unchanged = unchanged;
        this.reads = reads;
        this.tags = tags;
        this.kept = kept;
        this.onlyKept = onlyKept;
    }

    /** See {@link #enabledReads}: null, or the variables ENABLED of this action reads. */
    int[] enabledReads() {
        return enabledReads;
    }

    int enabledTag() {
        return enabledTag;
    }

    /** Whether an UNCHANGED conjunct keeps variable i. */
    boolean keeps(int i) {
        return kept.get(i);
    }

    /**
     * Whether a step of this action from s shows it enabled in a state u that differs from s
     * only in {@code changed} (variable indices): true when the action keeps every one of
     * them UNCHANGED and reads it nowhere else. Then each other conjunct reads the same values
     * in u as in s, and the successor with those variables as in u is a step from u.
     */
    boolean enabledDespite(BitSet changed) {
        BitSet rest = (BitSet) changed.clone();
        rest.andNot(onlyKept);
        return rest.isEmpty();
    }

    /**
     * The parts of {@code a} (one conjunct when it is not a conjunction). {@code tags}: a fresh
     * number for each conjunct and for its ENABLED (their names in {@link TrueFacts}).
     */
    static ActionParts of(Action a, Map<String, Integer> varIndex, Function<SemanticNode, int[]> varsOf,
            java.util.function.IntSupplier tags) {
        List<SemanticNode> parts = new ArrayList<>();
        flatten(a.pred, parts, 0);
        Action[] cs = new Action[parts.size()];
        UniqueString[][] un = new UniqueString[parts.size()][];
        int[][] reads = new int[parts.size()][];
        int[] tagOf = new int[parts.size()];
        BitSet kept = new BitSet();
        BitSet mentioned = new BitSet();
        boolean all = false;
        for (int i = 0; i < cs.length; i++) {
            un[i] = unchangedVars(parts.get(i), varIndex);
            if (un[i] == null) {
                cs[i] = new Action(parts.get(i), a.con);
                int[] vs = varsOf.apply(parts.get(i));
                reads[i] = vs;
                tagOf[i] = tags.getAsInt();
                if (vs == null) {
                    all = true;
                } else {
                    for (int v : vs) {
                        mentioned.set(v);
                    }
                }
            } else {
                for (UniqueString v : un[i]) {
                    kept.set(varIndex.get(v.toString()));
                }
            }
        }
        BitSet onlyKept = (BitSet) kept.clone();
        if (all) {
            onlyKept.clear();
        }
        onlyKept.andNot(mentioned);
        return new ActionParts(cs, un, reads, tagOf, kept, onlyKept, all ? null : mentioned.stream().toArray(),
                tags.getAsInt());
    }

    /**
     * isValid(a, s, t), with UNCHANGED conjuncts decided by identity, then equality, and each
     * other conjunct looked up in {@code facts} by the identity of the values it reads in s and
     * t (sIds, tIds: the states' value ids, or null): a conjunct true once is true again on the
     * same values. Single conjuncts recur far more often than whole steps: a guard on one
     * agent's pc, or a TLB fill's update of one CPU's entry, while other agents have moved on.
     */
    boolean holds(Tool tool, TLCState s, TLCState t, TrueFacts facts, OpDeclNode[] vars, int[] sIds, int[] tIds) {
        for (int i = 0; i < conjuncts.length; i++) {
            UniqueString[] un = unchanged[i];
            if (un == null) {
                boolean memo = reads[i] != null;
                if (memo && facts.known(tags[i], conjuncts[i], reads[i], vars, t, s, tIds, sIds)) {
                    continue;
                }
                if (!tool.isValid(conjuncts[i], s, t)) {
                    return false;
                }
                if (memo) {
                    facts.learn();
                }
                continue;
            }
            for (UniqueString v : un) {
                Object after = t.lookup(v);
                Object before = s.lookup(v);
                if (after != before && (after == null || !after.equals(before))) {
                    return false;
                }
            }
        }
        return true;
    }

    private static void flatten(SemanticNode n, List<SemanticNode> out, int depth) {
        if (depth < 32 && n instanceof OpApplNode app) {
            String op = app.getOperator().getName().toString();
            if (op.equals("$ConjList") || op.equals("\\land")) {
                for (ExprOrOpArgNode arg : app.getArgs()) {
                    flatten(arg, out, depth + 1);
                }
                return;
            }
        }
        out.add(n);
    }

    /**
     * The variables of {@code UNCHANGED <<x, y>>}, {@code UNCHANGED x}, or UNCHANGED of a
     * definition without parameters that is such a tuple (vars == <<...>>); else null.
     */
    private static UniqueString[] unchangedVars(SemanticNode n, Map<String, Integer> varIndex) {
        if (!(n instanceof OpApplNode app) || !app.getOperator().getName().toString().equals("UNCHANGED")) {
            return null;
        }
        List<UniqueString> out = new ArrayList<>();
        return collect(app.getArgs()[0], varIndex, out, 0) ? out.toArray(new UniqueString[0]) : null;
    }

    private static boolean collect(SemanticNode n, Map<String, Integer> varIndex, List<UniqueString> out, int depth) {
        if (depth > 16 || !(n instanceof OpApplNode app)) {
            return false;
        }
        if (app.getOperator() instanceof OpDeclNode d && d.getKind() == ASTConstants.VariableDeclKind) {
            if (!varIndex.containsKey(d.getName().toString())) {
                return false;
            }
            out.add(d.getName());
            return true;
        }
        if (app.getOperator().getName().toString().equals("$Tuple")) {
            for (ExprOrOpArgNode arg : app.getArgs()) {
                if (!collect(arg, varIndex, out, depth + 1)) {
                    return false;
                }
            }
            return true;
        }
        if (app.getOperator() instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind
                && d.getArity() == 0) {
            return collect(d.getBody(), varIndex, out, depth + 1);
        }
        return false;
    }
}
