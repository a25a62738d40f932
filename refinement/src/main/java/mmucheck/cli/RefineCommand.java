package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.VerdictReport;
import mmucheck.refinement.viatlc.TlcCliRoute;

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
        }
        return v.exitCode();
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
