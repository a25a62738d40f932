package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.LaneDiagram;
import mmucheck.refinement.report.TraceFile;
import mmucheck.refinement.report.VerdictReport;
import mmucheck.refinement.viatlc.TlcCliRoute;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.trace.Trace;

/** {@code mmucheck refine LOG [--json] [--via-tlc] [--max-frontier N] [--internal-steps K] [--spec-dir DIR]}. */
final class RefineCommand implements Command {
    @Override
    public String summary() {
        return "check a trace log against the spec (exit 0 refines, 1 diverges/violates, 2 bad input)";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        String log = null;
        boolean json = false;
        boolean viaTlc = false;
        RefinementChecker.Options o = RefinementChecker.Options.defaults();
        int maxFrontier = o.maxFrontier();
        int internal = o.internalSteps();
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--json" -> json = true;
                case "--via-tlc" -> viaTlc = true;
                case "--max-frontier" -> maxFrontier = positive(args, ++i, "--max-frontier");
                case "--internal-steps" -> internal = positive(args, ++i, "--internal-steps") ;
                case "--unlogged-free" -> o = o.withUnloggedUnchanged(false);
                case "--spec-dir" -> {
                    if (++i >= args.length) {
                        throw new UsageException("--spec-dir needs a directory");
                    }
                    o = o.withSpecDir(Path.of(args[i]));
                }
                default -> {
                    if (args[i].startsWith("-") || log != null) {
                        throw new UsageException("unexpected argument '" + args[i]
                                + "' (usage: refine LOG [--json] [--via-tlc] [--max-frontier N] [--internal-steps K])");
                    }
                    log = args[i];
                }
            }
        }
        if (log == null) {
            throw new UsageException("usage: refine LOG [--json] [--via-tlc] [--max-frontier N] [--internal-steps K]");
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
        return v.exitCode();
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
        try {
            if (Files.size(log) > LANE_MAX_BYTES || v.seq() < 1) {
                return "";
            }
            Trace t = TraceFile.read(log, specDir).trace();
            int last = (int) Math.min(v.seq(), t.steps().size() - 1);
            int first = LaneDiagram.windowStart(t, last, LANE_WINDOW, LANE_MAX_WINDOW);
            Trace window = Trace.of(t.steps().subList(first, last + 1));
            String title = "\nSteps " + first + ".." + last + " of " + log.getFileName() + " (step " + last + " is the "
                    + (v.kind() == Verdict.Kind.DIVERGES ? "diverging step, as logged" : "step into the violating state") + ")";
            String lanes = new LaneDiagram(120).render(title, window, v.message());
            return lanes.endsWith("\n") ? lanes : lanes + "\n";
        } catch (IOException | BadInputException | RuntimeException e) {
            return "";
        }
    }

    private static int positive(String[] args, int i, String flag) throws UsageException {
        if (i >= args.length) {
            throw new UsageException(flag + " needs a number");
        }
        try {
            int n = Integer.parseInt(args[i]);
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new UsageException(flag + " needs a non-negative number, not '" + args[i] + "'");
        }
    }
}
