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
 * while the reader hands an unchanged variable over as the very same object.
 */
final class ActionParts {
    private final Action[] conjuncts;
    /** Per conjunct: the variables it keeps unchanged, or null (TLC evaluates it). */
    private final UniqueString[][] unchanged;
    /** Indices of the variables the UNCHANGED conjuncts keep and no other conjunct mentions. */
    private final BitSet onlyKept;

    private ActionParts(Action[] conjuncts, UniqueString[][] unchanged, BitSet onlyKept) {
        this.conjuncts = conjuncts;
        this.unchanged = unchanged;
        this.onlyKept = onlyKept;
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

    /** The parts of {@code a}; null when it is not a conjunction with an UNCHANGED part. */
    static ActionParts of(Action a, Map<String, Integer> varIndex, Function<SemanticNode, int[]> varsOf) {
        List<SemanticNode> parts = new ArrayList<>();
        flatten(a.pred, parts, 0);
        Action[] cs = new Action[parts.size()];
        UniqueString[][] un = new UniqueString[parts.size()][];
        BitSet kept = new BitSet();
        BitSet mentioned = new BitSet();
        boolean any = false;
        boolean all = false;
        for (int i = 0; i < cs.length; i++) {
            un[i] = unchangedVars(parts.get(i), varIndex);
            if (un[i] == null) {
                cs[i] = new Action(parts.get(i), a.con);
                int[] vs = varsOf.apply(parts.get(i));
                if (vs == null) {
                    all = true;
                } else {
                    for (int v : vs) {
                        mentioned.set(v);
                    }
                }
            } else {
                any = true;
                for (UniqueString v : un[i]) {
                    kept.set(varIndex.get(v.toString()));
                }
            }
        }
        if (all) {
            kept.clear();
        }
        kept.andNot(mentioned);
        return any ? new ActionParts(cs, un, kept) : null;
    }

    /** isValid(a, s, t), with UNCHANGED conjuncts decided by identity, then equality. */
    boolean holds(Tool tool, TLCState s, TLCState t) {
        for (int i = 0; i < conjuncts.length; i++) {
            UniqueString[] un = unchanged[i];
            if (un == null) {
                if (!tool.isValid(conjuncts[i], s, t)) {
                    return false;
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
