package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The traces of issue 13's further kernel paths hold under KernelView, and each contains the
 * path it was captured for (the syscalls and kprobes of kernel-capture's options).
 */
class KernelPathsTest {
    @TempDir
    Path tmp;

    private KernelCheck.Report check(String trace) {
        KernelCheck.Report r = KernelCheck.run(KernelTraces.file(trace), tmp.resolve("work"), 100, KernelTraces.env());
        assertNotNull(r.stats(), String.join("\n", r.diagnosis()));
        return r;
    }

    private static long count(String trace, String event) {
        return KernelTraces.events(trace).stream().filter(e -> e.name().equals(event)).count();
    }

    @Test
    void mprotectMadvFreeMigrationAndKsmTraceHoldsWithAFaultRaceUnderAFlushIpi() {
        for (String e : List.of("sys_mprotect", "sys_move_pages", "ksm_wpp", "migrate")) {
            assertTrue(count(KernelTraces.PATHS, e) > 0, "the trace exercises " + e);
        }
        // Task 96 allocates pfn 0xfeae in a fault (ftrace line 457), a flush IPI runs
        // flush_tlb_func on top of it (hardirq, 'dNh1.', lines 482-483), and the task frees the
        // page of its lost fault race (line 484). The IPI is not the task going on: the page was
        // never mapped, and its free is no free without a gather (issue 19's false alarm).
        List<FtraceEvent> ev = KernelTraces.events(KernelTraces.PATHS);
        FtraceEvent ipi = ev.stream().filter(e -> e.line() == 482).findFirst().orElseThrow();
        assertEquals("flush_func", ipi.name());
        assertEquals(96, ipi.pid());
        assertTrue(ipi.interrupt(), ipi.text());
        KernelCheck.Report r = check(KernelTraces.PATHS);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
    }

    @Test
    void cowUnderAnMmuNotifierTraceHolds() {
        // CoW faults of the parent (its pages write-protected by fork) inside KVM's notifier bracket
        List<FtraceEvent> ev = KernelTraces.events(KernelTraces.COW_NOTIFIER);
        int bracketed = 0;
        java.util.Map<Integer, Boolean> inCow = new java.util.HashMap<>();
        for (FtraceEvent e : ev) {
            switch (e.name()) {
                case "cow" -> inCow.put(e.pid(), true);
                case "cow_ret" -> inCow.remove(e.pid());
                case "mn_start" -> bracketed += inCow.remove(e.pid()) != null ? 1 : 0;
                default -> {}
            }
        }
        assertTrue(bracketed > 0, "CoW faults under the notifier: " + bracketed);
        KernelCheck.Report r = check(KernelTraces.COW_NOTIFIER);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
        assertTrue(r.stats().mms() > 2, "parent and children");
    }
}
