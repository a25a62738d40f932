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
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;
import java.util.concurrent.TimeUnit;

/**
 * {@code mmucheck kernel-capture --out DIR [--smp 2] [--threads 3] [--iters 200] [--notifier] [--fork]}:
 * runs kernel/capture.sh (Debian's kernel under qemu TCG, ftrace) with a bounded timeout.
 */
final class KernelCaptureCommand implements Command {
    /** Options passed to kernel/capture.sh as they are: name, and whether it takes a positive integer. */
    private static final String[] NUMERIC = {"smp", "threads", "iters", "timeout"};

    @Override
    public String summary() {
        return "capture a Linux ftrace trace under qemu (kernel/capture.sh): --out DIR [--notifier] [--fork]";
    }

    @Override
    public String synopsis() {
        return "--out DIR [--smp N] [--threads N] [--iters N] [--notifier] [--fork] [--mprotect] [--madv-free] [--pageout] "
                + "[--migrate] [--ksm] [--timeout SECS] [--cache DIR] [--kernel TREE | --build VARIANT]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("out", "DIR", "where the trace and the capture's log go"),
                Cli.valued("smp", "N", "virtual CPUs of the guest (default 2)"),
                Cli.valued("threads", "N", "threads of the workload (default 3)"),
                Cli.valued("iters", "N", "iterations per thread (default 200)"),
                Cli.flag("notifier", "also register an MMU notifier (the test module)"),
                Cli.flag("fork", "also fork during the workload"),
                Cli.flag("mprotect", "also a thread flipping mprotect(PROT_READ/PROT_WRITE)"),
                Cli.flag("madv-free", "also a thread doing MADV_FREE"),
                Cli.flag("pageout", "also a thread doing MADV_PAGEOUT (reclaim to zram swap)"),
                Cli.flag("migrate", "also a thread doing move_pages(2) between two NUMA nodes"),
                Cli.flag("ksm", "also a thread with MADV_MERGEABLE pages and ksmd running"),
                Cli.valued("kernel", "TREE", "boot this built kernel tree (bzImage and vmlinux) instead of Debian's"),
                Cli.valued("build", "VARIANT", "build the kernel first (kernel/build-kernel.sh): nobug, "
                        + "bug-no-nested-flush, bug-no-batched-pending"),
                Cli.valued("timeout", "SECS", "bound on qemu's run (default 300)"),
                Cli.valued("cache", "DIR", "where the kernel and initramfs are cached"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(cl);
        List<String> cmd = new ArrayList<>();
        Path script = Path.of(System.getProperty("mmucheck.root", "."), "kernel", "capture.sh");
        cmd.add("bash");
        cmd.add(script.toString());
        long timeout = 300;
        for (String n : NUMERIC) {
            if (cl.hasOption(n)) {
                String v = cl.getOptionValue(n);
                if (!v.matches("[1-9][0-9]{0,4}")) {
                    throw new UsageException("--" + n + " takes a positive integer, got '" + v + "'");
                }
                if (n.equals("timeout")) {
                    timeout = Long.parseLong(v);
                }
            }
        }
        Cli.required(cl, "out");
        boolean building = cl.hasOption("build");
        if (building && !cl.getOptionValue("build").matches("[a-z][a-z0-9-]*")) {
            throw new UsageException("--build takes a variant name (nobug, bug-no-nested-flush, ...), got '"
                    + cl.getOptionValue("build") + "'");
        }
        for (org.apache.commons.cli.Option o : cl.getOptions()) {
            cmd.add("--" + o.getLongOpt());
            if (o.hasArg()) {
                cmd.add(o.getValue());
            }
        }
        if (!Files.isRegularFile(script)) {
            throw UsageException.badInput(script + " not found (set -Dmmucheck.root to the repository)");
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
                return ExitCode.TIMEOUT;
            }
            pump.join(5000);
            int rc = p.exitValue();
            // capture.sh: 0 captured, 1 the workload failed, 2 bad arguments; anything else is its crash
            return rc == 0 ? ExitCode.OK : rc == 1 ? ExitCode.VIOLATION : rc == 2 ? ExitCode.USAGE : ExitCode.INTERNAL;
        } catch (IOException e) {
            err.println("mmucheck kernel-capture: cannot run " + script + ": " + e.getMessage());
            return ExitCode.INTERNAL;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("mmucheck kernel-capture: interrupted");
            return ExitCode.INTERNAL;
        }
    }
}
