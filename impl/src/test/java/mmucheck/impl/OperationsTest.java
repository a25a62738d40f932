package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

/** One scripted interleaving per operation: the steps it logs and the state it leaves. */
class OperationsTest {
    private static String lines(String... s) { return String.join("\n", s); }

    private static final String ZAP_ONE_PAGE = lines(
            "cpu0 tlb_gather_mmu", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
            "cpu0 zap_pte_range", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
            "cpu0 tlb_finish_mmu", "cpu0 tlb_flush_mmu_free", "cpu0 dec_tlb_flush_pending");

    @Test
    void zapThenAnonymousFaultReusesTheFreedFrame() {
        Logs l = Logs.run("tiny-zap", "cpu_flush=nested", new Script());
        assertEquals(lines(ZAP_ONE_PAGE, "cpu0 handle_mm_fault", "cpu0 do_anonymous_page", "cpu0 user_store",
                "cpu1 user_load"), l.actions());
        JsonNode s = l.last();
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":true,\"d\":true}]", s.get("pte").toString());
        assertEquals("[\"mm\",\"free\"]", s.get("fstate").toString());
        assertEquals("[1,0]", s.get("ref").toString());
        assertEquals(1, s.get("seen").get("cpu1").asInt(), "cpu1 reads cpu0's store");
        assertEquals("completed", l.end().get("end").asText());
    }

    @Test
    void wpPageCopyInstallsTheCopy() {
        Logs l = Logs.run("tiny-cow", "secondary=under_ptl", new Script());
        assertEquals(lines("cpu0 handle_mm_fault", "cpu0 wp_page_copy", "cpu0 mmu_notifier_invalidate_range_start",
                "cpu0 pte_offset_map_lock", "cpu0 ptep_clear_flush_notify", "cpu0 set_pte_at_notify",
                "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end", "cpu0 wp_page_copy_put",
                "cpu0 user_store", "cpu1 user_load"), l.actions());
        JsonNode s = l.last();
        assertEquals("[{\"k\":\"present\",\"f\":2,\"w\":true,\"d\":true}]", s.get("pte").toString());
        assertEquals("[1,1]", s.get("ref").toString(), "the other process keeps the old page");
    }

    @Test
    void wpPageCopyLosesThePteSameRace() {
        // S6: cpu0 and cpu1 both CoW va 1; both copy, cpu0 switches the PTE first
        Logs l = Logs.run("S6", "secondary=under_ptl",
                new Script("cpu0", "cpu0", "cpu1", "cpu1", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0",
                        "cpu1", "cpu1", "cpu1", "cpu1", "cpu1", "cpu1"));
        String a = l.actions();
        assertTrue(a.contains("cpu1 wp_page_copy_abort"), a);
        JsonNode after = l.steps().get(16).get("state");
        assertEquals("idle", after.get("pc").get("cpu1").asText());
        assertEquals("[\"mm\",\"mm\",\"mm\",\"free\"]", after.get("fstate").toString(), "cpu1's unused copy is freed");
    }

    @Test
    void migrationWithAFaultWaitingOnTheMigrationEntry() {
        Logs l = Logs.run("tiny-migrate", "secondary=under_ptl",
                new Script("cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu1", "cpu0", "cpu0", "cpu1", "cpu1"));
        assertEquals(lines("cpu0 lock_page", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
                "cpu0 try_to_unmap_one", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
                "cpu0 migrate_page_copy", "cpu1 handle_mm_fault", "cpu0 remove_migration_ptes", "cpu0 unlock_page",
                "cpu1 migration_entry_wait", "cpu1 user_store"), l.actions());
        JsonNode s = l.last();
        assertEquals("[{\"k\":\"present\",\"f\":2,\"w\":true,\"d\":true}]", s.get("pte").toString());
        assertEquals("[\"free\",\"mm\"]", s.get("fstate").toString());
        assertEquals("completed", l.end().get("end").asText());
    }

    @Test
    void swapOutThenSwapInFromTheSlot() {
        Logs l = Logs.run("tiny-swap", "secondary=under_ptl", new Script());
        assertEquals(lines("cpu0 lock_page", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
                "cpu0 try_to_unmap_one", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
                "cpu0 pageout", "cpu0 remove_mapping", "cpu0 unlock_page", "cpu1 handle_mm_fault",
                "cpu1 lookup_swap_cache", "cpu1 do_swap_page", "cpu1 user_store"), l.actions());
        JsonNode afterOut = l.steps().get(8).get("state");
        assertEquals("swap", afterOut.get("pte").get(0).get("k").asText());
        assertEquals("[\"free\",\"free\"]", afterOut.get("fstate").toString(), "reclaimed");
        JsonNode s = l.last();
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":true,\"d\":true}]", s.get("pte").toString());
        assertEquals("[0]", s.get("swapcache").toString());
    }

    @Test
    void swapInFaultWaitsForReclaimThenReadsTheSlot() {
        // andrea-swap: cpu1 faults on the swap entry while cpu0 still holds the page locked
        Logs l = Logs.run("andrea-swap", "secondary=under_ptl",
                new Script("cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu1", "cpu0", "cpu0", "cpu0"));
        String a = l.actions();
        assertTrue(a.startsWith(lines("cpu0 lock_page", "cpu0 mmu_notifier_invalidate_range_start",
                "cpu0 pte_offset_map_lock", "cpu0 try_to_unmap_one", "cpu0 pte_unmap_unlock",
                "cpu0 mmu_notifier_invalidate_range_end", "cpu1 handle_mm_fault", "cpu0 pageout",
                "cpu0 remove_mapping", "cpu0 unlock_page", "cpu1 lookup_swap_cache")), a);
    }

    @Test
    void ksmMergesIntoTheStablePageAndAStoreCowsIt() {
        Logs l = Logs.run("tiny-ksm", "secondary=under_ptl", new Script());
        assertEquals(lines("cpu0 lock_page", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
                "cpu0 write_protect_page", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
                "cpu0 pages_identical", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
                "cpu0 replace_page", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
                "cpu0 unlock_page", "cpu1 handle_mm_fault", "cpu1 wp_page_copy",
                "cpu1 mmu_notifier_invalidate_range_start", "cpu1 pte_offset_map_lock", "cpu1 ptep_clear_flush_notify",
                "cpu1 set_pte_at_notify", "cpu1 pte_unmap_unlock", "cpu1 mmu_notifier_invalidate_range_end",
                "cpu1 wp_page_copy_put", "cpu1 user_store"), l.actions());
        JsonNode merged = l.steps().get(12).get("state");
        assertEquals("[{\"k\":\"present\",\"f\":2,\"w\":false,\"d\":true}]", merged.get("pte").toString());
        assertEquals("[\"free\",\"mm\",\"free\"]", merged.get("fstate").toString());
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":true,\"d\":true}]", l.last().get("pte").toString(), "CoW into the lowest free frame");
    }

    @Test
    void afterUnlockVariantCallsInvalidatePageWithoutBracket() {
        Logs l = Logs.run("tiny-swap", "secondary=after_unlock", new Script());
        assertTrue(l.actions().startsWith(lines("cpu0 lock_page", "cpu0 pte_offset_map_lock", "cpu0 try_to_unmap_one",
                "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_page", "cpu0 pageout")), l.actions());
    }

    @Test
    void forcedFlushUnderPtlInvalidatesTheIotlb() {
        String[] script = {"iotlb_fill(dev0,1)", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "dev0"};
        Logs safe = Logs.run("caseA", "secondary=under_ptl", new Script(script));
        assertEquals("dev0 dev_fault", safe.actions().split("\n")[8]);
        assertEquals("completed", safe.end().get("end").asText());
        // range_end: the forced flush leaves the IOTLB alone and frees the page before range_end
        Logs broken = Logs.run("caseA", "secondary=range_end", new Script(script));
        assertEquals("dev0 dev_load", broken.actions().split("\n")[8]);
        assertEquals("failed", broken.end().get("end").asText());
        assertEquals("use-after-free", broken.end().get("observed").get(0).get("kind").asText());
    }

    @Test
    void kvmFaultRetriesWhenAnInvalidationIsInFlight() {
        Logs l = Logs.run("kvm-zap", "shadow=seq", new Script("vcpu0", "vcpu0", "cpu0", "cpu0", "vcpu0"));
        assertEquals(lines("vcpu0 kvm_mmu_page_fault", "vcpu0 gfn_to_pfn", "cpu0 tlb_gather_mmu",
                "cpu0 mmu_notifier_invalidate_range_start", "vcpu0 mmu_notifier_retry"),
                firstLines(l.actions(), 5));
        assertEquals("completed", l.end().get("end").asText());
        // start_only: the fault maps the page the zap is about to free
        Logs bad = Logs.run("kvm-zap", "shadow=start_only", new Script("vcpu0", "vcpu0", "cpu0", "cpu0", "vcpu0"));
        assertEquals("vcpu0 direct_map", bad.actions().split("\n")[4]);
        assertEquals("failed", bad.end().get("end").asText());
    }

    @Test
    void s1ScriptedStaleTlbUnderGatherOnly() {
        String[] script = {"tlb_fill(cpu0,1)", "cpu1", "cpu1", "cpu1", "cpu1", "cpu1",
                "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0"};
        Logs gather = Logs.run("S1", "cpu_flush=gather", new Script(script));
        assertEquals("cpu0 dec_tlb_flush_pending", gather.actions().split("\n")[14]);
        JsonNode o = gather.end().get("observed").get(0);
        assertEquals("stale-read", o.get("kind").asText());
        assertEquals(15, o.get("seq").asInt());
        Logs nested = Logs.run("S1", "cpu_flush=nested", new Script(script));
        assertEquals("completed", nested.end().get("end").asText());
        Logs always = Logs.run("S1", "cpu_flush=always", new Script(script));
        assertEquals("completed", always.end().get("end").asText());
    }

    private static String firstLines(String s, int n) {
        String[] a = s.split("\n");
        return String.join("\n", java.util.Arrays.copyOf(a, Math.min(n, a.length)));
    }

    private static final String MADV_FREE_ONE_PAGE = lines(
            "cpu0 tlb_gather_mmu", "cpu0 mmu_notifier_invalidate_range_start", "cpu0 pte_offset_map_lock",
            "cpu0 madvise_free_pte_range", "cpu0 pte_unmap_unlock", "cpu0 mmu_notifier_invalidate_range_end",
            "cpu0 tlb_finish_mmu", "cpu0 dec_tlb_flush_pending");

    @Test
    void madviseFreeThenAStoreRedirtiesThePageSoReclaimSwapsItOut() {
        Logs l = Logs.run("tiny-madv-free", "cpu_flush=nested", new Script());
        assertEquals(lines(MADV_FREE_ONE_PAGE, "cpu0 user_store", "cpu0 user_load", "cpu1 lock_page",
                "cpu1 mmu_notifier_invalidate_range_start", "cpu1 pte_offset_map_lock", "cpu1 try_to_unmap_one",
                "cpu1 pte_unmap_unlock", "cpu1 mmu_notifier_invalidate_range_end", "cpu1 pageout",
                "cpu1 remove_mapping", "cpu1 unlock_page"), l.actions());
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":true,\"d\":false}]",
                l.steps().get(3).get("state").get("pte").toString(), "madvise_free_pte_range cleans the PTE");
        assertEquals("[[1,1]]", l.steps().get(7).get("state").get("oblw").get("cpu0").get("#set").toString());
        JsonNode afterStore = l.steps().get(8).get("state");
        assertEquals(true, afterStore.get("pte").get(0).get("d").asBoolean(), "the store's walk sets the dirty bit");
        assertEquals("[]", afterStore.get("oblw").get("cpu0").get("#set").toString(), "a writable translation is legitimate again");
        assertEquals("swap", l.last().get("pte").get(0).get("k").asText(), "redirtied: swapped out, not discarded");
        assertEquals("completed", l.end().get("end").asText());
    }

    @Test
    void reclaimDiscardsACleanLazyfreePageAndAStoreFaultsInAZeroPage() {
        Logs l = Logs.run("tiny-madv-free", "cpu_flush=nested",
                new Script("cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0", "cpu0",
                        "cpu1", "cpu1", "cpu1", "cpu1", "cpu1", "cpu1", "cpu1"));
        assertEquals(lines(MADV_FREE_ONE_PAGE, "cpu1 lock_page", "cpu1 mmu_notifier_invalidate_range_start",
                "cpu1 pte_offset_map_lock", "cpu1 try_to_unmap_one", "cpu1 pte_unmap_unlock",
                "cpu1 mmu_notifier_invalidate_range_end", "cpu1 unlock_page", "cpu0 handle_mm_fault",
                "cpu0 do_anonymous_page", "cpu0 user_store", "cpu0 user_load"), l.actions());
        JsonNode discarded = l.steps().get(14).get("state");
        assertEquals("none", discarded.get("pte").get(0).get("k").asText());
        assertEquals("[\"free\",\"free\"]", discarded.get("fstate").toString(), "discarded, never written out");
        assertEquals("[0]", discarded.get("swapslot").toString());
        assertEquals(1, l.last().get("seen").get("cpu0").asInt(), "cpu0 reads its own store");
        assertEquals("completed", l.end().get("end").asText());
    }

    @Test
    void mprotectReadOnlyMakesAStoreFaultAndWritableAgainTakesWpPageReuse() {
        Logs l = Logs.run("tiny-mprotect", "secondary=under_ptl", new Script());
        String mprotect = lines("cpu0 tlb_gather_mmu", "cpu0 mprotect_fixup", "cpu0 mmu_notifier_invalidate_range_start",
                "cpu0 pte_offset_map_lock", "cpu0 change_pte_range", "cpu0 pte_unmap_unlock",
                "cpu0 mmu_notifier_invalidate_range_end", "cpu0 tlb_finish_mmu", "cpu0 dec_tlb_flush_pending");
        assertEquals(lines(mprotect, "cpu0 bad_area_access_error", mprotect, "cpu1 handle_mm_fault",
                "cpu1 wp_page_reuse", "cpu1 user_store", "dev0 dev_store"), l.actions());
        JsonNode ro = l.steps().get(8).get("state");
        assertEquals("[false]", ro.get("vma").toString());
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":false,\"d\":true}]", ro.get("pte").toString());
        assertEquals(0, l.steps().get(9).get("state").get("clock").asInt(), "the store after PROT_READ did not land");
        JsonNode rw = l.steps().get(18).get("state");
        assertEquals("[true]", rw.get("vma").toString());
        assertEquals(false, rw.get("pte").get(0).get("w").asBoolean(), "PROT_WRITE leaves the PTE read-only");
        assertEquals("[{\"k\":\"present\",\"f\":1,\"w\":true,\"d\":true}]", l.last().get("pte").toString());
        assertEquals(2, l.last().get("clock").asInt());
        assertEquals("completed", l.end().get("end").asText());
    }

    @Test
    void seededRunsOfTheNewScenariosComplete() {
        // mmap_lock, the PT lock and the page lock between MADV_FREE, mprotect, faults and
        // reclaim: no run deadlocks or hits the step limit, and none trips the run-time watch
        for (String sc : java.util.List.of("tiny-madv-free", "madv-free-race", "tiny-mprotect")) {
            for (long seed = 0; seed < 100; seed++) {
                Logs l = Logs.run(Simulation.Config.of(Logs.scenario(sc), Logs.variant("cpu_flush=nested"), seed, 300)
                        .withStrategy(seed % 2 == 0 ? "random" : "pct"), null);
                assertEquals("completed", l.end().get("end").asText(), sc + " seed " + seed + ": " + l.end());
            }
        }
    }
}
