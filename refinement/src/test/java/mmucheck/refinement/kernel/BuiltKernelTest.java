package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 13 section 3: Linux 6.1 built from Debian's linux-source-6.1 (kernel/build-kernel.sh),
 * captured with the same workload once unchanged and once with the mm_tlb_flush_nested() forcing
 * removed from tlb_finish_mmu(). The unchanged kernel's trace holds; the buggy kernel's is
 * rejected, and the diagnosis names the gather (its tlb_finish_mmu kprobe hit, with the pending
 * count it sampled) and that event's ftrace line.
 */
class BuiltKernelTest {
    @TempDir
    Path tmp;

    private KernelCheck.Report check(String trace) {
        KernelCheck.Report r = KernelCheck.run(KernelTraces.file(trace), tmp.resolve("work"), 100, KernelTraces.env());
        assertNotNull(r.stats(), String.join("\n", r.diagnosis()));
        return r;
    }

    @Test
    void theUnchangedKernelsTraceHolds() {
        KernelCheck.Report r = check(KernelTraces.BUILT_NOBUG);
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
        assertTrue(r.stats().nestedOwed() > 0, "nested gathers happened, and each flushed TLB_FLUSH_ALL");
    }

    @Test
    void theKernelWithoutTheNestedFlushIsRejectedAtTheGather() {
        KernelCheck.Report r = check(KernelTraces.BUILT_BUG);
        String d = String.join("\n", r.diagnosis());
        assertEquals(TlcTraceCheck.Kind.VIOLATION, r.kind(), d);
        assertTrue(r.diagnosis().get(0).contains("violates NestedFlushBeforeReturn"), d);
        assertTrue(d.contains("saw pending="), d);
        // the ftrace line named is the workload's tlb_finish_mmu kprobe hit
        Matcher m = Pattern.compile("ftrace line (\\d+): (.*)").matcher(d);
        boolean finish = false;
        while (m.find()) {
            finish |= m.group(2).contains("mmuwork") && m.group(2).contains(" finish:");
        }
        assertTrue(finish, "the diagnosis names the gather's tlb_finish_mmu line:\n" + d);
    }
}
