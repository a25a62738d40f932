package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import mmucheck.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfEnvironmentVariable;
import org.junit.jupiter.api.io.TempDir;

/**
 * Boots Debian's kernel under qemu and checks the fresh trace. Slow (about a minute) and
 * needs root for apt-get: runs only when MMUCHECK_KERNEL_CAPTURE=1.
 */
@EnabledIfEnvironmentVariable(named = "MMUCHECK_KERNEL_CAPTURE", matches = "1")
class KernelCaptureTest {
    @TempDir
    Path tmp;

    @Test
    void aFreshCaptureHolds() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        int rc = Main.run(new String[] {"kernel-capture", "--out", tmp.toString(), "--iters", "12"}, o, o);
        assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
        rc = Main.run(new String[] {"kernel-check", tmp.resolve("trace.txt.gz").toString(), "--work",
                tmp.resolve("work").toString()}, o, o);
        assertEquals(0, rc, out.toString(StandardCharsets.UTF_8));
    }
}
