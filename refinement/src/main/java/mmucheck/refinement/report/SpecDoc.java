package mmucheck.refinement.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import mmucheck.spec.model.BadInputException;

/**
 * The spec-review page: the TLA+ modules of spec/tla (MMU.tla, the modules it EXTENDS, and
 * KernelView.tla) as one self-contained HTML page. Each module shows its header comment; each
 * action with its source text, a link to the kernel function it models (an elixir.bootlin.com
 * identifier search, a plain link the page never loads) and the Java methods of impl/ with the
 * same name; each invariant with the comment that states its meaning; and the manifest's
 * verdict table.
 *
 * <p>The .tla text is read with line-based rules, not a TLA+ parser, because the spec is written
 * in a fixed house style (STYLE.md):
 * <ul>
 *   <li>module name: the {@code ---- MODULE Name ----} line; header: the first {@code (* ... *)}
 *       block after it, without its {@code (*}, {@code *)} and all-star border lines;</li>
 *   <li>EXTENDS: the modules named on the {@code EXTENDS} line that exist as spec/tla/X.tla
 *       (standard modules such as Integers are skipped);</li>
 *   <li>a definition starts at a line in column 0 of the form {@code Name ==} or
 *       {@code Name(args) ==}; its text runs to the last non-blank line before the next
 *       non-blank line in column 0 (a definition's continuation lines are indented);</li>
 *   <li>its comment: the {@code \*} lines in column 0 right above it;</li>
 *   <li>an action: a definition whose text, without comments and string literals, primes a
 *       name ({@code x'}) or says UNCHANGED;</li>
 *   <li>a constraint: a definition without arguments that a cfg of spec/models or spec/tla
 *       names under CONSTRAINT or ACTION_CONSTRAINT, or that the module's comments name so
 *       ({@code EvictionFree}); shown under Constraints, not as an action;</li>
 *   <li>a kernel action: an action named in lower case (kernel style, {@code zap_pte_range});
 *       actions named in CamelCase ({@code Goto}) are spec helpers and get no kernel link (a
 *       {@code _return} suffix is dropped for the kernel identifier);</li>
 *   <li>an invariant or property: a non-action definition without arguments, with a comment,
 *       in Properties.tla or KernelView.tla;</li>
 *   <li>the implementing Java method: a method declaration {@code ... name(} in a .java file
 *       under impl/src/main/java (a line whose last word before the name is a type, not
 *       {@code return}, {@code new} and the like).</li>
 * </ul>
 */
public final class SpecDoc {
    private SpecDoc() {}

    /**
     * A definition of a module: name, arguments ("" if none), comment lines, source text;
     * {@code constraint}: the keyword a model's cfg (or the module's comments) names it under
     * (CONSTRAINT or ACTION_CONSTRAINT), null when it is none. A constraint is shown as one,
     * not as an action, even when it primes variables.
     */
    public record Definition(String name, String args, String comment, String text, int line, boolean action,
            String constraint) {
        /** An action: primes a variable or says UNCHANGED, and is not a constraint. */
        public boolean isAction() {
            return action && constraint == null;
        }
    }

    /** One module: its name, file, header comment, EXTENDS list and definitions in file order. */
    public record Module(String name, String file, String header, List<String> extendsList, List<Definition> defs) {}

    /** Where a Java method is declared: repo-relative path and 1-based line. */
    public record JavaRef(String path, int line) {}

    private static final Pattern MODULE = Pattern.compile("^-+\\s*MODULE\\s+(\\w+)\\s*-+\\s*$");
    private static final Pattern DEF = Pattern.compile("^([A-Za-z_][A-Za-z0-9_]*)\\s*(\\(([^)]*)\\))?\\s*==(?!=)");
    private static final Pattern STEP_LITERAL = Pattern.compile("\"([a-z][a-z0-9_]*)\"");
    private static final Pattern PRIME = Pattern.compile("[A-Za-z0-9_\\]\\)]'|\\bUNCHANGED\\b");
    private static final Pattern JAVA_DECL = Pattern.compile(
            "^\\s*(?:(?:public|protected|private|static|final|synchronized|abstract|default)\\s+)*"
                    + "(?:<[^>]+>\\s+)?([A-Za-z_][\\w.]*(?:<[^()]*>)?(?:\\[\\])*)\\s+([A-Za-z_]\\w*)\\s*\\(");
    private static final List<String> NOT_TYPES = List.of("return", "new", "throw", "else", "case", "yield", "assert");
    /** A cfg's or a comment's {@code CONSTRAINT Name} / {@code ACTION_CONSTRAINT Name}. */
    private static final Pattern CONSTRAINT_OF = Pattern.compile("\\b((?:ACTION_)?CONSTRAINT)S?\\s+([A-Za-z_][A-Za-z0-9_]*)");

