package mmucheck.refinement.tlc;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;
import tla2sany.st.Location;
import tlc2.tool.Action;
import tlc2.tool.EvalControl;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.coverage.CostModel;
import tlc2.util.Context;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * Why a logged step or state fails, for the verdict: the first false conjunct (its source text
 * and location), the variables that differ from the nearest legal successor, the enabled
 * actions. Only called once a check has failed, so cost does not matter here.
 */
final class Diagnosis {
    private static final int MAX_ENABLED_LISTED = 24;

    private final LoadedSpec spec;
    private final Map<String, List<String>> sourceLines = new HashMap<>();

    Diagnosis(LoadedSpec spec) {
        this.spec = spec;
    }

    /**
     * A divergence of step s -> t by {@code a}: {@code conjunct}, {@code conjunctLocation},
     * {@code enabled}, {@code nearest} and {@code differs} (see TlcBridge.step).
     */
    Map<String, Object> diagnose(Action a, TLCState s, TLCState t, String message) {
        Map<String, Object> f = LoadedSpec.fail("divergence", message);
        try {
            SemanticNode culprit = falseConjunct(a.pred, a.con, s, t, 0);
            if (culprit != null) {
                f.put("conjunct", sourceText(culprit));
                f.put("conjunctLocation", location(culprit));
            }
        } catch (RuntimeException e) {
            f.put("conjunct", "(evaluation failed: " + spec.oneLine(e) + ")");
        }
        // The nearest legal successor: of the logged action if it is enabled, else of any action.
        List<Object> best = null;
        String bestLabel = null;
        List<String> enabled = new ArrayList<>();
        int enabledCount = 0;
        try {
            StateVec own = spec.tool.getNextStates(a, s);
            for (int i = 0; i < own.size(); i++) {
                List<Object> d = differs(t, own.elementAt(i));
                if (best == null || d.size() < best.size()) {
                    best = d;
                    bestLabel = LoadedSpec.label(a);
                }
            }
        } catch (RuntimeException e) {
            f.put("nearestError", spec.oneLine(e));
        }
        for (Action any : spec.tool.getActions()) {
            StateVec succ;
            try {
                succ = spec.tool.getNextStates(any, s);
            } catch (RuntimeException e) {
                continue;
            }
            if (succ.size() == 0) {
                continue;
            }
            enabledCount++;
            if (enabled.size() < MAX_ENABLED_LISTED) {
                enabled.add(LoadedSpec.label(any));
            }
            if (bestLabel == null || !bestLabel.equals(LoadedSpec.label(a))) {
                for (int i = 0; i < succ.size(); i++) {
                    List<Object> d = differs(t, succ.elementAt(i));
                    if (best == null || d.size() < best.size()) {
                        best = d;
                        bestLabel = LoadedSpec.label(any);
                    }
                }
            }
        }
        if (enabledCount > enabled.size()) {
            enabled.add("... " + (enabledCount - enabled.size()) + " more");
        }
        f.put("enabled", enabled);
        if (best != null) {
            f.put("nearest", bestLabel);
            f.put("differs", best);
        }
        return f;
    }

    /** TypeOK on s; null when it holds, else bad input naming its first false conjunct. */
    Map<String, Object> typeCheck(TLCState s) {
        if (spec.typeOk == null) {
            return null;
        }
        boolean ok;
        try {
            ok = spec.tool.isValid(spec.typeOk, s);
        } catch (RuntimeException e) {
            ok = false;
        }
        if (ok) {
            return null;
        }
        String which = "TypeOK";
        try {
            SemanticNode c = falseConjunct(spec.typeOk.pred, Context.Empty, s, TLCState.Empty, 0);
            if (c != null) {
                which = sourceText(c);
            }
        } catch (RuntimeException e) {
            // keep the coarse message
        }
        return LoadedSpec.fail("bad-input", "value outside the model's sets: " + which + " is false");
    }

