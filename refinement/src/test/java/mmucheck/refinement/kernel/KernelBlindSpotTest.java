package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The mutants KernelView accepted as "holds" before issue 19, on the committed traces: each
 * kind is now rejected by the translator's model wherever it does harm (narrowed ranges and
 * double frees always), and the in-process checker rejects the first of each kind naming the
 * ftrace line.
 */
class KernelBlindSpotTest {
    private static final int CAP = 12; // mutants per kind and trace
    private static final List<String> TRACES = List.of(KernelTraces.ZAP, KernelTraces.NOTIFIER, KernelTraces.FORK);

    @TempDir
    Path tmp;

    /** The mutants of a kind over the small traces, and those the translator's model rejects. */
    private static List<FtraceMutations.Mutation> rejected(String kind, List<FtraceMutations.Mutation> all) {
        for (String t : TRACES) {
            all.addAll(FtraceMutations.blindSpot(KernelTraces.events(t), kind, CAP));
        }
        List<FtraceMutations.Mutation> r = new ArrayList<>();
        for (FtraceMutations.Mutation m : all) {
            if (!FtraceMutations.javaVerdict(m).isEmpty()) {
                r.add(m);
            } else if (Boolean.getBoolean("mmucheck.debug")) {
                System.out.println("  accepted: " + m.description());
            }
        }
        System.out.println("issue 19 mutants " + kind + ": " + r.size() + "/" + all.size() + " rejected");
        return r;
    }

    private KernelCheck.Report check(FtraceMutations.Mutation m) {
        return KernelCheck.run(m.events(), "mutated", tmp.resolve("work"), 100, KernelTraces.env(), 0,
                KernelCheck.Route.IN_PROCESS);
    }

    private static String text(KernelCheck.Report r) {
        return String.join("\n", r.diagnosis());
    }

    @Test
    void aNarrowedFlushTlbFuncRangeIsNotAStep() {
        List<FtraceMutations.Mutation> all = new ArrayList<>();
        List<FtraceMutations.Mutation> r = rejected("narrowed-flush-func", all);
        assertFalse(all.isEmpty());
        assertEquals(all.size(), r.size(), "flush_tlb_func's own range must be the flush's");
        // a range narrowed under a partial flush's page count is bad input naming the tracepoint's line
        FtraceMutations.Mutation steps = null;
        for (FtraceMutations.Mutation m : r) {
            String v = FtraceMutations.javaVerdict(m);
            if (v.startsWith("bad input")) {
                assertTrue(v.matches("bad input: mutation:\\d+: tlb_flush: field pages:\\d+ is not the size of its"
                        + " flush_tlb_func's range \\(line " + m.target().line() + ", .*"), v);
            } else if (steps == null) {
                steps = m;
            }
        }
        KernelCheck.Report rep = check(steps);
        assertEquals(TlcTraceCheck.Kind.NOT_A_STEP, rep.kind(), text(rep));
        assertTrue(text(rep).contains("its range is not the one that flush_tlb_mm_range asked for"), text(rep));
        assertTrue(text(rep).contains("at ftrace line " + steps.target().line() + ":"), text(rep));
    }

    @Test
    void aRemoteFlushThatFlushedNothingLeavesTheFreedPageReachable() {
        List<FtraceMutations.Mutation> all = new ArrayList<>();
        List<FtraceMutations.Mutation> r = rejected("remote-pages-zero", all);
        assertFalse(r.isEmpty(), "some pages:0 mutant does harm");
        KernelCheck.Report rep = check(r.get(0));
        assertEquals(TlcTraceCheck.Kind.VIOLATION, rep.kind(), text(rep));
        assertTrue(text(rep).contains("violates NoFreedPageReachable"), text(rep));
        // the diagnosis names the mutated tracepoint: the flush_tlb_func it ended flushed nothing
        assertTrue(text(rep).contains("pages 0) was ftrace line ") && text(rep).contains("ended at ftrace line "
                + r.get(0).target().line()), text(rep));
    }

    @Test
    void aPageFreedAgainAfterItsGatherReturnedIsADoubleFree() {
        List<FtraceMutations.Mutation> all = new ArrayList<>();
        List<FtraceMutations.Mutation> r = rejected("freed-twice-after-return", all);
        assertFalse(all.isEmpty());
        assertEquals(all.size(), r.size(), "every second free is rejected");
        KernelCheck.Report rep = check(r.get(0));
        assertEquals(TlcTraceCheck.Kind.NOT_A_STEP, rep.kind(), text(rep));
        assertTrue(text(rep).contains("was freed before (the view saw no allocation of it since): a double free"), text(rep));
        assertTrue(text(rep).contains("at ftrace line " + r.get(0).target().line() + ":"), text(rep));
    }

    @Test
    void aMappedPageFreedWithoutItsGatherIsNotAStep() {
        List<FtraceMutations.Mutation> all = new ArrayList<>();
        List<FtraceMutations.Mutation> r = rejected("freed-without-gather", all);
        assertFalse(r.isEmpty(), "some dropped queue line leaves a mapped page freed");
        KernelCheck.Report rep = check(r.get(0));
        assertEquals(TlcTraceCheck.Kind.NOT_A_STEP, rep.kind(), text(rep));
        assertTrue(text(rep).contains("and is freed without going through a gather"), text(rep));
        assertTrue(text(rep).contains("at ftrace line " + r.get(0).target().line() + ":"), text(rep));
    }

    @Test
    void aLazyCpuLeftOutWhilePageTablesAreFreedCanWalkThem() {
        List<FtraceMutations.Mutation> all = new ArrayList<>();
        for (String t : List.of(KernelTraces.ZAP, KernelTraces.NOTIFIER, KernelTraces.FORK)) {
            all.addAll(FtraceMutations.blindSpot(KernelTraces.events(t), "lazy-cpu-skipped-tables", CAP));
        }
        List<FtraceMutations.Mutation> r = new ArrayList<>();
        for (FtraceMutations.Mutation m : all) {
            if (FtraceMutations.javaVerdict(m).contains("NoFreedPageReachable")) {
                r.add(m);
            }
        }
        System.out.println("issue 19 mutants lazy-cpu-skipped-tables: " + r.size() + "/" + all.size() + " rejected");
        assertFalse(r.isEmpty(), "some lazy CPU's IPI was needed");
        KernelCheck.Report rep = check(r.get(0));
        assertEquals(TlcTraceCheck.Kind.VIOLATION, rep.kind(), text(rep));
        assertTrue(text(rep).contains("lazily borrows mm") && text(rep).contains("page-table page"), text(rep));
    }
}
