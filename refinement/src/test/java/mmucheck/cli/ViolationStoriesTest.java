package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * The last line of a bundled model's counterexample tells what happened in kernel terms, for
 * every kind of MMU violation (real TLC runs of small bundled models, a few seconds each).
 */
class ViolationStoriesTest {
    private static final Path ROOT = Path.of(System.getProperty("mmucheck.root", ".."));

    private static String check(String model) throws UsageException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int rc = new CheckCommand("check", "", ROOT).run(new String[] {model},
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(new ByteArrayOutputStream()));
        assertEquals(ExitCode.VIOLATION, rc, "a violation, as the manifest expects (a mismatch would exit 3)");
        // unwrap the ending's continuation lines
        return out.toString(StandardCharsets.UTF_8).replaceAll("\n  ", " ");
    }

    @Test
    void caseAForcedFlushFreesAPageTheIotlbStillMaps() throws Exception {
        String s = check("caseA_range_end");
        assertTrue(s.contains("dev0's IOTLB still maps va 1 to frame 1, which cpu0 freed at step"), s);
        assertTrue(s.contains("(tlb_flush_mmu_free)."), s);
    }

    @Test
    void migrationWithoutInvalidationLosesTheDeviceStore() throws Exception {
        String s = check("andrea_migration_none");
        assertTrue(s.contains("dev0 stored to frame 1 at step"), s);
        assertTrue(s.contains("after cpu0 had taken its contents at step"), s);
        assertTrue(s.contains("(migrate_page_copy): the store is lost."), s);
    }

    @Test
    void kvmWithoutTheSeqRetryInstallsAStaleShadowPte() throws Exception {
        String s = check("kvm_zap_start_only");
        assertTrue(s.contains("KVM's shadow page table maps va 1 to frame 1 (vcpu0, step"), s);
        assertTrue(s.contains("direct_map), but the page table has none there."), s);
    }

    @Test
    void madvFreeReturnsWithAWritableDirtyTlbEntry_99baac21e458() throws Exception {
        String s = check("madv_free_race_gather");
        assertTrue(s.contains("cpu0's MADV_FREE returned (step"), s);
        assertTrue(s.contains("while cpu0's TLB can still store to va 1 (frame 1) without setting the PTE's dirty bit"), s);
    }

    @Test
    void mprotectReturnsWhileTheIotlbStillWrites() throws Exception {
        String s = check("tiny_mprotect_none");
        assertTrue(s.contains("cpu0's mprotect(PROT_READ) returned (step"), s);
        assertTrue(s.contains("while dev0's IOTLB can still store to va 1 (frame 1), which is now read-only"), s);
    }
}
