package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 13 sections 2-3 (kcap, session 6): the built Linux 6.1 (kernel/build-kernel.sh) with both
 * CPUs of -smp 2 online (qemu -smp 2,sockets=2: SeaBIOS's MP table lists one logical CPU per
 * package), one trace per kernel-capture option, the bug-no-batched-pending kernel with the same
 * --pageout workloads as nobug, and the re-captured nested-flush pair. Each verdict is the one this
 * KernelView gives: the reclaim (MADV_PAGEOUT) traces are rejected because the view has no step yet for a
 * page reclaimed outside a gather (try_to_unmap_one's batched flush, issue 13 section 2); the diagnosis names
 * the free's ftrace line and the allocation of the page. Migration's frees are checked against the one-page
 * flush of migrate_pages() (ptep_clear_flush), so the migrate trace holds; ksmd's frees are exempted from the
 * faulted-page check (no probe names the page replace_page() drops), so the KSM trace holds unchecked there.
 */
class BuiltKernelPathsTest {
    @TempDir
    Path tmp;

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', textBlock = """
        built-nobug-mprotect-6.1-smp2real.txt.gz              | HOLDS      | KernelView holds on built-nobug-mprotect-6.1-smp2real.txt.gz: 2397 steps from 11551 ftrace events
        built-nobug-madv-free-6.1-smp2real.txt.gz             | HOLDS      | KernelView holds on built-nobug-madv-free-6.1-smp2real.txt.gz: 2137 steps from 10989 ftrace events
        built-nobug-pageout-6.1-smp2real.txt.gz               | NOT_A_STEP | seq 626 page_free(pfn=7166) is not a step of KernelView here: pfn 0x1bfe was faulted in by task 56 of mm 2 (mm_page_alloc at ftrace line 2248) and is freed without going through a gather
        built-bug-no-batched-pending-pageout-6.1-smp2real.txt.gz | NOT_A_STEP | seq 1005 page_free(pfn=7124) is not a step of KernelView here: pfn 0x1bd4 was faulted in by task 58 of mm 2 (mm_page_alloc at ftrace line 3280) and is freed without going through a gather
        built-nobug-ksm-6.1-smp2real.txt.gz                   | HOLDS      | KernelView holds on built-nobug-ksm-6.1-smp2real.txt.gz: 3520 steps from 15395 ftrace events
        built-nobug-pageout-mprotect-6.1-smp2real.txt.gz      | NOT_A_STEP | seq 936 page_free(pfn=7123) is not a step of KernelView here: pfn 0x1bd3 was faulted in by task 57 of mm 2 (mm_page_alloc at ftrace line 3340) and is freed without going through a gather
        built-bug-no-batched-pending-pageout-mprotect-6.1-smp2real.txt.gz | NOT_A_STEP | seq 852 page_free(pfn=7145) is not a step of KernelView here: pfn 0x1be9 was faulted in by task 58 of mm 2 (mm_page_alloc at ftrace line 3053) and is freed without going through a gather
        built-nobug-vmemmap-migrate-6.1-smp2real.txt.gz       | HOLDS      | KernelView holds on built-nobug-vmemmap-migrate-6.1-smp2real.txt.gz: 3236 steps from 12749 ftrace events
        nobug-nested-6.1-smp2real.txt.gz                      | HOLDS      | KernelView holds on nobug-nested-6.1-smp2real.txt.gz: 7338 steps from 20000 ftrace events
        bug-no-nested-flush-6.1-smp2real.txt.gz               | VIOLATION  | seq 341 sys_exit(t=51) violates NestedFlushBeforeReturn: A gather that saw another in flight returned to user space without flushing the whole range: the other gather's cleared PTEs may stay cached (99baac21e458).
        """)
    void theVerdictOfEachCapture(String trace, TlcTraceCheck.Kind kind, String first) throws IOException {
        KernelCheck.Report r = KernelCheck.run(KernelTraces.file(trace), tmp.resolve("work"), 100, KernelTraces.env());
        String d = String.join("\n", r.diagnosis());
        assertNotNull(r.stats(), d);
        Path health = KernelTraces.file(trace.replace(".txt.gz", ".health.txt"));
        assertTrue(Files.readAllLines(health).contains("cpus_online 0-1"), "both CPUs of -smp 2 online: " + health);
        assertEquals(kind, r.kind(), d);
        assertEquals(first, r.diagnosis().get(0), d);
        if (kind != TlcTraceCheck.Kind.HOLDS) {
            assertTrue(d.contains("at ftrace line "), d);
        }
    }
}
