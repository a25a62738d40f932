package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.kernel.KernelCheck;

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
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Path trace = null;
        Path work = Path.of("target", "kernel-check");
        int chunk = 100;
        KernelCheck.Route route = KernelCheck.Route.IN_PROCESS;
        for (int k = 0; k < args.length; k++) {
            switch (args[k]) {
                case "--work" -> work = Path.of(value(args, ++k, "--work"));
                case "--via-tlc" -> route = KernelCheck.Route.TLC_CLI;
                case "--chunk" -> {
                    try {
                        chunk = Integer.parseInt(value(args, ++k, "--chunk"));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--chunk takes a positive integer");
                    }
                    if (chunk < 1) {
                        throw new UsageException("--chunk takes a positive integer");
                    }
                }
                default -> {
                    if (args[k].startsWith("-") || trace != null) {
                        throw new UsageException("unexpected argument '" + args[k]
                                + "' (usage: kernel-check TRACE [--work DIR] [--via-tlc [--chunk N]])");
                    }
                    trace = Path.of(args[k]);
                }
            }
        }
        if (trace == null) {
            throw new UsageException("usage: kernel-check TRACE [--work DIR] [--via-tlc [--chunk N]]");
        }
        if (!Files.isRegularFile(trace)) {
            throw new UsageException(trace + ": no such file");
        }
        KernelCheck.Report r = KernelCheck.run(trace, work, chunk, KernelCheck.Env.fromSystem(), route);
        if (r.exitCode() == ExitCode.USAGE) {
            err.println("mmucheck kernel-check: " + String.join("; ", r.diagnosis()));
            return ExitCode.USAGE;
        }
        KernelCheck.render(r).forEach(out::println);
        return r.exitCode();
    }

    static String value(String[] args, int k, String opt) throws UsageException {
        if (k >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[k];
    }
}
