package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Malformed ftrace input (issue 18): each kind a hostile user tried on the committed traces is
 * one error line naming the file, the ftrace line and the field, never an internal error and
 * never "holds".
 */
class FtraceInputTest {
    static final String NAME = "zap-smp2-t3-i12.txt.gz";

    @TempDir
    Path tmp;

    static List<String> text(String trace) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(
                new GZIPInputStream(Files.newInputStream(KernelTraces.file(trace))), StandardCharsets.UTF_8))) {
            return new ArrayList<>(r.lines().toList());
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static FtraceParser.Result parse(List<String> lines, String where) {
        try {
            return FtraceParser.parse(new BufferedReader(new StringReader(String.join("\n", lines) + "\n")), where);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The zap trace with ftrace line n (1-based) rewritten. */
    private static String error(int n, UnaryOperator<String> edit) {
        List<String> t = text(KernelTraces.ZAP);
        String before = t.get(n - 1);
        t.set(n - 1, edit.apply(before));
        assertFalse(before.equals(t.get(n - 1)), "the edit changes line " + n);
        FtraceParser.Result r = parse(t, NAME);
        assertFalse(r.ok(), "line " + n + " accepted: " + t.get(n - 1));
        assertTrue(r.error().startsWith(NAME + ":" + n + ": "), r.error());
        return r.error();
    }

    // the kinds of issue 18, on the lines of the zap trace they were tried on

    @Test
    void numbersTooLargeForAnIntOrALong() {
        assertEquals(NAME + ":36: flush: CPU [99999999999] is beyond 64 CPUs",
                error(36, l -> l.replace("[001]", "[99999999999]")));
        assertEquals(NAME + ":36: flush: the task's pid 99999999999 is not a pid (0..4194304)",
                error(36, l -> l.replace("init-1 ", "init-99999999999 ")));
        assertEquals(NAME + ":36: flush: the task's pid 9999999999 is not a pid (0..4194304)",
                error(36, l -> l.replace("init-1 ", "init-9999999999 ")));
        assertEquals(NAME + ":36: flush: timestamp 9999999999999999999 is out of range",
                error(36, l -> l.replace(" 27: ", " 9999999999999999999: ")));
        assertEquals(NAME + ":36: flush: timestamp 99999999999999999999 is out of range",
                error(36, l -> l.replace(" 27: ", " 99999999999999999999: ")));
        assertEquals(NAME + ":382: flush_func: field initiator=99999999999 is beyond 64 CPUs",
                error(382, l -> l.replace("initiator=0", "initiator=99999999999")));
        assertEquals(NAME + ":36: flush: field mm=0x99999999999999999 is not a 0x-hexadecimal 64-bit value",
                error(36, l -> l.replace("mm=0xff1df92d41056400", "mm=0x99999999999999999")));
    }

    @Test
    void aLineCutInTheMiddle() {
        String l = text(KernelTraces.ZAP).get(1250);
        assertEquals(NAME + ":1251: sys_madvise: not '(arg: value, ...)' (a cut line?)",
                error(1251, x -> x.substring(0, l.indexOf("len_in") + 3)));
        assertEquals(NAME + ":383: tlb_flush: not 'pages:N reason:TEXT (N)' (a cut line?)",
                error(383, x -> x.substring(0, x.indexOf("reason:") + 9)));
        assertEquals(NAME + ":382: flush_func: field initiator is missing (a cut line?)",
                error(382, x -> x.substring(0, x.indexOf(" initiator="))));
        assertEquals(NAME + ":382: flush_func: field initiator expected, found 'initia'",
                error(382, x -> x.substring(0, x.indexOf(" initiator=") + 7)));
    }

    @Test
    void aFlushWithANegativeOrEmptyRange() {
        assertEquals(NAME + ":381: flush: field start=-0x4b9000 is not a 0x-hexadecimal 64-bit value",
                error(381, l -> l.replace("start=0x4b9000", "start=-0x4b9000")));
        assertEquals(NAME + ":381: flush: field start=0x4ba000 is not below end=0x4ba000",
                error(381, l -> l.replace("start=0x4b9000", "start=0x4ba000")));
        assertEquals(NAME + ":381: flush: field start=0xfffffffffffff000 is not a page-aligned user address (at most"
                + " 0x100000000000000) nor TLB_FLUSH_ALL",
                error(381, l -> l.replace("start=0x4b9000", "start=0xfffffffffffff000")));
    }

    @Test
    void badPagesAndReasonOfTlbFlush() {
        assertEquals(NAME + ":383: tlb_flush: field pages:-2 is neither TLB_FLUSH_ALL (-1) nor a count of user pages",
                error(383, l -> l.replace("pages:1", "pages:-2")));
        assertEquals(NAME + ":383: tlb_flush: field pages:x1 is not a decimal integer",
                error(383, l -> l.replace("pages:1", "pages:x1")));
        assertEquals(NAME + ":383: tlb_flush: field reason (7) is not a tlb_flush_reason (0..4)",
                error(383, l -> l.replace("(3)", "(7)")));
        assertEquals(NAME + ":383: tlb_flush: field reason:local mm shootdown (1) names another reason than its number"
                + " (remote shootdown)", error(383, l -> l.replace("(3)", "(1)")));
    }

    @Test
    void aCpuBeyondTheCapturesCpus() {
        // #P:2 in the header and smp=2 in the capture's marker
        assertEquals(NAME + ":382: flush_func: field initiator=2 is not a CPU of the capture (0..1)",
                error(382, l -> l.replace("initiator=0", "initiator=2")));
        assertEquals(NAME + ":36: flush: CPU [2] is not a CPU of the capture (2 by the capture's marker (smp=2, line 13))",
                error(36, l -> l.replace("[001]", "[002]")));
        assertEquals(NAME + ":37: flush_multi: field mask=0x7 names a CPU beyond the capture's 2",
                error(37, l -> l.replace("mask=0x3", "mask=0x7")));
    }

    @Test
    void unknownEventsAndFieldsAndTimestampsOutOfOrder() {
        assertEquals(NAME + ":36: flushx: not an event kernel/capture.sh enables",
                error(36, l -> l.replace("flush:", "flushx:")));
        assertEquals(NAME + ":36: flush: unexpected text after its fields: 'pages=3'",
                error(36, l -> l + " pages=3"));
        assertEquals(NAME + ":36: flush: field freed=2 is not 0 or 1", error(36, l -> l.replace("freed=1", "freed=2")));
        assertEquals(NAME + ":36: flush: timestamp 3 is not after the one of line 35 (events out of order)",
                error(36, l -> l.replace(" 27: ", " 3: ")));
        assertEquals(NAME + ":36: flush: the probe point '(flush_tlb_func+0x0/0x170)' is not flush_tlb_mm_range",
                error(36, l -> l.replace("flush_tlb_mm_range+", "flush_tlb_func+")));
    }

    // the health file's CPU count

    private Path capture(List<String> lines, String health) throws IOException {
        Path trace = tmp.resolve("t.txt");
        Files.write(trace, lines);
        if (health != null) {
            Files.writeString(tmp.resolve("t.health.txt"), health);
        }
        return trace;
    }

    @Test
    void theHealthFilesCpuCountBoundsTheCpus() throws IOException {
        List<String> t = text(KernelTraces.ZAP);
        String health = "kernel linux-image-6.1.0-56-amd64\noptions smp=%s threads=3 iters=12 fork=0 notifier=0\n";
        assertTrue(FtraceParser.read(capture(t, health.formatted(2))).ok(), "the capture as it was");
        assertEquals(2, FtraceParser.read(capture(t, health.formatted(2))).cpus());
        assertEquals(tmp.resolve("t.txt") + ": t.health.txt (smp=1) and the trace header (#P:2) disagree on the CPU count",
                FtraceParser.read(capture(t, health.formatted(1))).error());
        // without the header, the marker disagrees; without both, a CPU beyond the health file's count
        List<String> noHeader = new ArrayList<>(t);
        noHeader.set(2, "#");
        assertEquals(tmp.resolve("t.txt") + ":13: tracing_mark_write: field smp=2 disagrees with t.health.txt (smp=1)",
                FtraceParser.read(capture(noHeader, health.formatted(1))).error());
        noHeader.set(12, noHeader.get(12).replace("smp=2", "smp=1"));
        assertEquals(tmp.resolve("t.txt") + ":13: tracing_mark_write: CPU [1] is not a CPU of the capture (1 by the"
                + " capture's marker (smp=1, line 13))", FtraceParser.read(capture(noHeader, health.formatted(1))).error());
        assertEquals(tmp.resolve("t.health.txt") + ":2: options: field smp=two is not a CPU count (1..64)",
                FtraceParser.read(capture(t, health.formatted("two"))).error());
    }

    @Test
    void kernelCheckAnswersMalformedInputWithExitTwoAndTheLine() throws IOException {
        List<String> t = text(KernelTraces.ZAP);
        t.set(382, t.get(382).replace("(3)", "(9)"));
        KernelCheck.Report r = KernelCheck.run(capture(t, null), tmp.resolve("work"), 100, KernelTraces.env());
        assertEquals(2, r.exitCode());
        assertEquals(List.of(tmp.resolve("t.txt") + ":383: tlb_flush: field reason (9) is not a tlb_flush_reason (0..4)"),
                r.diagnosis());
    }
}
