package mmucheck.refinement.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import mmucheck.impl.mm.Bug;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.Golden;
import mmucheck.spec.model.Manifest;
import mmucheck.spec.model.ModelEntry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Conformance (issue 4 §5): seeded runs of the implementation over every variant refine the
 * spec; and every injected bug is caught by explore within its stated number of runs, with a
 * diagnosis naming the action that gives it away. One checker per (scenario, variant) is
 * shared by the tests of this class (a spec load costs seconds).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExploreTest {
    private Explorer.Checkers checkers;
    private AgentThreads threads;

    @BeforeAll
    void open() {
        checkers = new Explorer.Checkers(RefinementChecker.Options.defaults(), 8);
        threads = new AgentThreads();
    }

    @AfterAll
    void close() {
        checkers.close();
        threads.close();
    }

    /** Variants that are safe on every scenario (the manifest has no violation for them). */
    private static boolean safe(Variant v) {
        return !v.cpuFlush().equals("gather")
                && (v.secondary().equals("under_ptl") || v.secondary().equals("v4_15") || v.secondary().equals("v6_6"))
                && v.shadow().equals("seq");
    }

    /** A buggy variant runs on the scenario that shows its bug; safe ones rotate through their scenarios. */
    private static Scenario pick(Variant v, int k) {
        List<Scenario> fit = Explorer.scenariosFor(v);
        if (!safe(v)) {
            for (String n : List.of("kvm-zap", "S1", "caseA", "kvm-swap", "s1-dev", "andrea-cow")) {
                boolean shows = switch (n) {
                    case "kvm-zap" -> v.shadow().equals("start_only");
                    case "S1" -> v.cpuFlush().equals("gather");
                    case "caseA" -> v.secondary().equals("none") || v.secondary().equals("range_end");
                    case "kvm-swap" -> v.secondary().equals("after_unlock");
                    case "s1-dev" -> v.secondary().equals("skip_none");
                    default -> true;
                };
                for (Scenario s : fit) if (shows && s.name().equals(n)) return s;
            }
        }
        return fit.get(k % fit.size());
    }

    @Test
    void seededRunsOfEveryVariantRefine() throws Exception {
        Manifest manifest = Manifest.read(Path.of("..", "spec", "models", "manifest.json"));
        StringBuilder table = new StringBuilder();
        long runs = 0, violated = 0;
        int k = 0;
        // the variants of issue 16 run after the older ones, so each older variant keeps its seeds
        List<Variant> variants = new ArrayList<>();
        for (boolean issue16 : List.of(false, true)) {
            for (String cf : Variant.CPU_FLUSH) {
                for (String sec : Variant.SECONDARY) {
                    for (String sh : Variant.SHADOW) {
                        if ((sec.equals("v6_6") || sec.equals("skip_none")) == issue16) variants.add(new Variant(cf, sec, sh));
                    }
                }
            }
        }
        for (Variant v : variants) {
            Explorer.Summary s = conform(manifest, table, v, pick(v, k), k, safe(v));
            k++;
            runs += s.runs();
            violated += s.violated();
        }
        assertEquals(Variant.CPU_FLUSH.size() * Variant.SECONDARY.size() * Variant.SHADOW.size(), k);
        // issue 12: batched_flush, both settings, on each scenario it acts on (reclaim's batched flush)
        for (String bf : Variant.BATCHED_FLUSH) {
            Variant v = new Variant("nested", "under_ptl", "seq", bf);
            for (Scenario sc : Explorer.scenariosFor(new Variant("nested", "under_ptl", "seq", "v4_12"))) {
                Explorer.Summary s = conform(manifest, table, v, sc, k, v.flushBatchedPending());
                k++;
                runs += s.runs();
                violated += s.violated();
            }
        }
        assertEquals(Variant.CPU_FLUSH.size() * Variant.SECONDARY.size() * Variant.SHADOW.size() + 4, k);
        assertTrue(runs >= 1000, "runs " + runs);
        assertTrue(violated > 0, "the buggy variants show their bugs");
        Golden.assertGolden("explore/conformance.txt", table.toString());
    }

    /**
     * Run k of the conformance table: 200 seeded runs of {@code sc} under {@code v}, none diverging or bad,
     * none violating when {@code mustHold}, and a violation on a bundled model the one TLC finds there.
     */
    private Explorer.Summary conform(Manifest manifest, StringBuilder table, Variant v, Scenario sc, int k,
            boolean mustHold) throws Exception {
        Explorer.Summary s = Explorer.run(new Explorer.Config(List.of(sc), v, 34, k % 2 == 0 ? "random" : "pct",
                1000L * k, 200, Bugs.NONE, null), checkers, threads, false);
        String line = v + " " + sc.name() + " " + s.strategy() + ": " + s.runs() + " runs, " + s.steps()
                + " steps, refined " + s.refined() + ", violated " + s.violated() + " " + s.violations()
                + ", diverged " + s.diverged() + ", bad " + s.bad();
        table.append(line).append('\n');
        Explorer.Failure f = s.firstDivergence();
        assertEquals(0, s.diverged() + s.bad(), () -> line + "\n"
                + mmucheck.refinement.report.VerdictReport.text(f.verdict(), "seed " + f.seed()));
        if (mustHold) assertEquals(0, s.violated(), line);
        for (ModelEntry m : manifest.models()) {
            if (m.scenario().equals(sc.name()) && m.variant().equals(v.constants()) && !s.violations().isEmpty()) {
                assertEquals(Set.of(m.expected().replace("violates:", "")), s.violations().keySet(), line);
            }
        }
        return s;
    }

    /** A mutant, where explore catches it, after how many runs (seeds 0..), and the action or invariant named. */
    record Mutant(Bug bug, String scenario, String variant, long runsToCatch, String action) {}

    static final List<Mutant> MUTANTS = List.of(
            new Mutant(Bug.NO_NESTED_FORCE_FLUSH, "S1", "cpu_flush=nested", 46, "tlb_finish_mmu"),
            new Mutant(Bug.PENDING_DEC_BEFORE_FLUSH, "tiny-zap", "", 1, "tlb_finish_mmu"),
            new Mutant(Bug.FREE_BEFORE_FLUSH, "tiny-zap", "", 1, "tlb_finish_mmu"),
            new Mutant(Bug.COW_SKIP_INVALIDATE_RANGE, "andrea-cow", "secondary=under_ptl", 4, "ptep_clear_flush_notify"),
            new Mutant(Bug.NO_PTE_SAME_RECHECK, "S6", "", 2, "ptep_clear_flush_notify"),
            new Mutant(Bug.MIGRATE_WITHOUT_PAGE_LOCK, "tiny-migrate", "", 1, "lock_page"),
            new Mutant(Bug.KVM_NO_SEQ_RETRY, "kvm-zap", "shadow=seq", 1, "direct_map"),
            new Mutant(Bug.IOTLB_FILL_NON_PRESENT, "andrea-migration", "", 1, "iotlb_fill"),
            new Mutant(Bug.MISSING_RANGE_END, "kvm-zap", "", 1, "mmu_notifier_invalidate_range_end"),
            new Mutant(Bug.PTL_RELEASED_EARLY, "tiny-migrate", "", 1, "pte_unmap_unlock"),
            new Mutant(Bug.FLUSH_WRONG_RANGE, "tiny-zap", "", 4, "tlb_finish_mmu"),
            new Mutant(Bug.TTU_DROPS_LAST_REF, "tiny-migrate", "", 1, "try_to_unmap_one"),
            new Mutant(Bug.SWAPIN_NO_GET_PAGE, "tiny-swap", "", 37, "do_swap_page"),
            new Mutant(Bug.UBC_IGNORES_DIRTY, "reclaim-zap", "", 1, "try_to_unmap_one"),
            new Mutant(Bug.BATCHED_PENDING_NO_FLUSH, "reclaim-zap", "batched_flush=flush_tlb_batched_pending", 2,
                    "pte_offset_map_lock"),
            new Mutant(Bug.SECONDARY_RANGE_CONSUMED, "andrea-zap", "secondary=v6_6", 6, "tlb_finish_mmu"));

    @Test
    void everyMutantIsCaughtWithTheRightAction() {
        Set<Bug> covered = new TreeSet<>();
        List<String> failures = new ArrayList<>();
        for (Mutant m : MUTANTS) {
            Scenario sc = Scenarios.byName(m.scenario()).orElseThrow();
            Variant v = Variant.parse(m.variant()).variant();
            Explorer.Config c = new Explorer.Config(List.of(sc), v, 500, "random", 0, 300, Bugs.of(m.bug()), null);
            Explorer.Summary s = Explorer.run(c, checkers, threads, true);
            Explorer.Failure f = s.firstDivergence();
            if (f == null || s.runs() != m.runsToCatch() || !m.action().equals(f.verdict().action())
                    || f.verdict().kind() != Verdict.Kind.DIVERGES) {
                failures.add(m + ": " + s.runs() + " runs, " + (f == null ? "not caught"
                        : f.verdict().kind() + " at " + f.verdict().action()));
            } else {
                assertNotNull(f.verdict().diagnosis(), m.toString());
            }
            // the same seeds without the bug refine: the divergence is the bug's
            Explorer.Config same = new Explorer.Config(List.of(sc), v, m.runsToCatch(), "random", 0, 300, Bugs.NONE, null);
            Explorer.Summary control = Explorer.run(same, checkers, threads, false);
            if (control.refined() != m.runsToCatch()) {
                failures.add(m + ": control run without the bug did not refine");
            }
            covered.add(m.bug());
        }
        assertEquals(List.of(), failures);
        assertEquals(Set.of(Bug.values()), covered, "every Bug has a mutant entry");
        assertTrue(MUTANTS.size() >= 12);
    }

    @Test
    void scenariosForAVariantExerciseIt() {
        assertEquals(21, Explorer.scenariosFor(Variant.DEFAULT).size());
        assertEquals(List.of("reclaim-mprotect", "reclaim-zap"),
                Explorer.scenariosFor(Variant.parse("batched_flush=v4_12").variant()).stream().map(Scenario::name).toList());
        assertEquals(List.of("kvm-zap", "kvm-swap"), Explorer.scenariosFor(new Variant("nested", "under_ptl", "start_only"))
                .stream().map(Scenario::name).toList());
        for (Scenario s : Explorer.scenariosFor(new Variant("gather", "under_ptl", "seq"))) {
            assertTrue(s.cpus().values().stream().flatMap(List::stream)
                    .anyMatch(i -> i.op() == mmucheck.impl.scenario.Op.MADVISE_DONTNEED
                            || i.op() == mmucheck.impl.scenario.Op.MADVISE_FREE), s.name());
        }
    }

    @Test
    void demoChainSummaryIsPinned() throws Exception {
        Manifest manifest = Manifest.read(Path.of("..", "spec", "models", "manifest.json"));
        DemoChain.Result r = DemoChain.run(manifest);
        assertTrue(r.asExpected(), r.text());
        Golden.assertGolden("explore/demo-chain.txt", r.text().replaceAll("log /tmp/[^:]*:", "log TMP:"));
    }

    /**
     * --jobs 2 (issue 14): the same summary as one worker, cycling two scenarios, with a buggy
     * variant's violations counted and a mutant's first failing seed found at the same run; the
     * progress lines go to the stream given.
     */
    @Test
    void twoWorkersGiveTheSameSummaryAndFirstFailingSeed() {
        List<Scenario> two = List.of(Scenarios.byName("S1").orElseThrow(), Scenarios.byName("tiny-zap").orElseThrow());
        Explorer.Config gather = new Explorer.Config(two, new Variant("gather", "under_ptl", "seq"), 160, "random", 100, 300,
                Bugs.NONE, null);
        Explorer.Config mutant = new Explorer.Config(two, Variant.DEFAULT, 400, "random", 0, 300,
                Bugs.of(Bug.NO_NESTED_FORCE_FLUSH), null);
        java.io.ByteArrayOutputStream progress = new java.io.ByteArrayOutputStream();
        java.io.PrintStream ps = new java.io.PrintStream(progress, true, java.nio.charset.StandardCharsets.UTF_8);
        for (boolean stop : List.of(false, true)) {
            Explorer.Config c = stop ? mutant : gather;
            Explorer.Summary one = Explorer.run(c, checkers, threads, stop);
            Explorer.Summary par = Explorer.run(c.withJobs(2), stop, ps);
            assertEquals(2, par.jobs());
            assertEquals(ExploreReport.text(one, null, false), ExploreReport.text(par, null, false));
            if (stop) {
                assertNotNull(par.firstDivergence());
                assertEquals(one.firstDivergence().seed(), par.firstDivergence().seed());
                assertEquals(one.runs(), par.runs());
                assertTrue(par.runs() < 400, "stopped at the first failure: " + par.runs());
            } else {
                assertTrue(par.violated() > 0, "gather violates NoStaleAfterReturn on some seeds");
                assertEquals(160, par.runs());
            }
            if (par.seconds() > 2.5) {
                assertTrue(progress.toString(java.nio.charset.StandardCharsets.UTF_8)
                        .matches("(?s)(explore: \\d+/\\d+ runs, \\d+ steps, \\d+ steps/s, \\d+ failing so far, \\d+ spec loads, \\d+ s\n)+"),
                        progress.toString(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }
}