    /** MMU's modules model Linux v4.13 (mm/memory.c and friends); KernelView models Debian's 6.1. */
    static String kernelVersion(String module) {
        return module.equals("KernelView") || module.equals("Madvise") || module.equals("Mprotect") ? "v6.1" : "v4.13";
    }

    /** Reads spec/tla, impl/src/main/java and spec/models/manifest.json under root; returns the page. */
    public static String render(Path root, Path outDir) throws BadInputException {
        Path tla = root.resolve("spec/tla");
        List<Module> modules = new ArrayList<>();
        Map<String, String> constraints = cfgConstraints(root);
        List<String> todo = new ArrayList<>(List.of("MMU"));
        // MMU and everything it extends, breadth first; then KernelView, which stands alone.
        while (!todo.isEmpty()) {
            String name = todo.remove(0);
            if (modules.stream().anyMatch(m -> m.name().equals(name))) {
                continue;
            }
            Module m = parse(tla.resolve(name + ".tla"), root, constraints);
            modules.add(m);
            for (String e : m.extendsList()) {
                if (Files.isRegularFile(tla.resolve(e + ".tla"))) {
                    todo.add(e);
                }
            }
        }
        modules.add(parse(tla.resolve("KernelView.tla"), root, constraints));
        Map<String, List<JavaRef>> java = javaMethods(root.resolve("impl/src/main/java"), root);
        JsonNode manifest = readManifest(root.resolve("spec/models/manifest.json"), root);
        // Java links relative to the page, so they open from wherever DIR is.
        Path rootFromPage = outDir.toAbsolutePath().normalize().relativize(root.toAbsolutePath().normalize());
        return html(modules, java, manifest, rootFromPage.toString().replace('\\', '/'));
    }

    /**
     * The constraints the models declare, name to keyword (CONSTRAINT or ACTION_CONSTRAINT):
     * the first name after each keyword in the cfg files of spec/models and spec/tla, outside
     * their comments.
     */
    static Map<String, String> cfgConstraints(Path root) {
        Map<String, String> out = new TreeMap<>();
        for (Path dir : List.of(root.resolve("spec/models"), root.resolve("spec/tla"))) {
            if (!Files.isDirectory(dir)) {
                continue;
            }
            try (Stream<Path> s = Files.list(dir)) {
                for (Path cfg : s.filter(p -> p.toString().endsWith(".cfg")).sorted().toList()) {
                    String text = Files.readString(cfg).replaceAll("\\\\\\*[^\n]*", " ");
                    Matcher m = CONSTRAINT_OF.matcher(text);
                    while (m.find()) {
                        out.putIfAbsent(m.group(2), m.group(1));
                    }
                }
            } catch (IOException e) {
                // an unreadable model only costs its constraints their heading
            }
        }
        return out;
    }

    /** Parses one module by the line rules above. */
    public static Module parse(Path file, Path root) throws BadInputException {
        return parse(file, root, cfgConstraints(root));
    }

