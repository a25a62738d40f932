package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Perturbed real traces are rejected, and the diagnosis names the kernel event. */
class KernelMutationTest {
    @TempDir
    Path tmp;

    /** Both routes judge the mutated trace; they must give the same diagnosis. */
    private KernelCheck.Report check(FtraceMutations.Mutation m) {
        assertNotNull(m, "the trace offers a place for this mutation");
        KernelCheck.Report r = KernelCheck.run(m.events(), "mutated", tmp.resolve("work"), 100, KernelTraces.env(), 0,
                KernelCheck.Route.IN_PROCESS);
        KernelCheck.Report cli = KernelCheck.run(m.events(), "mutated", tmp.resolve("cli"), 100, KernelTraces.env(), 0,
                KernelCheck.Route.TLC_CLI);
        assertEquals(cli.kind(), r.kind());
        assertEquals(cli.diagnosis(), r.diagnosis());
        return r;
    }

    private static void assertRejected(KernelCheck.Report r, String invariant, String... mentions) {
        String d = String.join("\n", r.diagnosis());
        assertEquals(TlcTraceCheck.Kind.VIOLATION, r.kind(), d);
        assertTrue(r.diagnosis().get(0).contains("violates " + invariant), d);
        for (String s : mentions) {
            assertTrue(d.contains(s), "diagnosis should mention '" + s + "':\n" + d);
        }
    }

    @Test
    void droppedFlushTlbFuncIsAUseAfterFree() {
        FtraceMutations.Mutation m = FtraceMutations.dropFlush(KernelTraces.events(KernelTraces.ZAP));
        KernelCheck.Report r = check(m);
        assertRejected(r, "NoFreedPageReachable", "may still cache pfn", "no flush_tlb_func covering it ran there");
    }

    @Test
    void freeMovedBeforeItsFlushIsAUseAfterFree() {
        FtraceMutations.Mutation m = FtraceMutations.freeBeforeFlush(KernelTraces.events(KernelTraces.ZAP));
        KernelCheck.Report r = check(m);
        // the diagnosis points at the moved mm_page_free itself
        assertRejected(r, "NoFreedPageReachable", "page_free(pfn=", "ftrace line " + m.target().line() + ":",
                "mm_page_free");
        Golden.assertMatches("kernel-check-free-before-flush.txt", KernelCheck.render(r));
    }

    @Test
    void droppedMmuNotifierInvalidateRangeEndLeavesTheBracketOpen() {
        FtraceMutations.Mutation m = FtraceMutations.dropMnEnd(KernelTraces.events(KernelTraces.NOTIFIER));
        KernelCheck.Report r = check(m);
        assertRejected(r, "NotifierPaired", "sys_exit(", "mn_start", "no matching _end");
    }

    @Test
    void nestedGatherThatClearedNothingMustStillFlush() {
        // the concurrent MADV_DONTNEED race of 2017: the gather saw only pte_none
        FtraceMutations.Mutation m = FtraceMutations.nestedEmptyGatherSkipsFlush(KernelTraces.events(KernelTraces.FORK));
        KernelCheck.Report r = check(m);
        assertRejected(r, "NestedFlushBeforeReturn", "saw pending=", "ftrace line " + m.target().line() + ":");
    }

    @Test
    void nestedGatherWithoutItsFullFlushReturnsStale() {
        // 99baac21e458: a gather that saw tlb_flush_pending > 1 must flush TLB_FLUSH_ALL
        FtraceMutations.Mutation m = FtraceMutations.nestedWithoutFullFlush(KernelTraces.events(KernelTraces.ZAP));
        KernelCheck.Report r = check(m);
        assertRejected(r, "NestedFlushBeforeReturn", "saw pending=",
                "ftrace line " + m.target().line() + ":", "no flush_tlb_mm_range(TLB_FLUSH_ALL)");
    }
}
