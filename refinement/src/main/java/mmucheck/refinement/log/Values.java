package mmucheck.refinement.log;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The JDK representation of a logged TLA+ value, shared by the reader, the checker and TLC's
 * bridge: Long (integer), Boolean, String, List (sequence or function on 1..n), Set, Map
 * (record when keyed by strings, else a function), one-element String[] (model value).
 */
public final class Values {
    private Values() {}

    /** TLA+ source text of a value, for a generated cfg or trace spec. */
    public static String toTla(Object v) {
        if (v instanceof String s) {
            return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        }
        if (v instanceof Boolean b) {
            return b ? "TRUE" : "FALSE";
        }
        if (v instanceof Long l) {
            return l.toString();
        }
        if (v instanceof String[] mv) {
            return mv[0];
        }
        StringBuilder b = new StringBuilder();
        if (v instanceof List<?> l) {
            b.append("<<");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(toTla(l.get(i)));
            }
            return b.append(">>").toString();
        }
        if (v instanceof Set<?> s) {
            b.append("{");
            int i = 0;
            for (Object e : s) {
                b.append(i++ == 0 ? "" : ", ").append(toTla(e));
            }
            return b.append("}").toString();
        }
        if (v instanceof Map<?, ?> m) {
            boolean record = !m.isEmpty() && m.keySet().stream().allMatch(k -> k instanceof String);
            if (m.isEmpty()) {
                return "<<>>";
            }
            int i = 0;
            if (record) {
                b.append("[");
                for (Map.Entry<?, ?> e : m.entrySet()) {
                    b.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" |-> ").append(toTla(e.getValue()));
                }
                return b.append("]").toString();
            }
            b.append("(");
            for (Map.Entry<?, ?> e : m.entrySet()) {
                b.append(i++ == 0 ? "" : " @@ ").append(toTla(e.getKey())).append(" :> ").append(toTla(e.getValue()));
            }
            return b.append(")").toString();
        }
        throw new IllegalArgumentException("not a log value: " + v);
    }

    /** Model values a value mentions (a cfg must declare them). */
    public static void modelValues(Object v, Set<String> out) {
        if (v instanceof String[] mv) {
            out.add(mv[0]);
        } else if (v instanceof List<?> l) {
            l.forEach(x -> modelValues(x, out));
        } else if (v instanceof Set<?> s) {
            s.forEach(x -> modelValues(x, out));
        } else if (v instanceof Map<?, ?> m) {
            m.forEach((k, x) -> {
                modelValues(k, out);
                modelValues(x, out);
            });
        }
    }
}
