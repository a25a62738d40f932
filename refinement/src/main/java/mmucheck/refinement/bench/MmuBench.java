package mmucheck.refinement.bench;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mmucheck.impl.Simulation;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.refinement.bench.RefineBench.Rate;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;

/**
 * The refine benchmark on logs the implementation writes: seeded random runs of the spec
 * scenario {@code big} (2 CPUs, a device, 3 pages, zap + CoW + migration; 23 variables, about
 * 1.2 kB a line) under the default variant, one log file per run, as {@code simulate} writes
 * them. A run ends when its programs do (40 to 60 steps), so a long workload is many logs:
 * every in-process route checks all of them with one checker (one spec load, as explore does);
 * raw parsing reads all of them; the TLC CLI route, which forks a JVM per log, runs on the
 * first few logs only and its rate includes that start-up, which is what the route costs on
 * logs of this length.
 */
final class MmuBench {
    static final String SCENARIO = "big";
    private static final int TLC_LOGS = 3;

    private MmuBench() {}

    static boolean run(Path work, Path specDir, int runs, long seed, boolean viaTlc, PrintStream out)
            throws IOException {
        Files.createDirectories(work);
        Scenario sc = Scenarios.byName(SCENARIO).orElseThrow();
        Variant v = Variant.DEFAULT;
        List<Path> full = new ArrayList<>();
        List<Path> partial = new ArrayList<>();
        List<Path> warmFull = new ArrayList<>();
        List<Path> warmPartial = new ArrayList<>();
        long steps = 0;
        long firstSteps = 0;
        try (AgentThreads threads = new AgentThreads()) {
            int warmRuns = Math.max(1, Math.min(runs, 200));
            for (int i = 0; i < runs + warmRuns; i++) {
                boolean warm = i >= runs;
                long s = seed + i + (warm ? 1_000_000 : 0);
                Path f = work.resolve((warm ? "warm-" : "") + "run" + i + ".ndjson");
                Path p = work.resolve((warm ? "warm-" : "") + "run" + i + ".partial.ndjson");
                long n = simulate(sc, v, s, false, f, threads);
                simulate(sc, v, s, true, p, threads);
                (warm ? warmFull : full).add(f);
                (warm ? warmPartial : partial).add(p);
                if (!warm) {
                    steps += n;
                    if (i < TLC_LOGS) {
                        firstSteps += n;
                    }
                }
            }
        }
        long bytes = 0;
        long pbytes = 0;
        for (int i = 0; i < full.size(); i++) {
            bytes += Files.size(full.get(i));
            pbytes += Files.size(partial.get(i));
        }
        out.printf("MMU workload: %d seeded random runs of scenario %s (%s), seeds %d..%d, %d steps; "
                + "full logs %.1f MB, partial logs %.1f MB%n", runs, SCENARIO, v, seed, seed + runs - 1, steps,
                bytes / 1e6, pbytes / 1e6);
        RefinementChecker.Options o = RefinementChecker.Options.defaults().withSpecDir(specDir);
        for (int i = 0; i < 3; i++) {
            RefineBench.rawParse(warmFull, 1);
        }
        long totalSteps = steps;
        long total = steps;
        Rate cold = RefineBench.timed("full-state, cold (new checker, spec load)", steps, () -> {
            try (RefinementChecker c = new RefinementChecker(o)) {
                return checkAll(c, full);
            }
        });
        Rate raw;
        Rate fullRate;
        Rate partRate;
        RefineBench.Paired fullOverRaw;
        String share;
        double warmed;
        // One checker per kind of log, each warmed on its kind only: TLC's classes live in the
        // checker's own class loader, so each route gets the compiled code its logs make, as a
        // real run of either kind does (warmed together, full-state checking varied 0.30-0.40).
        try (RefinementChecker c = new RefinementChecker(o)) {
            warmed = RefineBench.warmUp(() -> {
                checkAll(c, warmFull);
                RefineBench.rawParse(warmFull, 1);
            });
            RefineBench.Paired pr = RefineBench.paired(() -> RefineBench.rawParse(full, totalSteps),
                    () -> RefineBench.timed("full-state checking (in process)", totalSteps,
                            () -> checkAll(RefineBench.fresh(c), full)));
            raw = pr.bestA();
            fullRate = pr.bestB();
            fullOverRaw = pr;
            share = RefineBench.fastShare(c);
        }
        try (RefinementChecker c = new RefinementChecker(o)) {
            warmed += RefineBench.warmUp(() -> checkAll(c, warmPartial));
            partRate = RefineBench.best(() -> RefineBench.timed("partial-log checking (in process)", totalSteps,
                    () -> checkAll(RefineBench.fresh(c), partial)));
        }
        out.printf("  warm-up: %.1f s on other logs (at least %d passes, then until the JIT compiled nothing new for 3 s; at most %d s)%n",
                warmed, RefineBench.MIN_WARM_UP_PASSES, RefineBench.WARM_UP_MAX_SECONDS);
        RefineBench.print(out, raw);
        RefineBench.print(out, fullRate);
        out.printf("    %s%n", share);
        RefineBench.print(out, partRate);
        RefineBench.print(out, cold);
        Rate tlc = null;
        boolean tlcOk = true;
        if (viaTlc) {
            double wall = 0;
            double cpu = 0;
            for (int i = 0; i < Math.min(TLC_LOGS, full.size()); i++) {
                Rate r = RefineBench.tlcCli(full.get(i), o, 0);
                wall += r.seconds();
                cpu += r.cpuSeconds();
                tlcOk &= r.verdict().equals("refines");
            }
            tlc = new Rate("TLC CLI route (first " + Math.min(TLC_LOGS, full.size()) + " logs, a JVM each)",
                    firstSteps, wall, cpu, tlcOk ? "refines" : "does not refine");
            RefineBench.print(out, tlc);
        }
        RefineBench.ratios(out, raw, fullRate, partRate, cold, tlc);
        RefineBench.printPaired(out, fullOverRaw);
        return fullRate.verdict().equals("refines") && partRate.verdict().equals("refines")
                && cold.verdict().equals("refines") && tlcOk;
    }

    private static long simulate(Scenario sc, Variant v, long seed, boolean partial, Path to, AgentThreads threads)
            throws IOException {
        Simulation.Config c = new Simulation.Config(sc, v, seed, 10_000, "random", 3, partial, null, Bugs.NONE);
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(to), 1 << 16)) {
            return Simulation.run(c, os, threads).steps();
        }
    }

    /** Every log through one checker; the first verdict that is not "refines", else a refining one. */
    private static Verdict checkAll(RefinementChecker c, List<Path> logs) {
        Verdict last = null;
        for (Path p : logs) {
            last = c.check(p);
            if (last.kind() != Verdict.Kind.REFINES) {
                return last;
            }
        }
        return last;
    }
}
