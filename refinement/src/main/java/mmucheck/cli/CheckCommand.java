package mmucheck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.refinement.check.SpecConstants;
import mmucheck.refinement.report.Endings;
import mmucheck.refinement.report.HtmlTrace;
import mmucheck.refinement.report.ItfTrace;
import mmucheck.refinement.report.LaneDiagram;
import mmucheck.refinement.report.PropertyMeaning;
import mmucheck.refinement.report.VerdictTable;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.model.Manifest;
import mmucheck.spec.model.ModelEntry;
import mmucheck.spec.tlc.ModelRunner;
import mmucheck.spec.tlc.Verdict;
import mmucheck.spec.trace.Trace;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code check [MODEL…] [--cfg FILE] [--scenario S [--variant K=V,…]] [--out-dir DIR] …}: TLC
 * over the bundled models (unit and ci tiers unless models are named or --all is given), or
 * over a model of your own that is in no manifest (a cfg, or a scenario under a variant); the
 * verdict table, each violation's counterexample as a lane diagram, and with --out-dir the
 * artefacts of every model (TLC's output, lanes, HTML, ITF). Exit codes: {@link ExitCode}.
 */
final class CheckCommand implements Command {
    private final String name;
    private final String summary;
    private final Path root;

    CheckCommand(String name, String summary) {
        this(name, summary, null);
    }

    /** @param root the repository root; null: the {@code mmucheck.root} system property */
    CheckCommand(String name, String summary, Path root) {
        this.name = name;
        this.summary = summary;
        this.root = root;
    }

    private boolean demo() {
        return name.equals("demo");
    }

    @Override
    public String summary() {
        return summary;
    }

    @Override
    public String synopsis() {
        return demo() ? "[MODEL...] [--out-dir DIR] [--json] [--workers N] [--all] [--full] [--width N] [--timeout S]"
                : "[MODEL...] [--cfg FILE] [--scenario S [--variant K=V,...] [--mixed-seed N]] [--out-dir DIR] [--json] "
                        + "[--workers N] [--all] [--full] [--width N] [--timeout S] [--tlc-heap SIZE] [--distributed]";
    }

    @Override
    public Options options() {
        Options o = Cli.options(
                Cli.flag("json", "print the verdicts as JSON"),
                Cli.valued("workers", "N", "TLC worker threads, 1..64 (default 1: reproducible counts); "
                        + "with --distributed, worker JVMs (default 2)"),
                Cli.flag("all", "also run the bench tier"),
                Cli.flag("full", "print the full state after each counterexample step"),
                Cli.valued("width", "N", "line width of the lanes, 60..400 (default 120)"),
                Cli.valued("timeout", "S", "seconds per model, 1..86400 (default 900); past it: exit 4"),
                Cli.valued("tlc-heap", "SIZE", "the forked TLC's -Xmx (default 1g)"),
                Cli.valued("out-dir", "DIR", demo() ? "where the artefacts go (default ./mmucheck-demo)"
                        : "write per model TLC's -tool output and each counterexample as lanes, HTML and ITF"));
        if (!demo()) {
            o.addOption(Cli.flag("distributed",
                    "TLC's distributed mode on 127.0.0.1: a server and --workers N worker JVMs (default 2)"));
            o.addOption(Cli.valued("cfg", "FILE", "check your own model: a TLC cfg for spec/tla/MMU.tla, in no manifest"));
            o.addOption(Cli.valued("scenario", "S", "check your own model: this scenario (Scenarios.tla) under --variant"));
            o.addOption(Cli.valued("variant", "K=V,...", "with --scenario: cpu_flush, secondary, shadow "
                    + "(default nested,under_ptl,seq)"));
            o.addOption(Cli.valued("mixed-seed", "N", "with --scenario mixed: the seed of its programs, 0..32767"));
        }
        return o;
    }

    @Override
    public List<String> notes() {
        return List.of(demo()
                ? "exit: 0 every verdict as the manifest records it (violations included) and the chain as expected, "
                        + "3 a verdict differs, 2 bad input, 4 timeout, 5 internal error"
                : "exit: 0 every model holds, 1 a violation found, 3 a verdict differs from the manifest, "
                        + "2 bad input, 4 timeout, 5 internal error (the worst wins)",
                "A model of your own (--cfg, --scenario) has no expected verdict: its verdict is the answer.");
    }

    /** A model to run: a manifest entry, or one of the user's own (expected is then empty). */
    private record Job(ModelEntry model, Path cfg, boolean own) {}

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        boolean distributed = cl.hasOption("distributed");
        int workers = (int) Cli.number(cl, "workers", distributed ? 2 : 1, 1, 64);
        int width = (int) Cli.number(cl, "width", 120, 60, 400);
        int timeout = (int) Cli.number(cl, "timeout", 900, 1, 86_400);
        String heap = cl.getOptionValue("tlc-heap", "1g");
        if (!heap.matches("[1-9][0-9]*[mMgG]")) {
            throw new UsageException("--tlc-heap wants a size such as 512m or 2g, not '" + heap + "'");
        }
        Path root = this.root != null ? this.root.toAbsolutePath().normalize() : Paths.root();
        Path outDir = cl.hasOption("out-dir") ? Path.of(cl.getOptionValue("out-dir"))
                : demo() && !cl.hasOption("json") ? Path.of("mmucheck-demo") : null;
        if (outDir != null) {
            try {
                Files.createDirectories(outDir);
            } catch (IOException e) {
                throw UsageException.badInput("cannot make " + outDir + ": " + e.getMessage());
            }
        }
        Manifest manifest;
        try {
            manifest = Manifest.read(root.resolve("spec/models/manifest.json"));
        } catch (BadInputException e) {
            throw UsageException.badInput(shorten(e.getMessage(), root));
        }
        List<Job> jobs = select(cl, manifest, root, outDir);
        ModelRunner.Config config = ModelRunner.Config.defaults(Paths.tlcJar())
                .withWorkers(workers).withDisplayRoot(root).withMaxHeap(heap)
                .withTimeout(java.time.Duration.ofSeconds(timeout));
        List<VerdictTable.Row> rows = new ArrayList<>();
        List<VerdictTable.Row> own = new ArrayList<>();
        int worst = ExitCode.OK;
        int i = 0;
        for (Job j : jobs) {
            ModelEntry m = j.model();
            i++;
            err.printf("%s: [%d/%d] %s (%s) ...%n", name, i, jobs.size(), m.name(), j.own() ? "your own model" : m.tier().label());
            ModelRunner runner = new ModelRunner(config.withQuickJit(m.tier() == ModelEntry.Tier.UNIT)
                    .withProgress(line -> err.println(name + ": " + m.name() + ": " + line)));
            Verdict v = distributed
                    ? Distributed.runner(root, workers, timeout, "127.0.0.1", 0, line -> err.println(name + ": " + m.name() + ": " + line))
                            .run(root.resolve("spec/tla"), manifest.specOf(m), j.cfg())
                    : runner.run(root.resolve("spec/tla"), manifest.specOf(m), j.cfg(),
                            outDir == null ? null : outDir.resolve(m.name() + ".tlc.txt"));
            if (v.isError()) {
                err.printf("%s: [%d/%d] %s: error (%.1f s)%n", name, i, jobs.size(), m.name(), v.seconds());
            } else {
                err.printf("%s: [%d/%d] %s: %s, %d distinct states, depth %d, %.1f s%n", name, i, jobs.size(),
                        m.name(), v.result(), v.distinct(), v.depth(), v.seconds());
            }
            VerdictTable.Row row = new VerdictTable.Row(m, v, j.own() ? null
                    : distributed ? Distributed.mismatch(m, v) : VerdictTable.mismatch(m, v, workers));
            (j.own() ? own : rows).add(row);
            worst = ExitCode.worst(worst, code(row, j.own()));
            if (outDir != null) {
                writeArtefacts(outDir, row, width, root.resolve("spec/tla"), err);
            }
        }
        if (cl.hasOption("json")) {
            try {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(
                        own.isEmpty() ? VerdictTable.json(rows) : VerdictTable.json(rows).setAll(VerdictTable.jsonOwn(own))));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            if (!rows.isEmpty()) {
                out.print(VerdictTable.text(rows));
            }
            if (!own.isEmpty()) {
                if (!rows.isEmpty()) {
                    out.println();
                }
                out.print(VerdictTable.textOwn(own));
            }
            List<VerdictTable.Row> shown = new ArrayList<>(rows);
            shown.addAll(own);
            for (VerdictTable.Row r : shown) {
                Verdict v = r.verdict();
                if (v.counterexample() != null) {
                    out.println();
                    out.print(counterexample(r.model(), v, width, cl.hasOption("full"), root.resolve("spec/tla")));
                }
            }
        }
        List<VerdictTable.Row> all = new ArrayList<>(rows);
        all.addAll(own);
        for (VerdictTable.Row r : all) {
            if (r.verdict().isError()) {
                err.println("mmucheck " + name + ": " + r.verdict().error());
            }
        }
        if (outDir != null) {
            err.println(name + ": artefacts in " + outDir + ": per model NAME.tlc.txt (TLC's -tool output), and for a "
                    + "counterexample NAME.lanes.txt, NAME.html, NAME.itf.json");
        }
        if (demo() && !cl.hasOption("json") && worst == ExitCode.OK) {
            // the rest of the chain: the implementation's runs refined, and a mutant caught
            err.println(name + ": seeded simulations and refinement ...");
            mmucheck.refinement.explore.DemoChain.Result r = mmucheck.refinement.explore.DemoChain.run(manifest);
            out.println();
            out.print(r.text());
            out.printf("(%d steps refined in %.1f s, spec loads included)%n", r.steps(), r.seconds());
            if (!r.asExpected()) {
                worst = ExitCode.MISMATCH;
            }
        }
        return worst;
    }

    /**
     * One model's exit code. A manifest model under check: its verdict (a violation is 1 even
     * when expected) unless it differs from the manifest (3); under demo, 0 when it matches.
     * A model of one's own: its verdict. An error: what kind of error TLC's run met.
     */
    private int code(VerdictTable.Row r, boolean own) {
        Verdict v = r.verdict();
        if (v.isError()) {
            return errorCode(v.error());
        }
        if (!own && r.mismatch() != null) {
            return ExitCode.MISMATCH;
        }
        if (demo()) {
            return ExitCode.OK;
        }
        return v.isViolation() ? ExitCode.VIOLATION : ExitCode.OK;
    }

    /**
     * A TLC error's exit code from its one line: the run's time limit (ModelRunner: "timed out
     * after"), the JVM's or TLC's own failure (out of memory, no verdict, a crash), or else the
     * spec's or cfg's fault (a parse error, an undefined constant: bad input).
     */
    static int errorCode(String error) {
        String e = error == null ? "" : error.toLowerCase(Locale.ROOT);
        if (e.contains(": timed out after ")) {
            return ExitCode.TIMEOUT;
        }
        if (e.contains("outofmemory") || e.contains("out of memory") || e.contains("stackoverflow")
                || e.contains("tlc ended without a verdict") || e.contains("ended in the middle of a message")
                || e.contains("cannot run tlc") || e.contains("interrupted (tlc killed)") || e.contains("tlc jar not found")
                || e.contains("cannot create a temporary directory")) {
            return ExitCode.INTERNAL;
        }
        return ExitCode.USAGE;
    }

    private List<Job> select(CommandLine cl, Manifest manifest, Path root, Path outDir) throws UsageException {
        List<Job> jobs = new ArrayList<>();
        for (String m : cl.getArgList()) {
            ModelEntry e = manifest.model(m).orElseThrow(() -> UsageException.badInput("no model '" + m
                    + "' in spec/models/manifest.json (a model of your own: --cfg FILE or --scenario S --variant K=V,...)"));
            jobs.add(new Job(e, manifest.cfgPath(e), false));
        }
        if (!demo() && cl.hasOption("cfg")) {
            jobs.add(ownCfg(Path.of(cl.getOptionValue("cfg"))));
        }
        if (!demo() && cl.hasOption("scenario")) {
            jobs.add(ownScenario(cl, root, manifest, outDir));
        } else if (!demo() && (cl.hasOption("variant") || cl.hasOption("mixed-seed"))) {
            throw new UsageException("--variant and --mixed-seed go with --scenario S");
        }
        if (jobs.isEmpty()) {
            for (ModelEntry m : manifest.models()) {
                if (cl.hasOption("all") || m.tier() != ModelEntry.Tier.BENCH) {
                    jobs.add(new Job(m, manifest.cfgPath(m), false));
                }
            }
        }
        return jobs;
    }

    private static final Pattern CONSTANT = Pattern.compile("(?m)^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*\"?([^\"\\s]+)\"?");

    /** --cfg FILE: named after the file; scenario and variant read from its CONSTANTS for the table. */
    private static Job ownCfg(Path cfg) throws UsageException {
        if (!Files.isRegularFile(cfg)) {
            throw UsageException.badInput(cfg + ": file not found");
        }
        String text;
        try {
            text = Files.readString(cfg);
        } catch (IOException e) {
            throw UsageException.badInput(cfg + ": cannot read: " + e.getMessage());
        }
        Map<String, String> consts = new LinkedHashMap<>();
        Matcher m = CONSTANT.matcher(text.replaceAll("\\\\\\*[^\n]*", ""));
        while (m.find()) {
            consts.put(m.group(1), m.group(2));
        }
        Map<String, String> variant = new LinkedHashMap<>();
        for (String k : List.of("cpu_flush", "secondary", "shadow")) {
            variant.put(k, consts.getOrDefault(k, "?"));
        }
        String scenario = consts.getOrDefault("Scenario", "?");
        if (scenario.equals(Scenarios.MIXED) && consts.containsKey("MixedSeed")) {
            scenario += " (MixedSeed " + consts.get("MixedSeed") + ")";
        }
        String n = cfg.getFileName().toString().replaceFirst("\\.cfg$", "");
        return new Job(new ModelEntry(n, cfg.toString(), scenario, variant, "", ModelEntry.UNMEASURED,
                (int) ModelEntry.UNMEASURED, ModelEntry.Tier.CI, ""), cfg.toAbsolutePath(), true);
    }

    /**
     * --scenario S --variant K=V,...: the cfg the bundled models would have (SPECIFICATION Spec,
     * every invariant they check), written to --out-dir (to run again by hand) or a temp file.
     */
    /** The INVARIANTS of the manifest's models (all of one spec), in first-seen order. */
    private static List<String> invariantsOfTheBundledModels(Manifest manifest) throws UsageException {
        java.util.Set<String> names = new java.util.LinkedHashSet<>();
        Pattern inv = Pattern.compile("(?m)^\\s*INVARIANTS?\\s+([^\n]*)");
        for (ModelEntry m : manifest.models()) {
            if (!manifest.specOf(m).equals(manifest.spec())) {
                continue; // KernelLink's models check KernelView's invariants too
            }
            try {
                Matcher x = inv.matcher(Files.readString(manifest.cfgPath(m)).replaceAll("\\\\\\*[^\n]*", ""));
                while (x.find()) {
                    for (String n : x.group(1).trim().split("\\s+")) {
                        if (!n.isEmpty()) {
                            names.add(n);
                        }
                    }
                }
            } catch (IOException e) {
                throw UsageException.badInput(manifest.cfgPath(m) + ": cannot read: " + e.getMessage());
            }
        }
        return new ArrayList<>(names);
    }

    /** Constants --scenario and --mixed-seed set (MixedLength at the bundled models' 2), not --variant. */
    private static final List<String> SET_BY_CHECK = List.of("Scenario", "MixedSeed", "MixedLength");

    private static Job ownScenario(CommandLine cl, Path root, Manifest manifest, Path outDir) throws UsageException {
        String module = manifest.spec();
        Path specDir = root.resolve("spec/tla");
        SpecConstants spec;
        try {
            spec = SpecConstants.read(specDir, module);
        } catch (IOException e) {
            throw UsageException.badInput("cannot read spec " + module + ": " + e.getMessage());
        }
        if (spec == null) {
            throw UsageException.badInput("no spec module '" + module + "' in " + specDir);
        }
        // the spec's own ASSUMEs say which scenarios and variant values exist: a scenario or a
        // placement just added to the spec is accepted without touching the Java side
        String sc = cl.getOptionValue("scenario");
        SpecConstants.Domain scenarios = spec.domain("Scenario");
        if (scenarios != null && !scenarios.contains(sc)) {
            throw new UsageException("unknown scenario '" + sc + "' (one of " + scenarios.shown().replace("\"", "") + ")");
        }
        long seed = Cli.number(cl, "mixed-seed", 0, 0, 32767);
        if (cl.hasOption("mixed-seed") && !sc.equals(Scenarios.MIXED)) {
            throw new UsageException("--mixed-seed goes with --scenario mixed");
        }
        Map<String, String> variant = new LinkedHashMap<>(Variant.DEFAULT.constants());
        String vtext = cl.getOptionValue("variant", "");
        for (String kv : vtext.isBlank() ? new String[0] : vtext.split(",")) {
            String[] p = kv.split("=", 2);
            String k = p[0].strip();
            if (p.length != 2 || k.isEmpty()) {
                throw new UsageException("bad variant '" + kv + "' (want K=V, e.g. cpu_flush=gather)");
            }
            // a constant, or an ASSUMEd definition a cfg may override (MMState's batched_flush)
            if ((!spec.declared().contains(k) && spec.domain(k) == null) || SET_BY_CHECK.contains(k)) {
                List<String> keys = new ArrayList<>(spec.declared());
                keys.removeAll(SET_BY_CHECK);
                throw new UsageException("unknown variant key '" + k + "' (constants of " + module + ": "
                        + String.join(", ", keys) + ")");
            }
            String v = p[1].strip();
            SpecConstants.Domain d = spec.domain(k);
            if (d != null && !d.contains(v)) {
                throw new UsageException("bad " + k + " '" + v + "' (one of " + d.shown().replace("\"", "") + ", by the ASSUME at "
                        + d.where() + ")");
            }
            variant.put(k, v);
        }
        for (String c : spec.declared()) {
            if (!SET_BY_CHECK.contains(c) && !variant.containsKey(c)) {
                throw new UsageException("constant " + c + " of " + module + " needs a value: --variant " + c + "=...");
            }
        }
        String n = (sc + (sc.equals(Scenarios.MIXED) ? "_" + seed : "") + "_" + String.join("_", variant.values()))
                .replace('-', '_');
        List<String> invariants = invariantsOfTheBundledModels(manifest);
        StringBuilder cfg = new StringBuilder("\\* " + n + ": generated by mmucheck check --scenario " + sc
                + (vtext.isBlank() ? "" : " --variant " + vtext) + " (a model in no manifest)\nSPECIFICATION Spec\nCONSTANTS\n");
        cfg.append("  Scenario = \"").append(sc).append("\"\n  MixedSeed = ").append(seed).append('\n');
        if (spec.declared().contains("MixedLength")) {
            cfg.append("  MixedLength = 2\n"); // the length of every bundled model's mixed programs
        }
        variant.forEach((k, x) -> cfg.append("  ").append(k).append(" = \"").append(x).append("\"\n"));
        cfg.append("INVARIANTS ").append(String.join(" ", invariants)).append('\n');
        Path file;
        try {
            file = outDir != null ? outDir.resolve(n + ".cfg") : Files.createTempFile("mmucheck-" + n + "-", ".cfg");
            Files.writeString(file, cfg);
            if (outDir == null) {
                file.toFile().deleteOnExit();
            }
        } catch (IOException e) {
            throw UsageException.badInput("cannot write the generated cfg: " + e.getMessage());
        }
        String shownScenario = sc.equals(Scenarios.MIXED) ? sc + " (MixedSeed " + seed + ")" : sc;
        return new Job(new ModelEntry(n, file.toString(), shownScenario, variant, "", ModelEntry.UNMEASURED,
                (int) ModelEntry.UNMEASURED, ModelEntry.Tier.CI, ""), file.toAbsolutePath(), true);
    }

    /** --out-dir: the counterexample of a row as lanes, HTML and ITF (TLC's output is written by the run). */
    private static void writeArtefacts(Path dir, VerdictTable.Row r, int width, Path specDir, PrintStream err)
            throws UsageException {
        Verdict v = r.verdict();
        ModelEntry m = r.model();
        List<String> wrote = new ArrayList<>(List.of(m.name() + ".tlc.txt"));
        try {
            if (v.counterexample() != null) {
                Trace t = v.counterexample();
                String ending = ending(v, specDir);
                String title = title(m, v);
                Files.writeString(dir.resolve(m.name() + ".lanes.txt"), counterexample(m, v, width, false, specDir));
                Files.writeString(dir.resolve(m.name() + ".html"), HtmlTrace.render(title, t, ending));
                Files.writeString(dir.resolve(m.name() + ".itf.json"), ItfTrace.toJson(t, title + "\n" + ending));
                wrote.addAll(List.of(m.name() + ".lanes.txt", m.name() + ".html", m.name() + ".itf.json"));
            }
        } catch (IOException e) {
            throw UsageException.badInput("cannot write in " + dir + ": " + e.getMessage());
        }
        err.println("check: " + m.name() + ": wrote " + String.join(", ", wrote) + " in " + dir);
    }

    private static String title(ModelEntry m, Verdict v) {
        return "Counterexample for " + m.name() + " (" + m.scenario() + ", " + m.variantCell() + "): " + v.result() + ", "
                + (v.counterexample().steps().size() - 1) + " steps";
    }

    private static String ending(Verdict v, Path specDir) {
        Trace t = v.counterexample();
        boolean temporal = t.stutters() || t.loopsBackTo() >= 0;
        return Endings.forResult(v.result(), t, temporal, PropertyMeaning.of(specDir, v.violated()));
    }

    /** A verdict's counterexample as a lane diagram (and, with --full, every state in full). */
    static String counterexample(ModelEntry m, Verdict v, int width, boolean full, Path specDir) {
        Trace t = v.counterexample();
        String title = title(m, v) + (m.explain().isBlank() ? "" : "\n" + m.explain());
        StringBuilder sb = new StringBuilder(new LaneDiagram(width).render(title, t, ending(v, specDir)));
        if (full) {
            for (int i = 0; i < t.steps().size(); i++) {
                sb.append("\nState after step ").append(i).append(" (").append(t.steps().get(i).action()).append("):\n");
                sb.append(LaneDiagram.fullState(t.steps().get(i).state()));
            }
        }
        return sb.toString();
    }

    private static String shorten(String msg, Path root) {
        String r = root.toAbsolutePath().normalize() + "/";
        return msg.replace(r, "");
    }
}
