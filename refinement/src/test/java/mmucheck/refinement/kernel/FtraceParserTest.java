package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

class FtraceParserTest {
    private static FtraceParser.Result parse(String text) throws IOException {
        return FtraceParser.parse(new BufferedReader(new StringReader(text)), "t.txt");
    }

    @Test
    void kprobeTracepointAndSyscallLinesAreParsed() throws IOException {
        FtraceParser.Result r = parse("""
                # tracer: nop
                         mmuwork-93      [001] .....          944: finish: (tlb_finish_mmu+0x0/0x180) tlb=0xffff88800000ff34 mm=0xffff88800000ff1d pending=2 start=0x7fdb60f55000 end=0x7fdb60f56000
                         mmuwork-92      [000] d..2.          952: tlb_flush: pages:-1 reason:remote shootdown (1)
                         mmuwork-93      [001] ...1.          971: sys_madvise -> 0x0
                         mmuwork-93      [001] ...1.          972: sys_madvise(start: 7fb10a167000, len_in: a000, behavior: 4)
                     kworker/0:1-28      [000] .....         5964: mm_page_free: page=00000000a5651a86 pfn=0x4057 order=0
                """);
        assertTrue(r.ok(), r.error());
        List<FtraceEvent> e = r.events();
        assertEquals(5, e.size());
        assertEquals("finish", e.get(0).name());
        assertEquals(2, e.get(0).num("pending"));
        assertEquals(0x7fdb60f56000L, e.get(0).num("end"));
        assertEquals(1, e.get(0).cpu());
        assertEquals(944, e.get(0).time());
        assertEquals(1, e.get(1).num("reason"));
        assertEquals(-1, e.get(1).num("pages"));
        assertTrue(e.get(2).exit());
        assertFalse(e.get(3).exit());
        assertEquals("sys_madvise", e.get(3).name());
        assertEquals("kworker/0:1", e.get(4).comm());
        assertEquals(0x4057, e.get(4).num("pfn"));
    }

    @Test
    void aMalformedLineIsOneErrorNamingItsLine() throws IOException {
        FtraceParser.Result r = parse("""
                         mmuwork-92      [000] d..2.          652: tlb_flush: pages:-1 reason:remote shootdown (1)
                this is not ftrace
                """);
        assertFalse(r.ok());
        assertEquals("t.txt:2: not an ftrace event line: this is not ftrace", r.error());
    }

    @Test
    void theCommittedTracesParse() {
        for (String t : List.of(KernelTraces.ZAP, KernelTraces.NOTIFIER, KernelTraces.FORK)) {
            assertTrue(KernelTraces.events(t).size() > 1000, t);
        }
    }
}
