package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class KernelCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void kernelCheckWithoutATraceIsAUsageError() {
        assertEquals(ExitCode.USAGE, run("kernel-check"));
        assertEquals("mmucheck kernel-check: missing TRACE\n"
                + "usage: mmucheck kernel-check TRACE... [--work DIR] [--via-tlc [--chunk N]] [--jobs N] (mmucheck kernel-check --help)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void kernelCheckOfAMissingFileNamesIt() {
        assertEquals(ExitCode.USAGE, run("kernel-check", "/no/such/trace.txt.gz"));
        assertEquals("mmucheck kernel-check: /no/such/trace.txt.gz: no such file\n", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void kernelCaptureRejectsBadOptionsBeforeBootingAnything() {
        assertEquals(ExitCode.USAGE, run("kernel-capture", "--iters", "many", "--out", "x"));
        String usage = Cli.usageLine("kernel-capture", new KernelCaptureCommand()) + "\n";
        assertEquals("mmucheck kernel-capture: --iters takes a positive integer, got 'many'\n" + usage,
                err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(ExitCode.USAGE, run("kernel-capture", "--smp", "2"));
        assertEquals("mmucheck kernel-capture: missing --out\n" + usage, err.toString(StandardCharsets.UTF_8));
    }
}
