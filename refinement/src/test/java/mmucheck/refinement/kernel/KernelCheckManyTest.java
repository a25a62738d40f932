package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mmucheck.cli.Main;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code kernel-check} of several traces (issue 14): --jobs at a time, one verdict line each, exit code the worst. */
class KernelCheckManyTest {
    @TempDir
    Path tmp;

    @Test
    void severalTracesGiveOneVerdictLineEachInOrderAndTheWorstExitCode() throws IOException {
        Path holds = tmp.resolve("holds.txt");
        Files.writeString(holds, LazyTlbSwitchTest.TRACE);
        Path uaf = tmp.resolve("uaf.txt");
        Files.writeString(uaf, LazyTlbSwitchTest.TRACE.replace("21: tlb_flush: pages:-1", "21: tlb_flush: pages:0"));
        Path bad = tmp.resolve("bad.txt");
        Files.writeString(bad, LazyTlbSwitchTest.TRACE.replace("(0)\n", "(9)\n"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] args = {"kernel-check", holds.toString(), uaf.toString(), bad.toString(), holds.toString(),
                "--work", tmp.resolve("work").toString(), "--jobs", "2"};
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        assertEquals(2, code, err.toString(StandardCharsets.UTF_8));
        String h = "KernelView holds on holds.txt: 18 steps from 22 ftrace events";
        assertEquals(List.of(h,
                uaf + ": seq 17 switch_mm_irqs_off_return(c=1, flushed=false) violates NoFreedPageReachable: A page was"
                        + " freed while a CPU that runs its mm may still hold its translation (or, for a page table, walk"
                        + " it from a lazy CPU): that CPU can still load and store through the freed page (use-after-free).",
                h), out.toString(StandardCharsets.UTF_8).lines().toList());
        assertEquals(List.of(bad + ":3: tlb_flush: field reason (9) is not a tlb_flush_reason (0..4)"),
                err.toString(StandardCharsets.UTF_8).lines().toList());
    }
}
