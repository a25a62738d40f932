package mmucheck.refinement.explore;

import java.util.List;
import mmucheck.impl.mm.Bug;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.spec.model.Manifest;

/**
 * The second half of {@code demo}: the implementation's seeded runs refined against the spec
 * (a safe variant over three scenarios, and the pre-99baac21e458 gather variant on S1, whose
 * stale TLB the spec itself allows), then one injected bug caught with its diagnosis. Five
 * spec loads in all, so it takes seconds, not minutes.
 */
public final class DemoChain {
    private DemoChain() {}

    /** The text (without timing) and whether everything came out as the chain expects. */
    public record Result(String text, boolean asExpected, double seconds, long steps) {}

    public static Result run(Manifest manifest) {
        long t0 = System.nanoTime();
        StringBuilder b = new StringBuilder();
        boolean ok;
        long steps = 0;
        try (Explorer.Checkers checkers = new Explorer.Checkers(mmucheck.refinement.check.RefinementChecker.Options.defaults(), 6);
             AgentThreads threads = new AgentThreads()) {
            b.append("Seeded runs of the Java implementation, each log refined against the spec:\n");
            Explorer.Summary safe = Explorer.run(new Explorer.Config(scenarios("S1", "andrea-cow", "kvm-swap"),
                    Variant.DEFAULT, 120, "random", 0, 300, Bugs.NONE, null), checkers, threads, false);
            Explorer.Summary gather = Explorer.run(new Explorer.Config(scenarios("S1"),
                    new Variant("gather", "under_ptl", "seq"), 80, "random", 100, 300, Bugs.NONE, null),
                    checkers, threads, false);
            b.append(ExploreReport.text(safe, manifest, false));
            b.append(ExploreReport.text(gather, manifest, false));
            steps += safe.steps() + gather.steps();

            b.append("\nOne injected bug (tlb_finish_mmu ignores mm_tlb_flush_nested(), the 2017 race), caught by explore:\n");
            Explorer.Summary mutant = Explorer.run(new Explorer.Config(scenarios("S1"), Variant.DEFAULT, 200, "random", 0,
                    300, Bugs.of(Bug.NO_NESTED_FORCE_FLUSH), null), checkers, threads, true);
            b.append(ExploreReport.text(mutant, manifest, false));
            steps += mutant.steps();
            ok = safe.ok() && gather.diverged() == 0 && gather.bad() == 0
                    && gather.violations().keySet().equals(java.util.Set.of("NoStaleAfterReturn"))
                    && mutant.firstDivergence() != null
                    && "tlb_finish_mmu".equals(mutant.firstDivergence().verdict().action());
        }
        return new Result(b.toString(), ok, (System.nanoTime() - t0) / 1e9, steps);
    }

    private static List<Scenario> scenarios(String... names) {
        return java.util.Arrays.stream(names).map(n -> Scenarios.byName(n).orElseThrow()).toList();
    }
}
