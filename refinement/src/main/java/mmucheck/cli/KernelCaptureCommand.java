package mmucheck.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * {@code mmucheck kernel-capture --out DIR [--smp 2] [--threads 3] [--iters 200] [--notifier] [--fork]}:
 * runs kernel/capture.sh (Debian's kernel under qemu TCG, ftrace) with a bounded timeout.
 */
final class KernelCaptureCommand implements Command {
    private static final Set<String> WITH_VALUE = Set.of("--out", "--smp", "--threads", "--iters", "--timeout", "--cache",
            "--kernel", "--build");
    /** Options whose value is a path or a name, not a count. */
    private static final Set<String> NOT_COUNTS = Set.of("--out", "--cache", "--kernel", "--build");
    private static final Set<String> FLAGS = Set.of("--notifier", "--fork");

    @Override
    public String summary() {
        return "capture a Linux ftrace trace under qemu (kernel/capture.sh): --out DIR [--notifier] [--fork]";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        List<String> cmd = new ArrayList<>();
        Path script = Path.of(System.getProperty("mmucheck.root", "."), "kernel", "capture.sh");
        cmd.add("bash");
        cmd.add(script.toString());
        boolean hasOut = false;
        long timeout = 300;
        boolean building = false;
        for (int k = 0; k < args.length; k++) {
            String a = args[k];
            if (FLAGS.contains(a)) {
                cmd.add(a);
            } else if (WITH_VALUE.contains(a)) {
                String v = KernelCheckCommand.value(args, ++k, a);
                if (!NOT_COUNTS.contains(a) && !v.matches("[1-9][0-9]{0,4}")) {
                    throw new UsageException(a + " takes a positive integer, got '" + v + "'");
                }
                if (a.equals("--build") && !v.matches("[a-z][a-z0-9-]*")) {
                    throw new UsageException("--build takes a variant name (nobug, bug-no-nested-flush, ...), got '" + v + "'");
                }
                building |= a.equals("--build");
                if (a.equals("--timeout")) {
                    timeout = Long.parseLong(v);
                }
                hasOut |= a.equals("--out");
                cmd.add(a);
                cmd.add(v);
            } else {
                throw new UsageException("unknown option '" + a + "' (usage: kernel-capture --out DIR [--smp N] "
                        + "[--threads N] [--iters N] [--notifier] [--fork] [--timeout SECS] [--kernel TREE | --build VARIANT])");
            }
        }
        if (!hasOut) {
            throw new UsageException("--out DIR is required");
        }
        if (!Files.isRegularFile(script)) {
            throw new UsageException(script + " not found (set -Dmmucheck.root to the repository)");
        }
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getOutputStream().close();
            Thread pump = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(),
                        StandardCharsets.UTF_8))) {
                    r.lines().forEach(out::println);
                } catch (IOException e) {
                    // the process went away; its exit code tells the rest
                }
            });
            pump.start();
            // the script bounds qemu by --timeout; installs and the download get 10 more minutes,
            // a kernel build (--build) 4 hours
            long budget = timeout + 600 + (building ? 4 * 3600 : 0);
            if (!p.waitFor(budget, TimeUnit.SECONDS)) {
                p.descendants().forEach(ProcessHandle::destroyForcibly);
                p.destroyForcibly();
                err.println("mmucheck kernel-capture: timed out after " + budget + " s");
                return ExitCode.USAGE;
            }
            pump.join(5000);
            int rc = p.exitValue();
            return rc == 0 ? ExitCode.OK : rc == 1 ? ExitCode.VIOLATION : ExitCode.USAGE;
        } catch (IOException e) {
            err.println("mmucheck kernel-capture: cannot run " + script + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mmucheck kernel-capture: interrupted");
            return ExitCode.USAGE;
        }
    }
}
