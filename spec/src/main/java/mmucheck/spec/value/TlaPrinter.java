package mmucheck.spec.value;


/** Prints values in TLC's notation; {@link TlaParser} reads this text back to an equal value. */
public final class TlaPrinter {
    private TlaPrinter() {}

    public static String print(TlaValue v) {
        StringBuilder sb = new StringBuilder();
        print(v, sb);
        return sb.toString();
    }

    private static void print(TlaValue v, StringBuilder sb) {
        if (v instanceof TlaValue.Int i) {
            sb.append(i.value());
        } else if (v instanceof TlaValue.Bool b) {
            sb.append(b.value() ? "TRUE" : "FALSE");
        } else if (v instanceof TlaValue.Str s) {
            quote(s.value(), sb);
        } else if (v instanceof TlaValue.ModelValue m) {
            sb.append(m.name());
        } else if (v instanceof TlaValue.Set s) {
            sb.append('{');
            join(s.elements(), sb);
            sb.append('}');
        } else if (v instanceof TlaValue.Seq s) {
            sb.append("<<");
            join(s.elements(), sb);
            sb.append(">>");
        } else if (v instanceof TlaValue.Rec r) {
            sb.append('[');
            boolean first = true;
            for (var e : r.fields().entrySet()) {
                if (!first) sb.append(", ");
                first = false;
                sb.append(e.getKey()).append(" |-> ");
                print(e.getValue(), sb);
            }
            sb.append(']');
        } else if (v instanceof TlaValue.Fun f) {
            sb.append('(');
            boolean first = true;
            for (var e : f.map().entrySet()) {
                if (!first) sb.append(" @@ ");
                first = false;
                print(e.getKey(), sb);
                sb.append(" :> ");
                print(e.getValue(), sb);
            }
            sb.append(')');
        }
    }

    private static void join(java.util.List<TlaValue> vs, StringBuilder sb) {
        for (int i = 0; i < vs.size(); i++) {
            if (i > 0) sb.append(", ");
            print(vs.get(i), sb);
        }
    }

    /** A TLA+ string literal with TLC's escapes. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder();
        quote(s, sb);
        return sb.toString();
    }

    private static void quote(String s, StringBuilder sb) {
        sb.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\t' -> sb.append("\\t");
                case '\r' -> sb.append("\\r");
                case '\f' -> sb.append("\\f");
                default -> sb.append(c);
            }
        }
        sb.append('"');
    }

}
