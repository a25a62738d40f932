package mmucheck.refinement.tlc;

import java.util.BitSet;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;
import tlc2.tool.Action;

/** What the checker reads off a spec's syntax tree, without a state. */
final class Syntax {
    /** Operators whose value is not a function of the state: a conjunct using them is always evaluated. */
    private static final Set<String> IMPURE = Set.of("TLCGet", "TLCSet", "RandomElement", "RandomSubset",
            "RandomSetOfSubsets", "RandomSubsetSet", "JavaTime", "Print", "PrintT", "TLCEval");

    private Syntax() {}

    static boolean isConjunction(SemanticNode n) {
        if (!(n instanceof OpApplNode)) {
            return false;
        }
        String op = ((OpApplNode) n).getOperator().getName().toString();
        return op.equals("$ConjList") || op.equals("\\land");
    }

    /** B, when n is {@code P => ENABLED B} or {@code ENABLED B}; else null. */
    static SemanticNode enabledBody(SemanticNode n) {
        if (n instanceof OpApplNode app && Set.of("=>", "\\implies").contains(app.getOperator().getName().toString())) {
            n = app.getArgs()[1];
        }
        if (n instanceof OpApplNode app && Set.of("ENABLED", "$Enabled").contains(app.getOperator().getName().toString())) {
            return app.getArgs()[0];
        }
        return null;
    }

    /** A definition of a standard module (or a built-in), not of the spec's own. */
    static boolean isStandard(OpDefNode d) {
        String src = d.getLocation().source();
        return src == null || !Character.isLetter(src.charAt(0)) || d.getName().toString().startsWith("$");
    }

    /** The variables an action primes or keeps UNCHANGED (through the definitions it uses). */
    static Set<String> collectPrimed(Action a) {
        Set<String> out = new HashSet<>();
        walk(a.pred, false, out, new HashSet<>(), 0);
        return out;
    }

    private static void walk(SemanticNode n, boolean underPrime, Set<String> out, Set<SemanticNode> seen, int depth) {
        if (n == null || depth > 200) {
            return;
        }
        if (n instanceof OpApplNode) {
            OpApplNode app = (OpApplNode) n;
            SymbolNode op = app.getOperator();
            String name = op.getName().toString();
            boolean primeHere = underPrime || name.equals("'") || name.equals("UNCHANGED");
            if (op instanceof OpDeclNode && op.getKind() == ASTConstants.VariableDeclKind && primeHere) {
                out.add(name);
            }
            if (op instanceof OpDefNode && op.getKind() == ASTConstants.UserDefinedOpKind && seen.add(op)) {
                walk(((OpDefNode) op).getBody(), primeHere, out, seen, depth + 1);
                seen.remove(op);
            }
            for (ExprOrOpArgNode arg : app.getArgs()) {
                walk(arg, primeHere, out, seen, depth + 1);
            }
            if (app.getBdedQuantBounds() != null) {
                for (SemanticNode b : app.getBdedQuantBounds()) {
                    walk(b, primeHere, out, seen, depth + 1);
                }
            }
            return;
        }
        SemanticNode[] kids = n.getChildren();
        if (kids != null) {
            for (SemanticNode k : kids) {
                walk(k, underPrime, out, seen, depth + 1);
            }
        }
    }

    /** The variables an expression reads (through the definitions it uses); null: assume all. */
    static int[] stateDeps(SemanticNode n, Map<String, Integer> varIndex) {
        BitSet out = new BitSet();
        boolean[] all = {false};
        collectVars(n, varIndex, out, all, new HashSet<>(), 0);
        return all[0] ? null : out.stream().toArray();
    }

    private static void collectVars(SemanticNode n, Map<String, Integer> varIndex, BitSet out, boolean[] all,
            Set<SemanticNode> seen, int depth) {
        if (n == null || all[0]) {
            return;
        }
        if (depth > 400) {
            all[0] = true;
            return;
        }
        if (n instanceof OpApplNode app) {
            SymbolNode op = app.getOperator();
            if (op instanceof OpDeclNode && op.getKind() == ASTConstants.VariableDeclKind) {
                Integer i = varIndex.get(op.getName().toString());
                if (i == null) {
                    all[0] = true;
                    return;
                }
                out.set(i);
            } else if (op instanceof OpDefNode d) {
                if (IMPURE.contains(d.getName().toString())) {
                    all[0] = true;
                    return;
                }
                if (d.getKind() == ASTConstants.UserDefinedOpKind && seen.add(d)) {
                    collectVars(d.getBody(), varIndex, out, all, seen, depth + 1);
                }
            }
            for (ExprOrOpArgNode arg : app.getArgs()) {
                collectVars(arg, varIndex, out, all, seen, depth + 1);
            }
            if (app.getBdedQuantBounds() != null) {
                for (SemanticNode b : app.getBdedQuantBounds()) {
                    collectVars(b, varIndex, out, all, seen, depth + 1);
                }
            }
            return;
        }
        if (n instanceof tla2sany.semantic.OpArgNode oa) {
            if (oa.getOp() instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind && seen.add(d)) {
                collectVars(d.getBody(), varIndex, out, all, seen, depth + 1);
            }
            return;
        }
        if (n instanceof tla2sany.semantic.SubstInNode || n instanceof tla2sany.semantic.APSubstInNode) {
            all[0] = true; // INSTANCE substitutions: not followed here
            return;
        }
        if (n instanceof LetInNode let) {
            collectVars(let.getBody(), varIndex, out, all, seen, depth + 1);
            return;
        }
        SemanticNode[] kids = n.getChildren();
        if (kids != null) {
            for (SemanticNode k : kids) {
                collectVars(k, varIndex, out, all, seen, depth + 1);
            }
        }
    }
}
