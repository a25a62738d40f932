package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.kernel.KernelCheck;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code mmucheck kernel-check TRACE [--work DIR] [--via-tlc [--chunk N]]}: a captured kernel trace
 * against KernelView, in process (default) or through the TLC CLI.
 */
final class KernelCheckCommand implements Command {
    @Override
    public String summary() {
        return "check a captured Linux ftrace trace against spec/tla/KernelView.tla (in process, or --via-tlc)";
    }

    @Override
    public String synopsis() {
        return "TRACE [--work DIR] [--via-tlc [--chunk N]]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("work", "DIR", "where the translated log goes (default target/kernel-check)"),
                Cli.flag("via-tlc", "check through the TLC command line instead of in process"),
                Cli.valued("chunk", "N", "with --via-tlc: events per TLC run (default 100)"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Path trace = Path.of(Cli.onlyArgument(cl, "TRACE"));
        Path work = Path.of(cl.getOptionValue("work", Path.of("target", "kernel-check").toString()));
        int chunk = (int) Cli.number(cl, "chunk", 100, 1, Integer.MAX_VALUE);
        KernelCheck.Route route = cl.hasOption("via-tlc") ? KernelCheck.Route.TLC_CLI : KernelCheck.Route.IN_PROCESS;
        if (!Files.isRegularFile(trace)) {
            throw UsageException.badInput(trace + ": no such file");
        }
        KernelCheck.Report r = KernelCheck.run(trace, work, chunk, KernelCheck.Env.fromSystem(), route);
        if (r.exitCode() == ExitCode.USAGE) {
            err.println("mmucheck kernel-check: " + String.join("; ", r.diagnosis()));
            return ExitCode.USAGE;
        }
        KernelCheck.render(r).forEach(out::println);
        return r.exitCode();
    }
}
