package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExploreCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--variant cpu_flush=nested|mmucheck explore: missing --runs",
        "--runs 0|mmucheck explore: --runs must be in 1..100000000, not 0",
        "--runs 5 --scenario nope|mmucheck explore: unknown scenario 'nope' (one of S1, S6, andrea-cow, andrea-migration, andrea-swap, andrea-ksm, andrea-zap, caseA, kvm-zap, kvm-swap, tiny-zap, tiny-cow, tiny-migrate, tiny-swap, tiny-ksm, tiny-madv-free, madv-free-race, tiny-mprotect, big, cow4, big3, reclaim-mprotect, reclaim-zap, s1-dev, mixed)",
        "--runs 5 --variant cpu_flush=sometimes|mmucheck explore: bad cpu_flush 'sometimes' (one of gather, nested, always)",
        "--runs 5 --strategy dfs|mmucheck explore: --strategy must be random or pct, not 'dfs'",
        "--runs 5 --steps 0|mmucheck explore: --steps must be in 1..1000000, not 0",
        "--runs 5 --inject NO_SUCH_BUG|mmucheck explore: unknown bug 'NO_SUCH_BUG' (one of NO_NESTED_FORCE_FLUSH, PENDING_DEC_BEFORE_FLUSH, FREE_BEFORE_FLUSH, COW_SKIP_INVALIDATE_RANGE, NO_PTE_SAME_RECHECK, MIGRATE_WITHOUT_PAGE_LOCK, KVM_NO_SEQ_RETRY, IOTLB_FILL_NON_PRESENT, MISSING_RANGE_END, PTL_RELEASED_EARLY, FLUSH_WRONG_RANGE, TTU_DROPS_LAST_REF, SWAPIN_NO_GET_PAGE, UBC_IGNORES_DIRTY, BATCHED_PENDING_NO_FLUSH, SECONDARY_RANGE_CONSUMED)",
        "--runs 5 --frobnicate|mmucheck explore: unknown option '--frobnicate'",
        "--runs 5 --jobs 0|mmucheck explore: --jobs must be in 1..256, not 0",
    })
    void badArgumentsAreOneLineAndExit2(String args, String message) {
        assertEquals(2, run(("explore " + args).split(" ")));
        assertEquals(message + "\n" + Cli.usageLine("explore", new ExploreCommand()) + "\n",
                err.toString(StandardCharsets.UTF_8));
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void safeVariantRefinesAndExits0() {
        assertEquals(0, run("explore", "--variant", "cpu_flush=nested", "--scenario", "tiny-zap", "--runs", "5",
                "--keep", dir.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.startsWith("explore cpu_flush=nested,secondary=under_ptl,shadow=seq, random: 5 runs, "), o);
        assertTrue(o.contains("  refined 5, diverged 0, violated 0, bad 0\n"), o);
    }

    @Test
    void buggyVariantIsReportedAsTheVariantsViolationAndExits1() throws Exception {
        assertEquals(1, run("explore", "--variant", "cpu_flush=gather", "--scenario", "S1", "--runs", "1", "--seed", "108",
                "--keep", dir.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("  refined 0, diverged 0, violated 1, bad 0"), o);
        assertTrue(o.contains("the variant's bug, not the implementation's; TLC's models agree: S1_gather violates:NoStaleAfterReturn"), o);
        assertTrue(o.contains("violates NoStaleAfterReturn at line 34 (seq 32) after dec_tlb_flush_pending(c = \"cpu0\")"), o);
        assertTrue(Files.exists(dir.resolve("explore-S1-seed108.ndjson")));
        // the kept log is the one refine checks the same way
        out.reset();
        assertEquals(1, run("refine", dir.resolve("explore-S1-seed108.ndjson").toString()));
    }

    @Test
    void injectedBugDivergesWithJson() {
        assertEquals(1, run("explore", "--scenario", "tiny-migrate", "--runs", "3", "--inject", "migrate_without_page_lock",
                "--until-fail", "--json", "--keep", dir.toString()));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.contains("\"runs\":1,"), o);
        assertTrue(o.contains("\"diverged\":1,"), o);
        assertTrue(o.contains("\"action\":\"lock_page\""), o);
    }
}
