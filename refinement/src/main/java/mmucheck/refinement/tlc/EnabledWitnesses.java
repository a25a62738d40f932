package mmucheck.refinement.tlc;

import java.util.HashSet;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprNode;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LevelNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tlc2.tool.TLCState;
import tlc2.tool.impl.Tool;
import tlc2.util.Context;
import tlc2.value.IValue;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Enumerable;
import tlc2.value.impl.Value;
import tlc2.value.impl.ValueEnumeration;

/**
 * The operator applications that imply an action B, found by unfolding B without a state:
 * through definitions (arguments evaluated), disjunctions, bounded existentials over constant
 * sets, and conjunctions whose other conjuncts are constant and true. Every key
 * {@code op(v1, ..., vn)} collected this way satisfies {@code op(v1, ..., vn) => B}, so a
 * logged step that is a step of it is a step of B, and witnesses {@code ENABLED B} in the
 * state before it. That spares TLC's ENABLED search (the most expensive invariant of the MMU
 * spec, NoDeadlock) on every state that an agent's next logged step leaves.
 *
 * <p>Anything else (LET, IF, CASE, a state-level guard, an operator argument) is not
 * unfolded: it adds no key, which only means a step of it is not taken as a witness.
 */
final class EnabledWitnesses {
    private static final int MAX_KEYS = 100_000;
    private static final int MAX_DEPTH = 64;

    private final Tool tool;
    private final Set<String> keys = new HashSet<>();
    private boolean full;

    private EnabledWitnesses(Tool tool) {
        this.tool = tool;
    }

    /** The keys ({@link LoadedSpec#key}) of the applications that imply {@code body}. */
    static Set<String> of(Tool tool, SemanticNode body) {
        EnabledWitnesses w = new EnabledWitnesses(tool);
        w.unfold(body, Context.Empty, 0);
        return w.keys;
    }

    private void unfold(SemanticNode n, Context c, int depth) {
        if (full || depth > MAX_DEPTH || !(n instanceof OpApplNode app)) {
            return;
        }
        if (app.getOperator() instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind) {
            ExprOrOpArgNode[] args = app.getArgs();
            FormalParamNode[] ps = d.getParams();
            Value[] vals = new Value[args.length];
            Context inner = Context.Empty;
            for (int i = 0; i < args.length; i++) {
                vals[i] = constant(args[i], c);
                if (vals[i] == null || ps[i].getArity() != 0) {
                    return;
                }
                inner = inner.cons(ps[i], vals[i]);
            }
            if (keys.size() >= MAX_KEYS) {
                full = true;
                return;
            }
            keys.add(LoadedSpec.key(d.getName().toString(), vals));
            unfold(d.getBody(), inner, depth + 1);
            return;
        }
        String op = app.getOperator().getName().toString();
        switch (op) {
            case "$DisjList", "\\lor" -> {
                for (ExprOrOpArgNode a : app.getArgs()) {
                    unfold(a, c, depth + 1);
                }
            }
            case "$ConjList", "\\land" -> {
                ExprOrOpArgNode rest = null;
                for (ExprOrOpArgNode a : app.getArgs()) {
                    Value v = constant(a, c);
                    if (v == null) {
                        if (rest != null) {
                            return; // two conjuncts that need a state: not unfolded
                        }
                        rest = a;
                    } else if (!(v instanceof BoolValue b) || !b.val) {
                        return; // a false guard: no step of this disjunct at all
                    }
                }
                if (rest != null) {
                    unfold(rest, c, depth + 1);
                }
            }
            case "$BoundedExists" -> exists(app, c, depth);
            default -> {
                // not unfolded
            }
        }
    }

    /** \E x \in S, y \in T : P with constant S, T (no tuples): P under every binding. */
    private void exists(OpApplNode app, Context c, int depth) {
        FormalParamNode[][] lists = app.getBdedQuantSymbolLists();
        ExprNode[] bounds = app.getBdedQuantBounds();
        boolean[] tuple = app.isBdedQuantATuple();
        java.util.List<FormalParamNode> names = new java.util.ArrayList<>();
        java.util.List<java.util.List<Value>> domains = new java.util.ArrayList<>();
        for (int i = 0; i < lists.length; i++) {
            if (tuple[i]) {
                return;
            }
            Value s = constant(bounds[i], c);
            if (!(s instanceof Enumerable e)) {
                return;
            }
            java.util.List<Value> elems = new java.util.ArrayList<>();
            ValueEnumeration en = e.elements();
            for (Value v = en.nextElement(); v != null; v = en.nextElement()) {
                elems.add(v);
            }
            for (FormalParamNode p : lists[i]) {
                names.add(p);
                domains.add(elems);
            }
        }
        bind(app.getArgs()[0], c, names, domains, 0, depth);
    }

    private void bind(SemanticNode body, Context c, java.util.List<FormalParamNode> names,
            java.util.List<java.util.List<Value>> domains, int i, int depth) {
        if (i == names.size()) {
            unfold(body, c, depth + 1);
            return;
        }
        for (Value v : domains.get(i)) {
            if (full) {
                return;
            }
            bind(body, c.cons(names.get(i), v), names, domains, i + 1, depth);
        }
    }

    /** The value of a constant-level expression under c, or null (state-level, or an error). */
    private Value constant(SemanticNode n, Context c) {
        if (!(n instanceof LevelNode l) || l.getLevel() != tla2sany.semantic.LevelConstants.ConstantLevel) {
            return null;
        }
        try {
            IValue v = tool.eval(n, c, TLCState.Empty);
            return v instanceof Value val ? val : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
