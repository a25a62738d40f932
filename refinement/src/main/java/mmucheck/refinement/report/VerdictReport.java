package mmucheck.refinement.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.log.Values;

/** Renders a {@link Verdict} for people (text, pinned by golden files) and machines (JSON). */
public final class VerdictReport {
    private static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.INDENT_OUTPUT);

    private VerdictReport() {}

    /** {@code name(k = v, ...)} in TLA+ value syntax. */
    public static String call(String action, Map<String, Object> args) {
        if (action == null) {
            return "";
        }
        StringBuilder b = new StringBuilder(action).append('(');
        int i = 0;
        for (Map.Entry<String, Object> e : args.entrySet()) {
            b.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" = ").append(Values.toTla(e.getValue()));
        }
        return b.append(')').toString();
    }

    /** Human text; {@code file} names the log in bad-input lines. */
    public static String text(Verdict v, String file) {
        StringBuilder b = new StringBuilder();
        switch (v.kind()) {
            case REFINES -> {
                b.append("refines: ").append(v.steps()).append(" steps of ").append(v.spec())
                        .append(" (").append(v.mode()).append(" log)");
                if (v.implEnd() != null) {
                    b.append("; the run ended ").append(v.implEnd());
                }
                b.append('\n');
            }
            case BAD_INPUT -> b.append(file).append(v.line() > 0 ? ":" + v.line() : "").append(": ")
                    .append(v.message()).append('\n');
            case VIOLATES -> b.append("violates ").append(v.invariant()).append(" at line ").append(v.line())
                    .append(" (seq ").append(v.seq()).append(")")
                    .append(v.action() == null ? "" : " after " + call(v.action(), v.args())).append('\n');
            case DIVERGES -> {
                b.append("diverges at line ").append(v.line()).append(" (seq ").append(v.seq()).append("): ")
                        .append(v.seq() == 0 ? "Init" : call(v.action(), v.args())).append('\n');
                b.append("  ").append(v.message()).append('\n');
                Verdict.Diagnosis d = v.diagnosis();
                if (d != null) {
                    if (d.conjunct() != null) {
                        b.append("  false conjunct: ").append(d.conjunct());
                        if (d.conjunctLocation() != null) {
                            b.append("   [").append(d.conjunctLocation()).append(']');
                        }
                        b.append('\n');
                    }
                    if (d.differs().isEmpty() && d.nearest() != null) {
                        b.append("  the logged state is exactly the successor by ").append(d.nearest()).append('\n');
                    }
                    if (!d.differs().isEmpty()) {
                        b.append("  differs from ").append(d.nearest() == null ? "the previous state"
                                : "the nearest legal successor, by " + d.nearest()).append(":\n");
                        for (Verdict.Difference x : d.differs()) {
                            b.append("    ").append(x.variable()).append(": logged   ").append(x.logged()).append('\n');
                            b.append("    ").append(" ".repeat(x.variable().length())).append("  expected ")
                                    .append(x.expected()).append('\n');
                        }
                    }
                    if (!d.enabled().isEmpty()) {
                        b.append("  enabled before the step: ").append(String.join(", ", d.enabled())).append('\n');
                    } else if (v.seq() > 0) {
                        b.append("  no action was enabled before the step\n");
                    }
                }
            }
        }
        if (v.ambiguity() != null && v.ambiguity().ambiguousSteps() > 0) {
            b.append("  ambiguous: ").append(v.ambiguity().ambiguousSteps())
                    .append(" step(s) left several candidate states (at most ").append(v.ambiguity().maxFrontier())
                    .append("), first at line ").append(v.ambiguity().firstAmbiguousLine()).append('\n');
        }
        return b.toString();
    }

    /** One JSON object on one line. */
    public static String json(Verdict v, String file) {
        ObjectNode o = JSON.createObjectNode();
        o.put("verdict", v.kind().word());
        o.put("file", file);
        o.put("message", v.message());
        o.put("steps", v.steps());
        if (v.spec() != null) {
            o.put("spec", v.spec());
            o.put("mode", v.mode());
        }
        if (v.kind() != Verdict.Kind.REFINES) {
            o.put("line", v.line());
        }
        if (v.seq() >= 0 && v.kind() != Verdict.Kind.REFINES) {
            o.put("seq", v.seq());
        }
        if (v.action() != null) {
            o.put("action", v.action());
            ObjectNode a = o.putObject("args");
            v.args().forEach((k, x) -> a.put(k, Values.toTla(x)));
        }
        if (v.invariant() != null) {
            o.put("invariant", v.invariant());
        }
        Verdict.Diagnosis d = v.diagnosis();
        if (d != null) {
            ObjectNode dn = o.putObject("diagnosis");
            dn.put("conjunct", d.conjunct());
            dn.put("conjunctLocation", d.conjunctLocation());
            dn.put("nearest", d.nearest());
            ArrayNode diffs = dn.putArray("differs");
            for (Verdict.Difference x : d.differs()) {
                diffs.addObject().put("variable", x.variable()).put("logged", x.logged()).put("expected", x.expected());
            }
            ArrayNode en = dn.putArray("enabled");
            d.enabled().forEach(en::add);
        }
        if (v.ambiguity() != null) {
            o.putObject("ambiguity").put("ambiguousSteps", v.ambiguity().ambiguousSteps())
                    .put("maxFrontier", v.ambiguity().maxFrontier())
                    .put("firstAmbiguousLine", v.ambiguity().firstAmbiguousLine());
        }
        if (v.implEnd() != null) {
            o.put("end", v.implEnd());
        }
        try {
            return JSON.writeValueAsString(o) + "\n";
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
