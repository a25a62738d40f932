package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.VerdictReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The captured kernel traces, translated to KernelView logs, checked by the in-process
 * refinement checker (the same one `mmucheck refine` runs) rather than the TLC CLI route.
 */
class KernelInProcessTest {
    @TempDir
    Path tmp;

    private Verdict refine(List<FtraceEvent> events, String name) {
        Path log = tmp.resolve(name + ".ndjson");
        KernelTranslator.Translation tr = KernelTranslator.translate(events, log, name);
        assertTrue(tr.ok(), tr.error());
        return RefinementChecker.checkFile(log, RefinementChecker.Options.defaults());
    }

    @Test
    void everyCapturedTraceRefinesKernelView() {
        for (String t : List.of(KernelTraces.ZAP, KernelTraces.NOTIFIER, KernelTraces.FORK)) {
            Verdict v = refine(KernelTraces.events(t), "trace");
            assertEquals(Verdict.Kind.REFINES, v.kind(), t + ": " + VerdictReport.text(v, t));
        }
    }

    @Test
    void theLongCaptureWithALazySwitchRaceRefinesKernelView() {
        // KernelView rejected it until a switch_mm_irqs_off() became a window (LazyTlbSwitchTest)
        Verdict v = refine(KernelTraces.events(KernelTraces.LAZY), "lazy");
        assertEquals(Verdict.Kind.REFINES, v.kind(), VerdictReport.text(v, "lazy"));
        assertTrue(v.steps() > 35_000, "steps " + v.steps());
    }

    @Test
    void freeMovedBeforeItsFlushViolatesNoFreedPageReachable() {
        FtraceMutations.Mutation m = FtraceMutations.freeBeforeFlush(KernelTraces.events(KernelTraces.ZAP));
        assertNotNull(m);
        Verdict v = refine(m.events(), "mutated");
        assertEquals(Verdict.Kind.VIOLATES, v.kind(), VerdictReport.text(v, "mutated"));
        assertEquals("NoFreedPageReachable", v.invariant());
    }

    @Test
    void droppedMnEndViolatesNotifierPaired() {
        FtraceMutations.Mutation m = FtraceMutations.dropMnEnd(KernelTraces.events(KernelTraces.NOTIFIER));
        assertNotNull(m);
        Verdict v = refine(m.events(), "mutated");
        assertEquals(Verdict.Kind.VIOLATES, v.kind(), VerdictReport.text(v, "mutated"));
        assertEquals("NotifierPaired", v.invariant());
    }
}