    /**
     * Parses one module; {@code constraints}: the models' constraints (see cfgConstraints). A
     * definition is also a constraint when the module's comments name it as one ("Left out
     * ... (ACTION_CONSTRAINT EvictionFree)").
     */
    static Module parse(Path file, Path root, Map<String, String> constraints) throws BadInputException {
        String where = root.relativize(file.toAbsolutePath().normalize()).toString();
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot read spec module (" + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")");
        }
        String name = null;
        int i = 0;
        for (; i < lines.size(); i++) {
            Matcher mm = MODULE.matcher(lines.get(i));
            if (mm.find()) {
                name = mm.group(1);
                i++;
                break;
            }
        }
        if (name == null) {
            throw new BadInputException(where + ":1: no '---- MODULE Name ----' line");
        }
        StringBuilder header = new StringBuilder();
        List<String> ext = new ArrayList<>();
        // The header: the (* ... *) lines right after the MODULE line.
        for (; i < lines.size() && lines.get(i).startsWith("(*"); i++) {
            String inner = lines.get(i).strip().replaceAll("^\\(\\*", "").replaceAll("\\*\\)$", "");
            if (!inner.matches("^\\**$")) {
                header.append(inner.strip()).append('\n');
            }
        }
        Map<String, String> named = new TreeMap<>(constraints);
        for (String l : lines) {
            if (l.strip().startsWith("\\*") || l.strip().startsWith("(*")) {
                Matcher m = CONSTRAINT_OF.matcher(l);
                while (m.find()) {
                    named.putIfAbsent(m.group(2), m.group(1));
                }
            }
        }
        List<Definition> defs = new ArrayList<>();
        for (int j = i; j < lines.size(); j++) {
            String l = lines.get(j);
            if (l.startsWith("EXTENDS")) {
                for (String e : l.substring("EXTENDS".length()).split(",")) {
                    if (!e.isBlank()) {
                        ext.add(e.strip());
                    }
                }
                continue;
            }
            Matcher d = DEF.matcher(l);
            if (!d.find()) {
                continue;
            }
            int end = j + 1;
            int lastText = j;
            while (end < lines.size()) {
                String n = lines.get(end);
                if (!n.isBlank() && !Character.isWhitespace(n.charAt(0))) {
                    break;
                }
                if (!n.isBlank()) {
                    lastText = end;
                }
                end++;
            }
            List<String> comment = new ArrayList<>();
            for (int k = j - 1; k >= 0 && lines.get(k).startsWith("\\*"); k--) {
                comment.add(0, lines.get(k).substring(2).strip());
            }
            String text = String.join("\n", lines.subList(j, lastText + 1));
            defs.add(new Definition(d.group(1), d.group(3) == null ? "" : d.group(3).strip(),
                    String.join(" ", comment), text, j + 1, PRIME.matcher(code(text)).find(),
                    d.group(3) == null ? named.get(d.group(1)) : null));
        }
        return new Module(name, where, header.toString().strip(), ext, defs);
    }

    /** The text without \* comments, one-line (* *) comments and string literals. */
    private static String code(String text) {
        return text.replaceAll("\"([^\"\\\\]|\\\\.)*\"", "\"\"").replaceAll("\\(\\*.*?\\*\\)", "")
                .replaceAll("\\\\\\*[^\n]*", "");
    }

    /** Every method declared under dir, by name, in path and line order. */
    static Map<String, List<JavaRef>> javaMethods(Path dir, Path root) throws BadInputException {
        Map<String, List<JavaRef>> out = new TreeMap<>();
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
        } catch (IOException e) {
            throw new BadInputException(root.relativize(dir.toAbsolutePath().normalize()) + ": cannot list Java sources ("
                    + e.getClass().getSimpleName() + ")");
        }
        for (Path f : files) {
            List<String> lines;
            try {
                lines = Files.readAllLines(f);
            } catch (IOException e) {
                throw new BadInputException(root.relativize(f.toAbsolutePath().normalize()) + ": cannot read");
            }
            String rel = root.relativize(f.toAbsolutePath().normalize()).toString().replace('\\', '/');
            for (int i = 0; i < lines.size(); i++) {
                Matcher m = JAVA_DECL.matcher(lines.get(i));
                if (m.find() && !NOT_TYPES.contains(m.group(1)) && !lines.get(i).strip().endsWith(";")) {
                    out.computeIfAbsent(m.group(2), k -> new ArrayList<>()).add(new JavaRef(rel, i + 1));
                }
                // Where the implementation logs a step by the spec's action name ("pageout"):
                // kept under the quoted name, used when no method has the action's name.
                Matcher lit = STEP_LITERAL.matcher(lines.get(i));
                while (lit.find()) {
                    out.computeIfAbsent("\"" + lit.group(1) + "\"", k -> new ArrayList<>()).add(new JavaRef(rel, i + 1));
                }
            }
        }
        return out;
    }

    private static JsonNode readManifest(Path file, Path root) throws BadInputException {
        String where = root.relativize(file.toAbsolutePath().normalize()).toString();
        try {
            JsonNode n = new ObjectMapper().readTree(Files.readString(file));
            if (n == null || !n.path("models").isArray()) {
                throw new BadInputException(where + ": no \"models\" array");
            }
            return n;
        } catch (IOException e) {
            throw new BadInputException(where + ": cannot read manifest (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static String html(List<Module> modules, Map<String, List<JavaRef>> java, JsonNode manifest, String up) {
        StringBuilder sb = new StringBuilder();
        String title = "mmucheck spec review";
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>").append(title)
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n<h1>").append(title).append("</h1>\n");
        sb.append("<p>The TLA+ modules of spec/tla: MMU and the modules it extends (kernel links: Linux v4.13;"
                + " Madvise and Mprotect: Linux 6.1), and KernelView (Linux 6.1). Kernel links are elixir.bootlin.com identifier searches; Java links are"
                + " paths relative to the repository root.</p>\n<ul id=\"toc\">\n");
        for (Module m : modules) {
            sb.append("<li><a href=\"#").append(m.name()).append("\">").append(m.name()).append("</a></li>\n");
        }
        sb.append("<li><a href=\"#verdicts\">verdict table</a></li>\n</ul>\n");
        for (Module m : modules) {
            sb.append("<section class=\"module\" id=\"").append(HtmlTrace.esc(m.name())).append("\">\n<h2>")
                    .append(HtmlTrace.esc(m.name())).append(" <span class=\"file\">").append(HtmlTrace.esc(m.file()))
                    .append("</span></h2>\n");
            if (!m.extendsList().isEmpty()) {
                sb.append("<p class=\"ext\">EXTENDS ").append(HtmlTrace.esc(String.join(", ", m.extendsList()))).append("</p>\n");
            }
            sb.append("<pre class=\"header\">").append(HtmlTrace.esc(m.header())).append("</pre>\n");
            List<Definition> actions = m.defs().stream().filter(Definition::isAction).toList();
            if (!actions.isEmpty()) {
                sb.append("<h3>Actions</h3>\n");
            }
            for (Definition d : actions) {
                String ident = d.name().replaceAll("_return$", "");
                sb.append("<div class=\"action\" id=\"").append(HtmlTrace.esc(m.name() + "." + d.name())).append("\">\n<h4>")
                        .append(HtmlTrace.esc(d.name())).append("(").append(HtmlTrace.esc(d.args())).append(")")
                        .append(" <span class=\"line\">").append(HtmlTrace.esc(m.file())).append(":").append(d.line())
                        .append("</span></h4>\n<p class=\"links\">kernel: ");
                if (Character.isUpperCase(d.name().charAt(0))) {
                    sb.append("<span class=\"none\">spec helper, not a kernel function</span>");
                } else {
                    sb.append("<a class=\"kernel\" href=\"https://elixir.bootlin.com/linux/").append(kernelVersion(m.name()))
                            .append("/A/ident/").append(HtmlTrace.esc(ident)).append("\">").append(HtmlTrace.esc(ident))
                            .append(" (").append(kernelVersion(m.name())).append(")</a>");
                }
                sb.append("; Java: ");
                List<JavaRef> refs = java.getOrDefault(d.name(), List.of());
                if (refs.isEmpty()) {
                    refs = java.getOrDefault("\"" + d.name() + "\"", List.of());
                    if (!refs.isEmpty()) {
                        sb.append("logged at ");
                    }
                }
                if (refs.isEmpty()) {
                    sb.append("<span class=\"none\">no method of this name in impl/src/main/java</span>");
                }
                for (int k = 0; k < refs.size(); k++) {
                    JavaRef r = refs.get(k);
                    String ref = r.path() + "#L" + r.line();
                    sb.append(k == 0 ? "" : ", ").append("<a class=\"java\" href=\"")
                            .append(HtmlTrace.esc(up.isEmpty() ? ref : up + "/" + ref)).append("\">")
                            .append(HtmlTrace.esc(ref)).append("</a>");
                }
                sb.append("</p>\n");
                if (!d.comment().isEmpty()) {
                    sb.append("<p class=\"comment\">").append(HtmlTrace.esc(d.comment())).append("</p>\n");
                }
                sb.append("<pre class=\"src\">").append(HtmlTrace.esc(d.text())).append("</pre>\n</div>\n");
            }
            List<Definition> constraintDefs = m.defs().stream().filter(d -> d.constraint() != null).toList();
            if (!constraintDefs.isEmpty()) {
                sb.append("<h3>Constraints</h3>\n");
            }
            for (Definition d : constraintDefs) {
                sb.append("<div class=\"constraint\" id=\"").append(HtmlTrace.esc(m.name() + "." + d.name()))
                        .append("\">\n<h4>").append(HtmlTrace.esc(d.name())).append(" <span class=\"line\">")
                        .append(HtmlTrace.esc(m.file())).append(":").append(d.line()).append("</span></h4>\n")
                        .append("<p class=\"links\">").append(HtmlTrace.esc(d.constraint()))
                        .append(": bounds the models that name it; not a step of the spec</p>\n");
                if (!d.comment().isEmpty()) {
                    sb.append("<p class=\"comment\">").append(HtmlTrace.esc(d.comment())).append("</p>\n");
                }
                sb.append("<pre class=\"src\">").append(HtmlTrace.esc(d.text())).append("</pre>\n</div>\n");
            }
            if (m.name().equals("Properties") || m.name().equals("KernelView")) {
                sb.append("<h3>Invariants and properties</h3>\n<dl class=\"invariants\">\n");
                for (Definition d : m.defs()) {
                    if (!d.action() && d.constraint() == null && d.args().isEmpty() && !d.comment().isEmpty()) {
                        sb.append("<dt id=\"").append(HtmlTrace.esc(m.name() + "." + d.name())).append("\">")
                                .append(HtmlTrace.esc(d.name())).append("</dt>\n<dd><p class=\"meaning\">")
                                .append(HtmlTrace.esc(d.comment())).append("</p><pre class=\"src\">")
                                .append(HtmlTrace.esc(d.text())).append("</pre></dd>\n");
                    }
                }
                sb.append("</dl>\n");
            }
            sb.append("</section>\n");
        }
        sb.append("<section id=\"verdicts\">\n<h2>Verdict table <span class=\"file\">spec/models/manifest.json</span></h2>\n")
                .append("<table class=\"verdicts\">\n<thead><tr><th>name</th><th>scenario</th><th>variant</th><th>expected</th>")
                .append("<th>distinct</th><th>depth</th><th>explain</th></tr></thead>\n<tbody>\n");
        for (JsonNode row : manifest.path("models")) {
            StringBuilder variant = new StringBuilder();
            for (Iterator<Map.Entry<String, JsonNode>> it = row.path("variant").fields(); it.hasNext();) {
                Map.Entry<String, JsonNode> e = it.next();
                variant.append(variant.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(e.getValue().asText());
            }
            String expected = row.path("expected").asText("");
            sb.append("<tr class=\"model\" data-model=\"").append(HtmlTrace.esc(row.path("name").asText(""))).append("\">")
                    .append(td(row.path("name").asText(""))).append(td(row.path("scenario").asText("")))
                    .append(td(variant.toString()))
                    .append("<td class=\"").append(expected.startsWith("holds") ? "holds" : "violates").append("\">")
                    .append(HtmlTrace.esc(expected)).append("</td>")
                    .append(td(row.path("distinct").asText(""))).append(td(row.path("depth").asText("")))
                    .append(td(row.path("explain").asText(""))).append("</tr>\n");
        }
        sb.append("</tbody></table>\n</section>\n</body></html>\n");
        return sb.toString();
    }

    private static String td(String s) {
        return "<td>" + HtmlTrace.esc(s) + "</td>";
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 1em 2em; max-width: 70em; }
            pre { background: #f6f6f6; padding: 0.4em 0.6em; overflow-x: auto; font-size: 90%; }
            pre.header { background: #eef3fb; }
            .file, .line { font-size: 70%; color: #666; font-weight: normal; }
            .action { border-left: 3px solid #88a; padding-left: 0.8em; margin: 1em 0; }
            .constraint { border-left: 3px solid #a86; padding-left: 0.8em; margin: 1em 0; }
            .comment, .meaning { font-style: italic; }
            .none { color: #999; }
            table.verdicts { border-collapse: collapse; font-size: 90%; }
            table.verdicts td, table.verdicts th { border: 1px solid #ccc; padding: 0.2em 0.4em; vertical-align: top; }
            td.holds { color: #060; } td.violates { color: #a00; }
            dt { font-weight: bold; margin-top: 0.8em; }
            """;
}