    /**
     * The first conjunct of {@code node} that is FALSE on (s, t), descending into conjunctions
     * and into applications of user-defined operators whose body is a conjunction.
     */
    private SemanticNode falseConjunct(SemanticNode node, Context con, TLCState s, TLCState t, int depth) {
        if (depth > 16) {
            return node;
        }
        if (node instanceof OpApplNode) {
            OpApplNode app = (OpApplNode) node;
            SymbolNode op = app.getOperator();
            String opName = op.getName().toString();
            if (opName.equals("$ConjList") || opName.equals("\\land")) {
                for (ExprOrOpArgNode arg : app.getArgs()) {
                    if (!isTrue(arg, con, s, t)) {
                        return falseConjunct(arg, con, s, t, depth + 1);
                    }
                }
                return null;
            }
            if (op instanceof OpDefNode && op.getKind() == ASTConstants.UserDefinedOpKind) {
                OpDefNode d = (OpDefNode) op;
                if (Syntax.isConjunction(d.getBody())) {
                    Context c2 = spec.tool.getOpContext(d, app.getArgs(), con, true);
                    SemanticNode inner = falseConjunct(d.getBody(), c2, s, t, depth + 1);
                    return inner == null ? node : inner;
                }
            }
        } else if (node instanceof LetInNode) {
            return falseConjunct(((LetInNode) node).getBody(), con, s, t, depth + 1);
        }
        return isTrue(node, con, s, t) ? null : node;
    }

    private boolean isTrue(SemanticNode n, Context con, TLCState s, TLCState t) {
        Value v = spec.tool.eval(n, con, s, t, EvalControl.Clear, CostModel.DO_NOT_RECORD);
        return v instanceof BoolValue && ((BoolValue) v).val;
    }

    /** The variables (by name) whose values differ in the logged and a legal state, as diffs. */
    List<Object> differs(TLCState logged, TLCState legal) {
        List<Object> out = new ArrayList<>();
        List<String> names = new ArrayList<>(spec.varIndex.keySet());
        names.sort(null);
        for (String v : names) {
            UniqueString n = spec.vars[spec.varIndex.get(v)].getName();
            Object l = logged.lookup(n);
            Object e = legal.lookup(n);
            if (l == null || e == null || !l.equals(e)) {
                out.add(diff(v, logged, legal));
            }
        }
        return out;
    }

    /** One variable's {variable, logged, expected}. */
    Map<String, Object> diff(String v, TLCState logged, TLCState legal) {
        Map<String, Object> d = new LinkedHashMap<>();
        UniqueString n = spec.vars[spec.varIndex.get(v)].getName();
        d.put("variable", v);
        d.put("logged", String.valueOf(logged.lookup(n)));
        d.put("expected", String.valueOf(legal.lookup(n)));
        return d;
    }

    String location(SemanticNode n) {
        Location l = n.getLocation();
        return l.source() + ".tla line " + l.beginLine() + ", col " + l.beginColumn();
    }

    /** The source text of a node, from the copied spec file (one line, spaces collapsed). */
    String sourceText(SemanticNode n) {
        Location l = n.getLocation();
        List<String> lines = sourceLines.computeIfAbsent(l.source(), m -> {
            try {
                return Files.readAllLines(spec.specCopy.resolve(m + ".tla"), StandardCharsets.UTF_8);
            } catch (IOException e) {
                return List.of();
            }
        });
        if (l.beginLine() < 1 || l.endLine() > lines.size()) {
            return n.toString();
        }
        StringBuilder b = new StringBuilder();
        for (int i = l.beginLine(); i <= l.endLine(); i++) {
            String line = lines.get(i - 1);
            int from = i == l.beginLine() ? l.beginColumn() - 1 : 0;
            int to = i == l.endLine() ? Math.min(line.length(), l.endColumn()) : line.length();
            if (from < to) {
                b.append(line, from, to).append(' ');
            }
        }
        return b.toString().replaceAll("\\s+", " ").trim();
    }
}
