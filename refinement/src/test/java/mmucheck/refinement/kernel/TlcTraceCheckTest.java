package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TlcTraceCheckTest {
    @TempDir
    Path tmp;

    private Path miniLog() throws IOException {
        Path log = tmp.resolve("mini.ndjson");
        assertTrue(KernelTranslator.translate(KernelTranslatorTest.mini(), log, "mini").ok());
        return log;
    }

    private String generateError(List<String> lines) throws IOException {
        Path bad = tmp.resolve("bad.ndjson");
        Files.write(bad, lines);
        return TlcTraceCheck.generate(bad, tmp.resolve("gen"), 100).error();
    }

    @Test
    void malformedLogsAreRejectedNamingTheLine() throws IOException {
        List<String> lines = Files.readAllLines(miniLog());
        List<String> unknown = new ArrayList<>(lines);
        unknown.set(3, unknown.get(3).replaceFirst("\"action\":\"[a-z_]+\"", "\"action\":\"frobnicate\""));
        assertEquals(tmp.resolve("bad.ndjson") + ":4: KernelView has no action frobnicate", generateError(unknown));
        List<String> truncated = new ArrayList<>(lines.subList(0, lines.size() - 1));
        assertTrue(generateError(truncated).endsWith(": no end line (truncated log)"));
        List<String> gap = new ArrayList<>(lines);
        gap.remove(4);
        assertEquals(tmp.resolve("bad.ndjson") + ":5: seq 4 out of order (expected 3)", generateError(gap));
        List<String> header = new ArrayList<>(lines);
        header.set(0, header.get(0).replace("\"version\":1", "\"version\":2"));
        assertEquals(tmp.resolve("bad.ndjson") + ":1: not an mmucheck-trace version 1 header", generateError(header));
    }

    @Test
    void aPageFreedTwiceIsNotAStepOfTheView() throws IOException {
        // exactly once: a second mm_page_free of the page while its gather runs
        List<FtraceEvent> ev = new ArrayList<>(KernelTranslatorTest.mini());
        FtraceEvent free = ev.stream().filter(e -> e.name().equals("mm_page_free")).findFirst().orElseThrow();
        ev.add(ev.indexOf(free) + 1, free);
        KernelCheck.Report r = KernelCheck.run(ev, "mini", tmp.resolve("w"), 100, KernelTraces.env(), 0,
                KernelCheck.Route.TLC_CLI);
        String d = String.join("\n", r.diagnosis());
        assertEquals(TlcTraceCheck.Kind.NOT_A_STEP, r.kind(), d);
        assertTrue(d.startsWith("seq 14 page_free(pfn=1) is not a step of KernelView here: pfn 0x1 was freed before"
                + " (the view saw no allocation of it since): a double free"), d);
    }

    @Test
    void aLogWhoseStateDisagreesWithTheSpecIsAMismatch() throws IOException {
        Path log = miniLog();
        List<String> lines = Files.readAllLines(log);
        // the log claims, after its last step, that task 7 owes a nested flush: KernelView computes no such debt
        int last = lines.size() - 2;
        lines.set(last, lines.get(last).replace("\"state\":{", "\"state\":{\"owes\":{\"#set\":[7]},"));
        Files.write(log, lines);
        TlcTraceCheck.Verdict v = TlcTraceCheck.check(log, tmp.resolve("w"), 100, KernelTraces.env().specDir(),
                KernelTraces.env().tlcJar());
        assertEquals(TlcTraceCheck.Kind.STATE_MISMATCH, v.kind(), v.toString());
        assertEquals("ChunkEndMatches", v.invariant());
    }
}
