package mmucheck.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mmucheck.refinement.report.Endings;
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
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * {@code check [MODEL…] [--json] [--workers N] [--all] [--full] [--width N]}: TLC over the
 * bundled models (unit and ci tiers unless models are named or --all is given), the verdict
 * table, and each violation's counterexample as a lane diagram. Exit 0 when every verdict
 * matches the manifest, 1 otherwise, 2 for usage or spec errors.
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

    @Override
    public String summary() {
        return summary;
    }

    private static Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("json").desc("print the verdicts as JSON").build());
        o.addOption(Option.builder().longOpt("workers").hasArg().argName("N").desc("TLC worker threads (default 1)").build());
        o.addOption(Option.builder().longOpt("all").desc("also run the bench tier").build());
        o.addOption(Option.builder().longOpt("full").desc("print the full state after each counterexample step").build());
        o.addOption(Option.builder().longOpt("width").hasArg().argName("N").desc("line width (default 120)").build());
        o.addOption(Option.builder().longOpt("timeout").hasArg().argName("S").desc("seconds per model (default 900)").build());
        return o;
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(options(), args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage() + " (usage: mmucheck " + name
                    + " [MODEL...] [--json] [--workers N] [--all] [--full] [--width N] [--timeout S])");
        }
        int workers = intOption(cl, "workers", 1, 1, 64);
        int width = intOption(cl, "width", 120, 60, 400);
        int timeout = intOption(cl, "timeout", 900, 1, 86_400);
        Path root = this.root != null ? this.root.toAbsolutePath().normalize() : Paths.root();
        Manifest manifest;
        try {
            manifest = Manifest.read(root.resolve("spec/models/manifest.json"));
        } catch (BadInputException e) {
            throw new UsageException(shorten(e.getMessage(), root));
        }
        List<ModelEntry> selected = new ArrayList<>();
        if (!cl.getArgList().isEmpty()) {
            for (String m : cl.getArgList()) {
                selected.add(manifest.model(m).orElseThrow(() -> new UsageException("no model '" + m
                        + "' in spec/models/manifest.json")));
            }
        } else {
            for (ModelEntry m : manifest.models()) {
                if (cl.hasOption("all") || m.tier() != ModelEntry.Tier.BENCH) {
                    selected.add(m);
                }
            }
        }
        ModelRunner.Config config = ModelRunner.Config.defaults(Paths.tlcJar())
                .withWorkers(workers).withDisplayRoot(root)
                .withTimeout(java.time.Duration.ofSeconds(timeout));
        List<VerdictTable.Row> rows = new ArrayList<>();
        int i = 0;
        for (ModelEntry m : selected) {
            i++;
            err.printf("%s: [%d/%d] %s (%s) ...%n", name, i, selected.size(), m.name(), m.tier().label());
            ModelRunner runner = new ModelRunner(config.withQuickJit(m.tier() == ModelEntry.Tier.UNIT).withProgress(line -> err.println(name + ": " + m.name() + ": " + line)));
            Verdict v = runner.run(root.resolve("spec/tla"), manifest.specOf(m), manifest.cfgPath(m));
            if (v.isError()) {
                err.printf("%s: [%d/%d] %s: error (%.1f s)%n", name, i, selected.size(), m.name(), v.seconds());
            } else {
                err.printf("%s: [%d/%d] %s: %s, %d distinct states, depth %d, %.1f s%n", name, i, selected.size(),
                        m.name(), v.result(), v.distinct(), v.depth(), v.seconds());
            }
            rows.add(new VerdictTable.Row(m, v, VerdictTable.mismatch(m, v, workers)));
        }
        if (cl.hasOption("json")) {
            try {
                out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(VerdictTable.json(rows)));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        } else {
            out.print(VerdictTable.text(rows));
            for (VerdictTable.Row r : rows) {
                Verdict v = r.verdict();
                if (v.counterexample() != null) {
                    out.println();
                    out.print(counterexample(r.model(), v, width, cl.hasOption("full"), root.resolve("spec/tla")));
                }
            }
        }
        boolean errors = false;
        for (VerdictTable.Row r : rows) {
            if (r.verdict().isError()) {
                err.println("mmucheck " + name + ": " + r.verdict().error());
                errors = true;
            }
        }
        if (errors) {
            return ExitCode.USAGE;
        }
        boolean chainOk = true;
        if (name.equals("demo") && !cl.hasOption("json")) {
            // the rest of the chain: the implementation's runs refined, and a mutant caught
            err.println(name + ": seeded simulations and refinement ...");
            mmucheck.refinement.explore.DemoChain.Result r = mmucheck.refinement.explore.DemoChain.run(manifest);
            out.println();
            out.print(r.text());
            out.printf("(%d steps refined in %.1f s, spec loads included)%n", r.steps(), r.seconds());
            chainOk = r.asExpected();
        }
        return chainOk && rows.stream().allMatch(r -> r.mismatch() == null) ? ExitCode.OK : ExitCode.VIOLATION;
    }

    /** A verdict's counterexample as a lane diagram (and, with --full, every state in full). */
    static String counterexample(ModelEntry m, Verdict v, int width, boolean full, Path specDir) {
        Trace t = v.counterexample();
        boolean temporal = t.stutters() || t.loopsBackTo() >= 0;
        String title = "Counterexample for " + m.name() + " (" + m.scenario() + ", " + m.variantCell() + "): "
                + v.result() + ", " + (t.steps().size() - 1) + " steps"
                + (m.explain().isBlank() ? "" : "\n" + m.explain());
        StringBuilder sb = new StringBuilder(new LaneDiagram(width).render(title, t, Endings.forResult(v.result(), t, temporal,
                PropertyMeaning.of(specDir, v.violated()))));
        if (full) {
            for (int i = 0; i < t.steps().size(); i++) {
                sb.append("\nState after step ").append(i).append(" (").append(t.steps().get(i).action()).append("):\n");
                sb.append(LaneDiagram.fullState(t.steps().get(i).state()));
            }
        }
        return sb.toString();
    }

    private static int intOption(CommandLine cl, String opt, int dflt, int min, int max) throws UsageException {
        if (!cl.hasOption(opt)) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(cl.getOptionValue(opt));
            if (n < min || n > max) {
                throw new UsageException("--" + opt + " must be between " + min + " and " + max);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException("--" + opt + " needs a number, not '" + cl.getOptionValue(opt) + "'");
        }
    }

    private static String shorten(String msg, Path root) {
        String r = root.toAbsolutePath().normalize() + "/";
        return msg.replace(r, "");
    }
}
