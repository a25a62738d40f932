package mmucheck.spec.value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads TLA+ value text as TLC prints states: integers (also negative), strings with escapes,
 * TRUE/FALSE, sets {@code {..}}, tuples {@code <<..>>}, records {@code [a |-> 1]}, functions
 * {@code (1 :> "a" @@ 2 :> "b")}, model values (bare identifiers), nested and over many lines.
 */
public final class TlaParser {
    private final String text;
    private int pos;

    private TlaParser(String text) {
        this.text = text;
    }

    /** Parses exactly one value (surrounding white space allowed). */
    public static TlaValue parse(String text) throws TlaParseException {
        TlaParser p = new TlaParser(text);
        TlaValue v = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the value");
        }
        return v;
    }

    /**
     * Parses a state as TLC prints it: {@code /\ var = value} conjuncts (one per variable, a
     * value may continue over several lines), or a single {@code var = value} for a one-variable
     * spec. Variables are returned in the printed order.
     */
    public static Map<String, TlaValue> parseState(String text) throws TlaParseException {
        Map<String, TlaValue> state = new LinkedHashMap<>();
        TlaParser p = new TlaParser(text);
        p.skipSpace();
        if (p.pos == text.length()) {
            return state;
        }
        boolean conj = p.text.startsWith("/\\", p.pos);
        while (true) {
            p.skipSpace();
            if (p.pos == text.length()) {
                break;
            }
            if (conj) {
                p.expect("/\\");
            } else if (!state.isEmpty()) {
                throw p.error("expected end of state");
            }
            p.skipSpace();
            String var = p.identifier();
            p.skipSpace();
            p.expect("=");
            TlaValue v = p.value();
            if (state.put(var, v) != null) {
                throw p.error("variable '" + var + "' given twice");
            }
        }
        return state;
    }

    private TlaValue value() throws TlaParseException {
        skipSpace();
        if (pos >= text.length()) {
            throw error("expected a value but found end of text");
        }
        char c = text.charAt(pos);
        if (c == '"') {
            return new TlaValue.Str(string());
        }
        if (c == '-' || Character.isDigit(c)) {
            return integer();
        }
        if (text.startsWith("<<", pos)) {
            pos += 2;
            List<TlaValue> elems = list(">>");
            return new TlaValue.Seq(elems);
        }
        if (c == '{') {
            pos++;
            return new TlaValue.Set(list("}"));
        }
        if (c == '[') {
            return record();
        }
        if (c == '(') {
            return functionLiteral();
        }
        if (isIdentStart(c)) {
            String id = identifier();
            return switch (id) {
                case "TRUE" -> new TlaValue.Bool(true);
                case "FALSE" -> new TlaValue.Bool(false);
                default -> new TlaValue.ModelValue(id);
            };
        }
        throw error("expected a value but found '" + c + "'");
    }

    private List<TlaValue> list(String close) throws TlaParseException {
        List<TlaValue> elems = new ArrayList<>();
        skipSpace();
        if (text.startsWith(close, pos)) {
            pos += close.length();
            return elems;
        }
        while (true) {
            elems.add(value());
            skipSpace();
            if (text.startsWith(close, pos)) {
                pos += close.length();
                return elems;
            }
            expect(",");
        }
    }

    private TlaValue record() throws TlaParseException {
        expect("[");
        Map<String, TlaValue> fields = new LinkedHashMap<>();
        skipSpace();
        if (text.startsWith("]", pos)) {
            pos++;
            return new TlaValue.Seq(List.of()); // the empty function
        }
        while (true) {
            skipSpace();
            String key = identifier();
            skipSpace();
            expect("|->");
            TlaValue v = value();
            if (fields.put(key, v) != null) {
                throw error("field '" + key + "' given twice");
            }
            skipSpace();
            if (text.startsWith("]", pos)) {
                pos++;
                return new TlaValue.Rec(fields);
            }
            expect(",");
        }
    }

    private TlaValue functionLiteral() throws TlaParseException {
        expect("(");
        Map<TlaValue, TlaValue> graph = new LinkedHashMap<>();
        while (true) {
            TlaValue k = value();
            skipSpace();
            expect(":>");
            TlaValue v = value();
            if (graph.put(k, v) != null) {
                throw error("function maps " + k.toTla() + " twice");
            }
            skipSpace();
            if (text.startsWith(")", pos)) {
                pos++;
                return TlaValue.function(graph);
            }
            expect("@@");
        }
    }

    private String string() throws TlaParseException {
        int start = pos;
        pos++; // opening quote
        StringBuilder sb = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == '"') {
                return sb.toString();
            }
            if (c == '\\') {
                if (pos >= text.length()) {
                    break;
                }
                char e = text.charAt(pos++);
                switch (e) {
                    case '"' -> sb.append('"');
                    case '\\' -> sb.append('\\');
                    case 'n' -> sb.append('\n');
                    case 't' -> sb.append('\t');
                    case 'r' -> sb.append('\r');
                    case 'f' -> sb.append('\f');
                    default -> {
                        pos -= 2;
                        throw error("unknown escape '\\" + e + "' in string");
                    }
                }
            } else {
                sb.append(c);
            }
        }
        pos = start;
        throw error("unterminated string");
    }

    private TlaValue integer() throws TlaParseException {
        int start = pos;
        if (text.charAt(pos) == '-') {
            pos++;
        }
        int digits = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (pos == digits) {
            pos = start;
            throw error("expected digits after '-'");
        }
        try {
            return new TlaValue.Int(Long.parseLong(text.substring(start, pos)));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("integer out of range");
        }
    }

    private String identifier() throws TlaParseException {
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (pos == start) {
            throw error(pos < text.length() ? "expected a name but found '" + text.charAt(pos) + "'"
                    : "expected a name but found end of text");
        }
        return text.substring(start, pos);
    }

    private static boolean isIdentStart(char c) {
        return Character.isLetter(c) || c == '_';
    }

    private void expect(String s) throws TlaParseException {
        skipSpace();
        if (!text.startsWith(s, pos)) {
            throw error("expected '" + s + "' but found "
                    + (pos < text.length() ? "'" + text.charAt(pos) + "'" : "end of text"));
        }
        pos += s.length();
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private TlaParseException error(String what) {
        int line = 1;
        int col = 1;
        for (int i = 0; i < Math.min(pos, text.length()); i++) {
            if (text.charAt(i) == '\n') {
                line++;
                col = 1;
            } else {
                col++;
            }
        }
        return new TlaParseException("line " + line + ", col " + col + ": " + what);
    }
}
