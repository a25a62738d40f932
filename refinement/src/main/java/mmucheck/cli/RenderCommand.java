package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.report.HtmlTrace;
import mmucheck.refinement.report.ItfTrace;
import mmucheck.refinement.report.LaneDiagram;
import mmucheck.refinement.report.TraceFile;
import mmucheck.spec.model.BadInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code render FILE [--html OUT] [--itf OUT] [--width N] [--full]}: a trace (an ITF file, an
 * mmucheck log or TLC -tool output) as a lane diagram, and optionally as a self-contained HTML
 * page or an ITF file.
 */
final class RenderCommand implements Command {
    @Override
    public String summary() {
        return "a trace (ITF, log or TLC output) as lanes; --html OUT, --itf OUT";
    }

    @Override
    public String synopsis() {
        return "FILE [--html OUT] [--itf OUT] [--width N] [--full]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("html", "OUT", "also write the trace as a self-contained HTML page"),
                Cli.valued("itf", "OUT", "also write the trace as ITF (JSON)"),
                Cli.valued("width", "N", "line width of the lanes, 60..400 (default 120)"),
                Cli.flag("full", "print the full state after each step"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.onlyArgument(cl, "FILE");
        int width = 120;
        if (cl.hasOption("width")) {
            width = (int) Cli.number(cl, "width", 120, 60, 400);
        }
        Path file = Path.of(cl.getArgList().get(0));
        Path specDir = null;
        String root = System.getProperty("mmucheck.root");
        if (root != null) {
            specDir = Path.of(root, "spec", "tla");
        }
        TraceFile tf;
        try {
            tf = TraceFile.readChecked(file, specDir);
        } catch (BadInputException e) {
            throw UsageException.badInput(e.getMessage());
        }
        String title = "Trace " + file.getFileName() + ": " + Math.max(0, tf.trace().steps().size() - 1) + " steps";
        out.print(new LaneDiagram(width).render(title, tf.trace(), tf.ending()));
        if (cl.hasOption("full")) {
            for (int i = 0; i < tf.trace().steps().size(); i++) {
                out.println();
                out.println("State after step " + i + " (" + tf.trace().steps().get(i).action() + "):");
                out.print(LaneDiagram.fullState(tf.trace().steps().get(i).state()));
            }
        }
        try {
            if (cl.hasOption("html")) {
                Path html = Path.of(cl.getOptionValue("html"));
                Files.writeString(html, HtmlTrace.render(title, tf.trace(), tf.ending(), tf.params(), tf.mark()));
                err.println("render: wrote " + html);
            }
            if (cl.hasOption("itf")) {
                Path itf = Path.of(cl.getOptionValue("itf"));
                Files.writeString(itf, ItfTrace.toJson(tf.trace(), tf.ending(), tf.params()));
                err.println("render: wrote " + itf);
            }
        } catch (IOException e) {
            throw UsageException.badInput("cannot write: " + e.getMessage());
        }
        return ExitCode.OK;
    }
}
