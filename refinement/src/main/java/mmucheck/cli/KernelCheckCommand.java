package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.kernel.KernelCheck;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code mmucheck kernel-check TRACE... [--work DIR] [--via-tlc [--chunk N]] [--jobs N]}: captured
 * kernel traces against KernelView, in process (default) or through the TLC CLI. Several traces
 * are checked --jobs at a time (default: every core), one verdict line each, exit code the worst.
 */
final class KernelCheckCommand implements Command {
    @Override
    public String summary() {
        return "check a captured Linux ftrace trace against spec/tla/KernelView.tla (in process, or --via-tlc)";
    }

    @Override
    public String synopsis() {
        return "TRACE... [--work DIR] [--via-tlc [--chunk N]] [--jobs N]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("work", "DIR", "where the translated log goes (default target/kernel-check)"),
                Cli.flag("via-tlc", "check through the TLC command line instead of in process"),
                Cli.valued("chunk", "N", "with --via-tlc: events per TLC run (default 100)"),
                Cli.valued("jobs", "N", "traces checked at a time (default: every core)"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        if (cl.getArgList().isEmpty()) {
            throw new UsageException("missing TRACE");
        }
        java.util.List<Path> traces = new java.util.ArrayList<>();
        for (String a : cl.getArgList()) {
            traces.add(Path.of(a));
        }
        Path work = Path.of(cl.getOptionValue("work", Path.of("target", "kernel-check").toString()));
        int chunk = (int) Cli.number(cl, "chunk", 100, 1, Integer.MAX_VALUE);
        int jobs = (int) Cli.number(cl, "jobs", Runtime.getRuntime().availableProcessors(), 1, 256);
        KernelCheck.Route route = cl.hasOption("via-tlc") ? KernelCheck.Route.TLC_CLI : KernelCheck.Route.IN_PROCESS;
        for (Path t : traces) {
            if (!Files.isRegularFile(t)) {
                throw UsageException.badInput(t + ": no such file");
            }
        }
        if (traces.size() > 1) {
            java.util.List<KernelCheck.Report> rs = KernelCheck.runAll(traces, work, chunk, KernelCheck.Env.fromSystem(),
                    route, jobs);
            int worst = 0;
            for (int k = 0; k < rs.size(); k++) {
                String line = KernelCheck.verdictLine(traces.get(k), rs.get(k));
                (rs.get(k).exitCode() == ExitCode.USAGE ? err : out).println(line);
                worst = ExitCode.worst(worst, rs.get(k).exitCode());
            }
            return worst;
        }
        Path trace = traces.get(0);
        KernelCheck.Report r = KernelCheck.run(trace, work, chunk, KernelCheck.Env.fromSystem(), route);
        if (r.exitCode() == ExitCode.USAGE) {
            err.println("mmucheck kernel-check: " + String.join("; ", r.diagnosis()));
            return ExitCode.USAGE;
        }
        KernelCheck.render(r).forEach(out::println);
        return r.exitCode();
    }
}
