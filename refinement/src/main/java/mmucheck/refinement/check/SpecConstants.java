package mmucheck.refinement.check;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The constants a spec declares and the domains its {@code ASSUME}s give them, read from the
 * text of the root module and the modules it EXTENDS (transitively, those in the spec's
 * directory). TLC's evaluator, which the checker loads, never evaluates ASSUMEs, and a cfg
 * may set a constant no module declares without a word from TLC; so a log header's constants
 * are checked here first: a name the spec does not declare, one it declares and the header
 * lacks, or a value outside its domain is bad input on the header's line.
 *
 * <p>Domains understood: {@code ASSUME X \in {"a", "b", 1}}, {@code ASSUME X \in lo..hi} and
 * {@code ASSUME X \in DOMAIN F} where F is defined as {@code ("k1" :> e1) @@ ("k2" :> e2) ...};
 * any other ASSUME leaves its constant unchecked here (TLC still checks it in a model run).
 */
public final class SpecConstants {
    /**
     * What the ASSUMEs allow a constant.
     *
     * @param values the allowed Strings and Longs, or null for a range
     * @param where {@code Module.tla:line} of the ASSUME
     */
    public record Domain(Set<Object> values, long lo, long hi, String text, String where) {
        public boolean contains(Object v) {
            if (values != null) {
                return values.contains(v);
            }
            return v instanceof Long n && n >= lo && n <= hi;
        }

        /** {@code "a", "b"} or {@code 0..32767}. */
        public String shown() {
            if (values == null) {
                return lo + ".." + hi;
            }
            return values.stream().map(x -> x instanceof String s ? "\"" + s + "\"" : x.toString())
                    .collect(Collectors.joining(", "));
        }
    }

    private final String module;
    private final List<String> declared;
    private final Map<String, Domain> domains;

    private SpecConstants(String module, List<String> declared, Map<String, Domain> domains) {
        this.module = module;
        this.declared = List.copyOf(declared);
        this.domains = Map.copyOf(domains);
    }

    /** The constants, in the order the modules declare them. */
    public List<String> declared() {
        return declared;
    }

    /** The domain of a constant, or null when no understood ASSUME gives one. */
    public Domain domain(String constant) {
        return domains.get(constant);
    }

