package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.HtmlTrace;
import mmucheck.refinement.report.ItfTrace;
import mmucheck.refinement.report.LaneDiagram;
import mmucheck.refinement.report.TraceFile;
import mmucheck.refinement.report.VerdictReport;
import mmucheck.refinement.viatlc.TlcCliRoute;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.trace.Trace;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code mmucheck refine LOG [--json] [--via-tlc] [--max-frontier N] [--internal-steps K]
 * [--spec-dir DIR] [--html OUT] [--itf OUT]}: the verdict, and for a divergence or violation
 * the steps leading to it as lanes (and, asked, as HTML or ITF, the failure marked).
 */
final class RefineCommand implements Command {
    @Override
    public String summary() {
        return "check a trace log against the spec (exit 0 refines, 1 diverges/violates, 2 bad input)";
    }

    @Override
    public String synopsis() {
        return "LOG [--json] [--via-tlc] [--max-frontier N] [--internal-steps K] [--unlogged-free] [--spec-dir DIR] "
                + "[--html OUT] [--itf OUT]";
    }

    @Override
    public Options options() {
        RefinementChecker.Options o = RefinementChecker.Options.defaults();
        return Cli.options(
                Cli.flag("json", "print the verdict as JSON"),
                Cli.flag("via-tlc", "check through the TLC command line (a JVM per log) instead of in process"),
                Cli.valued("max-frontier", "N", "partial logs: most candidate states kept (default " + o.maxFrontier() + ")"),
                Cli.valued("internal-steps", "K", "unlogged steps allowed between logged ones (default "
                        + o.internalSteps() + ")"),
                Cli.flag("unlogged-free", "variables a partial line leaves out may change (default: unchanged)"),
                Cli.valued("spec-dir", "DIR", "the spec's modules (default spec/tla)"),
                Cli.valued("html", "OUT", "for a divergence or violation: the steps to it as an HTML page, the failure marked"),
                Cli.valued("itf", "OUT", "for a divergence or violation: the steps to it as ITF, the failure in #meta"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        String log = Cli.onlyArgument(cl, "LOG");
        boolean json = cl.hasOption("json");
        boolean viaTlc = cl.hasOption("via-tlc");
        RefinementChecker.Options o = RefinementChecker.Options.defaults();
        int maxFrontier = (int) Cli.number(cl, "max-frontier", o.maxFrontier(), 0, Integer.MAX_VALUE);
        int internal = (int) Cli.number(cl, "internal-steps", o.internalSteps(), 0, Integer.MAX_VALUE);
        if (cl.hasOption("unlogged-free")) {
            o = o.withUnloggedUnchanged(false);
        }
        if (cl.hasOption("spec-dir")) {
            o = o.withSpecDir(Path.of(cl.getOptionValue("spec-dir")));
        }
        o = o.withPartial(maxFrontier, internal);
        if (viaTlc && internal > 0) {
            throw new UsageException("--via-tlc does not support --internal-steps");
        }
        Verdict v = viaTlc ? TlcCliRoute.check(Path.of(log), o) : RefinementChecker.checkFile(Path.of(log), o);
        if (json) {
            out.print(VerdictReport.json(v, log));
        } else if (v.kind() == Verdict.Kind.BAD_INPUT) {
            err.print("mmucheck refine: " + VerdictReport.text(v, log));
        } else {
            out.print(VerdictReport.text(v, log));
            if (v.kind() == Verdict.Kind.DIVERGES || v.kind() == Verdict.Kind.VIOLATES) {
                out.print(lanes(Path.of(log), v, o.specDir()));
            }
        }
        if (cl.hasOption("html") || cl.hasOption("itf")) {
            writeFailure(cl, Path.of(log), v, o.specDir(), err);
        }
        return v.exitCode();
    }

    /**
     * --html/--itf: the steps leading to the failure and the failing step itself (the
     * diverging step as logged, or the step into the violating state), with the verdict and its
     * diagnosis as the trace's ending, so the file says where and why it fails.
     */
    private static void writeFailure(CommandLine cl, Path log, Verdict v, Path specDir, PrintStream err)
            throws UsageException {
        if (v.kind() != Verdict.Kind.DIVERGES && v.kind() != Verdict.Kind.VIOLATES) {
            err.println("refine: " + v.kind().word() + ", no failure to write (--html/--itf are for a divergence or violation)");
            return;
        }
        Window w = window(log, v, specDir);
        if (w == null) {
            err.println("refine: the log is too large or unreadable past the verdict; nothing written");
            return;
        }
        String ending = VerdictReport.text(v, log.toString()).strip();
        try {
            if (cl.hasOption("html")) {
                Path html = Path.of(cl.getOptionValue("html"));
                Files.writeString(html, HtmlTrace.render(w.title(), w.trace(), ending));
                err.println("refine: wrote " + html + " (" + w.what() + ")");
            }
            if (cl.hasOption("itf")) {
                Path itf = Path.of(cl.getOptionValue("itf"));
                Files.writeString(itf, ItfTrace.toJson(w.trace(), w.title() + "\n" + ending));
                err.println("refine: wrote " + itf + " (" + w.what() + ")");
            }
        } catch (IOException e) {
            throw UsageException.badInput("cannot write: " + e.getMessage());
        }
    }

    /** Steps shown before the failing one: enough to see the race, few enough to read. */
    static final int LANE_WINDOW = 12;
    /** ... and back to where each agent in them began its operation, up to this many. */
    static final int LANE_MAX_WINDOW = 60;
    /** Logs above this size are not read whole again just to draw the lanes. */
    static final long LANE_MAX_BYTES = 8L << 20;

    /**
     * The steps leading to the divergence (or violation) and the failing step itself, as lanes;
     * empty when the log is too large or unreadable past the verdict (the verdict stands alone).
     */
    static String lanes(Path log, Verdict v, Path specDir) {
        Window w = window(log, v, specDir);
        if (w == null) {
            return "";
        }
        String lanes = new LaneDiagram(120).render("\n" + w.title(), w.trace(), v.message());
        return lanes.endsWith("\n") ? lanes : lanes + "\n";
    }

    /** The failing step and the steps before it (LaneDiagram.windowStart). */
    record Window(Trace trace, String title, String what) {}

    /** The window of the failure, or null when the log is too large or unreadable past the verdict. */
    static Window window(Path log, Verdict v, Path specDir) {
        try {
            if (Files.size(log) > LANE_MAX_BYTES || v.seq() < 1) {
                return null;
            }
            Trace t = TraceFile.read(log, specDir).trace();
            int last = (int) Math.min(v.seq(), t.steps().size() - 1);
            int first = LaneDiagram.windowStart(t, last, LANE_WINDOW, LANE_MAX_WINDOW);
            String what = "step " + last + " is the "
                    + (v.kind() == Verdict.Kind.DIVERGES ? "diverging step, as logged" : "step into the violating state");
            return new Window(Trace.of(t.steps().subList(first, last + 1)),
                    "Steps " + first + ".." + last + " of " + log.getFileName() + " (" + what + ")", what);
        } catch (IOException | BadInputException | RuntimeException e) {
            return null;
        }
    }
}
