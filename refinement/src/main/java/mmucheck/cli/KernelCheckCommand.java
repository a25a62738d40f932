package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.kernel.KernelCheck;

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
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        java.util.List<Path> traces = new java.util.ArrayList<>();
        int jobs = Runtime.getRuntime().availableProcessors();
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
                case "--jobs" -> {
                    try {
                        jobs = Integer.parseInt(value(args, ++k, "--jobs"));
                    } catch (NumberFormatException e) {
                        throw new UsageException("--jobs takes a positive integer");
                    }
                    if (jobs < 1) {
                        throw new UsageException("--jobs takes a positive integer");
                    }
                }
                default -> {
                    if (args[k].startsWith("-")) {
                        throw new UsageException("unexpected argument '" + args[k]
                                + "' (usage: kernel-check TRACE [--work DIR] [--via-tlc [--chunk N]])");
                    }
                    traces.add(Path.of(args[k]));
                }
            }
        }
        if (traces.isEmpty()) {
            throw new UsageException("usage: kernel-check TRACE [--work DIR] [--via-tlc [--chunk N]]");
        }
        for (Path t : traces) {
            if (!Files.isRegularFile(t)) {
                throw new UsageException(t + ": no such file");
            }
        }
        if (traces.size() > 1) {
            java.util.List<KernelCheck.Report> rs = KernelCheck.runAll(traces, work, chunk, KernelCheck.Env.fromSystem(),
                    route, jobs);
            int worst = 0;
            for (int k = 0; k < rs.size(); k++) {
                String line = KernelCheck.verdictLine(traces.get(k), rs.get(k));
                (rs.get(k).exitCode() == ExitCode.USAGE ? err : out).println(line);
                worst = Math.max(worst, rs.get(k).exitCode());
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

    static String value(String[] args, int k, String opt) throws UsageException {
        if (k >= args.length) {
            throw new UsageException(opt + " needs a value");
        }
        return args[k];
    }
}
