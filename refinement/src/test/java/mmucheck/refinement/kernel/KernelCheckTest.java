package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The captured traces hold under KernelView (the in-process checker over the full-state logs; TLC's CLI agrees). */
class KernelCheckTest {
    @TempDir
    Path tmp;

    private KernelCheck.Report check(String trace) {
        KernelCheck.Report r = KernelCheck.run(KernelTraces.file(trace), tmp.resolve("work"), 100, KernelTraces.env());
        assertNotNull(r.stats(), String.join("\n", r.diagnosis()));
        return r;
    }

    @Test
    void concurrentMadviseDontneedTraceHolds() {
        KernelCheck.Report r = check(KernelTraces.ZAP);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
        assertTrue(r.stats().nestedOwed() > 0, "the trace exercises the nested flush of 99baac21e458");
        assertTrue(r.stats().javaViolations().isEmpty());
        Golden.assertMatches("kernel-check-zap.txt", KernelCheck.render(r));
        KernelCheck.Report cli = KernelCheck.run(KernelTraces.file(KernelTraces.ZAP), tmp.resolve("cli"), 100,
                KernelTraces.env(), KernelCheck.Route.TLC_CLI);
        assertEquals(r.kind(), cli.kind());
        assertEquals(r.diagnosis(), cli.diagnosis());
    }

    @Test
    void kvmNotifierTraceHolds() {
        KernelCheck.Report r = check(KernelTraces.NOTIFIER);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
        long mn = r.stats().steps();
        assertTrue(mn > 0);
    }

    @Test
    void forkCowTraceHolds() {
        KernelCheck.Report r = check(KernelTraces.FORK);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
        assertTrue(r.stats().mms() > 2, "parent, children and the exec'ed-away mm");
    }
}