    private static final Pattern EXTENDS = Pattern.compile("\\bEXTENDS\\b([^\\n]*(?:\\n\\s*,[^\\n]*)*)");
    private static final Pattern DECL = Pattern.compile("\\bCONSTANTS?\\b");
    private static final Pattern IDENT = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]*)(\\s*\\(\\s*_(?:\\s*,\\s*_)*\\s*\\))?");
    private static final Pattern ASSUME = Pattern.compile(
            "(?m)^ASSUME\\s+(?:[A-Za-z_][A-Za-z0-9_]*\\s*==\\s*)?([A-Za-z_][A-Za-z0-9_]*)\\s*\\\\in\\s*(.+)$");
    private static final Pattern SET = Pattern.compile("\\{(.*)\\}\\s*");
    private static final Pattern RANGE = Pattern.compile("(-?[0-9]+)\\s*\\.\\.\\s*(-?[0-9]+)\\s*");
    private static final Pattern DOMAIN_OF = Pattern.compile("DOMAIN\\s+([A-Za-z_][A-Za-z0-9_]*)\\s*");
    private static final Pattern KEY = Pattern.compile("\\(\\s*\"([^\"]*)\"\\s*:>");

    /** Reads {@code specDir/module.tla} and what it extends; null when the module's file is missing. */
    public static SpecConstants read(Path specDir, String module) throws IOException {
        Map<String, String> texts = new LinkedHashMap<>();
        Deque<String> todo = new ArrayDeque<>(List.of(module));
        while (!todo.isEmpty()) {
            String m = todo.pop();
            Path f = specDir.resolve(m + ".tla");
            if (texts.containsKey(m) || !Files.isRegularFile(f)) {
                continue; // a standard module (Naturals, TLC ...) declares no constants of the model
            }
            String text = stripComments(Files.readString(f, StandardCharsets.UTF_8));
            texts.put(m, text);
            Matcher e = EXTENDS.matcher(text);
            while (e.find()) {
                for (String n : e.group(1).split(",")) {
                    if (!n.isBlank()) {
                        todo.add(n.strip());
                    }
                }
            }
        }
        if (!texts.containsKey(module)) {
            return null;
        }
        Set<String> declared = new LinkedHashSet<>();
        Map<String, Domain> domains = new LinkedHashMap<>();
        // extended modules first: their constants come before the root's, as SANY orders them
        List<String> order = new ArrayList<>(texts.keySet());
        java.util.Collections.reverse(order);
        for (String m : order) {
            String text = texts.get(m);
            Matcher d = DECL.matcher(text);
            while (d.find()) {
                int i = d.end();
                while (true) {
                    Matcher id = IDENT.matcher(text).region(i, text.length());
                    if (!id.lookingAt()) {
                        break;
                    }
                    declared.add(id.group(1));
                    i = id.end();
                    int j = skipSpace(text, i);
                    if (j < text.length() && text.charAt(j) == ',') {
                        i = j + 1;
                    } else {
                        break;
                    }
                }
            }
            Matcher a = ASSUME.matcher(text);
            while (a.find()) {
                Domain dom = domain(a.group(2).strip(), texts, m + ".tla:" + lineOf(text, a.start()));
                if (dom != null) {
                    domains.put(a.group(1), dom);
                }
            }
        }
        return new SpecConstants(module, new ArrayList<>(declared), domains);
    }

    private static Domain domain(String expr, Map<String, String> texts, String where) {
        Matcher m;
        if ((m = RANGE.matcher(expr)).matches()) {
            return new Domain(null, Long.parseLong(m.group(1)), Long.parseLong(m.group(2)), expr, where);
        }
        if ((m = SET.matcher(expr)).matches()) {
            Set<Object> vs = new LinkedHashSet<>();
            for (String e : m.group(1).split(",")) {
                String s = e.strip();
                if (s.matches("\"[^\"]*\"")) {
                    vs.add(s.substring(1, s.length() - 1));
                } else if (s.matches("-?[0-9]+")) {
                    vs.add(Long.parseLong(s));
                } else {
                    return null; // not a literal set: TLC's model run checks it
                }
            }
            return new Domain(vs, 0, 0, expr, where);
        }
        if ((m = DOMAIN_OF.matcher(expr)).matches()) {
            String body = definition(m.group(1), texts);
            if (body == null) {
                return null;
            }
            Set<Object> keys = new LinkedHashSet<>();
            Matcher k = KEY.matcher(body);
            while (k.find()) {
                keys.add(k.group(1));
            }
            return keys.isEmpty() ? null : new Domain(keys, 0, 0, expr, where);
        }
        return null;
    }

    /** The text of {@code name == ...} up to the next definition, ASSUME or module end. */
    private static String definition(String name, Map<String, String> texts) {
        Pattern def = Pattern.compile("(?m)^" + Pattern.quote(name) + "\\s*==");
        Pattern next = Pattern.compile("(?m)^(?:[A-Za-z_][A-Za-z0-9_]*(?:\\([^)]*\\))?\\s*==|ASSUME\\b|={4,})");
        for (String text : texts.values()) {
            Matcher d = def.matcher(text);
            if (d.find()) {
                Matcher n = next.matcher(text);
                int end = n.find(d.end()) ? n.start() : text.length();
                return text.substring(d.end(), end);
            }
        }
        return null;
    }

    /**
     * Null when {@code constants} (a log header's, JSON-decoded: String, Long, ...) fit the
     * spec, else the one-line reason.
     */
    public String check(Map<String, Object> constants) {
        for (String k : constants.keySet()) {
            // an ASSUMEd definition a cfg may override like a constant (MMState's batched_flush)
            // is optional in the header, and checked against its domain below
            if (!declared.contains(k) && !domains.containsKey(k)) {
                return "header constant '" + k + "' is not declared by spec " + module + " (its constants: "
                        + String.join(", ", declared) + ")";
            }
        }
        List<String> missing = declared.stream().filter(c -> !constants.containsKey(c)).toList();
        if (!missing.isEmpty()) {
            return "header lacks constant" + (missing.size() > 1 ? "s " : " ") + String.join(", ", missing) + " of spec "
                    + module;
        }
        for (Map.Entry<String, Object> e : constants.entrySet()) {
            Domain d = domains.get(e.getKey());
            Object v = e.getValue();
            if (d != null && (v instanceof String || v instanceof Long || v instanceof Boolean) && !d.contains(v)) {
                return "header constant " + e.getKey() + " = " + (v instanceof String s ? "\"" + s + "\"" : v)
                        + " is outside its domain " + d.shown() + " (ASSUME at " + d.where() + ")";
            }
        }
        return null;
    }

    private static int skipSpace(String s, int i) {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String text, int offset) {
        int n = 1;
        for (int i = 0; i < offset; i++) {
            if (text.charAt(i) == '\n') {
                n++;
            }
        }
        return n;
    }

    /** Comments blanked, newlines kept (so line numbers stay true). */
    static String stripComments(String text) {
        StringBuilder b = new StringBuilder(text.length());
        int depth = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            char n = i + 1 < text.length() ? text.charAt(i + 1) : 0;
            if (c == '(' && n == '*') {
                depth++;
                b.append("  ");
                i++;
            } else if (depth > 0 && c == '*' && n == ')') {
                depth--;
                b.append("  ");
                i++;
            } else if (depth > 0) {
                b.append(c == '\n' ? '\n' : ' ');
            } else if (c == '\\' && n == '*') {
                while (i < text.length() && text.charAt(i) != '\n') {
                    b.append(' ');
                    i++;
                }
                if (i < text.length()) {
                    b.append('\n');
                }
            } else if (c == '"') {
                // a string literal is copied whole: "(*" inside it opens no comment
                int j = i + 1;
                while (j < text.length() && text.charAt(j) != '"' && text.charAt(j) != '\n') {
                    j += text.charAt(j) == '\\' ? 2 : 1;
                }
                j = Math.min(j, text.length() - 1);
                b.append(text, i, j + 1);
                i = j;
            } else {
                b.append(c);
            }
        }
        return b.toString();
    }
}
