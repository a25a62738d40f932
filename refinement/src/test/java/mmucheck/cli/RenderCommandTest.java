package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.refinement.report.Golden;
import mmucheck.refinement.report.ItfTrace;
import mmucheck.refinement.report.TraceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RenderCommandTest {
    private static final Path RES = Path.of("src/test/resources");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int render(String... args) {
        return Main.run(prepend("render", args), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String[] prepend(String first, String[] rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    @Test
    void tlcOutputToTextHtmlAndItf(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("s1.html");
        Path itf = tmp.resolve("s1.itf.json");
        assertEquals(ExitCode.OK, render(RES.resolve("tlc-output/S1_gather.out").toString(), "--html", html.toString(),
                "--itf", itf.toString(), "--width", "80"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertTrue(text.startsWith("Trace S1_gather.out: 15 steps\n"), text);
        assertTrue(text.contains("Violated: invariant NoStaleAfterReturn is false"), text);

        String page = Files.readString(html);
        // self-contained: no network resources of any kind
        assertFalse(Pattern.compile("(?i)(https?:|//[a-z]|src\\s*=|<link|@import)").matcher(page).find());
        // one lane per agent
        Matcher lanes = Pattern.compile("<th class=\"lane\" data-lane=\"([^\"]+)\">").matcher(page);
        StringBuilder names = new StringBuilder();
        while (lanes.find()) {
            names.append(lanes.group(1)).append(' ');
        }
        assertEquals("cpu0 cpu1 ", names.toString());
        assertEquals(16, page.split("<tr class=\"step").length - 1); // initial state + 15 steps
        assertTrue(page.contains("const STATES = ["));

        TraceFile back = TraceFile.read(itf, null);
        TraceFile orig = TraceFile.read(RES.resolve("tlc-output/S1_gather.out"),
                Path.of(System.getProperty("mmucheck.root"), "spec", "tla"));
        assertTrue(orig.ending().contains("When MADV_DONTNEED returns"), orig.ending());
        assertEquals(orig.trace(), back.trace());
        assertEquals(orig.ending(), back.ending()); // the violated property travels in #meta.description
        assertEquals(ItfTrace.toJson(orig.trace(), orig.ending(), orig.params()), Files.readString(itf));
        assertTrue(Files.readString(itf).contains("\"params\" : [ \"Scenario\", \"MixedSeed\", \"MixedLength\", \"cpu_flush\", \"secondary\", \"shadow\" ]"));
    }

    @Test
    void logWithPartialStates() throws Exception {
        assertEquals(ExitCode.OK, render(RES.resolve("log_small.ndjson").toString(), "--width", "80"));
        Golden.assertGolden("log_small.80.txt", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void badInputIsOneLineExitTwo(@TempDir Path tmp) throws Exception {
        Path f = tmp.resolve("x.json");
        Files.writeString(f, "{\"states\":[{\"x\":1.5}]}");
        assertEquals(ExitCode.USAGE, render(f.toString()));
        assertEquals("mmucheck render: " + f + ": states[0].x: not an integer: 1.5\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(ExitCode.USAGE, render(tmp.resolve("none").toString()));
        assertEquals("mmucheck render: " + tmp.resolve("none") + ": file not found\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(ExitCode.USAGE, render());
        assertEquals("mmucheck render: missing FILE\n"
                + "usage: mmucheck render FILE [--html OUT] [--itf OUT] [--width N] [--full] (mmucheck render --help)\n",
                err.toString(StandardCharsets.UTF_8));
    }

    /**
     * Issue 17 item 3: TLC's plain output and -difftrace output (with and without -tool), all
     * from one run of S1_gather, render as the same trace: every action in its agent's lane, the
     * hardware TLB fill bracketed, no "other" lane.
     */
    @Test
    void plainAndDifftraceOutputRenderLikeToolOutput() throws Exception {
        Path spec = Path.of(System.getProperty("mmucheck.root"), "spec", "tla");
        TraceFile plain = TraceFile.read(RES.resolve("tlc-output/S1_gather.plain.out"), spec);
        TraceFile diff = TraceFile.read(RES.resolve("tlc-output/S1_gather.difftrace.out"), spec);
        TraceFile plainDiff = TraceFile.read(RES.resolve("tlc-output/S1_gather.plain-difftrace.out"), spec);
        assertEquals(16, plain.trace().steps().size());
        assertEquals(plain.trace(), diff.trace());
        assertEquals(plain.trace(), plainDiff.trace());
        assertEquals(plain.ending(), diff.ending());
        assertEquals(plain.ending(), plainDiff.ending());
        assertTrue(plain.ending().contains("NoStaleAfterReturn"), plain.ending());
        // every state whole: the difftrace's states were completed from the one before
        for (var st : diff.trace().steps()) {
            assertEquals(plain.trace().vars(), List.copyOf(st.state().keySet()));
        }
        assertEquals(ExitCode.OK, render(RES.resolve("tlc-output/S1_gather.plain-difftrace.out").toString(), "--width", "80"));
        String text = out.toString(StandardCharsets.UTF_8);
        assertFalse(text.contains(" other "), text);
        Golden.assertGolden("S1_gather.difftrace.80.txt", text);
    }
}
