package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mmucheck.impl.mm.Bug;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.refinement.explore.ExploreReport;
import mmucheck.refinement.explore.Explorer;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.model.Manifest;

/**
 * {@code explore}: N seeded runs of the implementation, each refined against the spec; a
 * summary and the first failing seed's diagnosis. Exit 0 when every run refines and no
 * invariant is violated, 1 otherwise, 2 on bad arguments. {@code --inject BUG[,BUG]} turns on
 * injected bugs (mutation testing; mmucheck.impl.mm.Bug).
 */
final class ExploreCommand implements Command {
    static final String USAGE = "--variant K=V[,K=V] [--scenario S] --runs N [--strategy random|pct] [--seed S] "
            + "[--steps K] [--json] [--keep DIR] [--until-fail] [--inject BUG[,BUG]] [--jobs N]";

    @Override
    public String summary() { return "simulate N seeded runs and refine each against the spec"; }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(args, List.of("--variant", "--scenario", "--runs", "--strategy", "--seed", "--steps",
                "--keep", "--inject", "--jobs"), List.of("--json", "--until-fail"));
        Variant.Result vr = Variant.parse(a.get("--variant"));
        if (vr.variant() == null) throw new UsageException(vr.error());
        Variant v = vr.variant();
        List<Scenario> scenarios;
        if (a.get("--scenario") != null) {
            String n = a.get("--scenario");
            // mixed: the explorer draws each run's programs from its seed
            Scenario s = n.equals(Scenarios.MIXED) ? Scenarios.mixedPick(0) : Scenarios.byName(n).orElseThrow(
                    () -> new UsageException("unknown scenario '" + n + "' (one of "
                            + String.join(", ", Scenarios.specNames()) + ", " + Scenarios.MIXED + ")"));
            scenarios = List.of(s);
        } else {
            scenarios = Explorer.scenariosFor(v);
            if (scenarios.isEmpty()) throw new UsageException("no scenario exercises " + v);
        }
        long runs = a.longValue("--runs", -1);
        if (a.get("--runs") == null) throw new UsageException("missing --runs");
        if (runs < 1 || runs > 100_000_000L) throw new UsageException("--runs must be in 1..100000000");
        String strategy = a.getOr("--strategy", "random");
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new UsageException("--strategy must be random or pct, not '" + strategy + "'");
        }
        long seed = a.longValue("--seed", 0);
        long steps = a.longValue("--steps", 300);
        if (steps < 1 || steps > 1_000_000) throw new UsageException("--steps must be in 1..1000000");
        Bugs bugs = parseBugs(a.get("--inject"));
        long jobs = a.longValue("--jobs", 1);
        if (jobs < 1 || jobs > 256) throw new UsageException("--jobs must be in 1..256");
        // made only when a run fails (Explorer keeps the first failing logs there)
        Path keep = a.get("--keep") != null ? Path.of(a.get("--keep"))
                : Path.of(System.getProperty("java.io.tmpdir"), "mmucheck-explore-" + ProcessHandle.current().pid());
        Explorer.Config c = new Explorer.Config(scenarios, v, runs, strategy, seed, steps, bugs, keep, (int) jobs);
        Explorer.Summary s = Explorer.run(c, a.has("--until-fail"), err);
        if (a.has("--json")) {
            out.println(ExploreReport.json(s));
        } else {
            if (!bugs.isEmpty()) out.println("injected bugs: " + bugs);
            out.print(ExploreReport.text(s, manifest(), true));
        }
        return s.ok() ? ExitCode.OK : ExitCode.VIOLATION;
    }

    static Bugs parseBugs(String text) throws UsageException {
        if (text == null || text.isBlank()) return Bugs.NONE;
        List<Bug> l = new ArrayList<>();
        for (String n : text.split(",")) {
            try {
                l.add(Bug.valueOf(n.trim().toUpperCase(java.util.Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                List<String> names = new ArrayList<>();
                for (Bug b : Bug.values()) names.add(b.name());
                throw new UsageException("unknown bug '" + n + "' (one of " + String.join(", ", names) + ")");
            }
        }
        return Bugs.of(l);
    }

    /** The bundled models, to say whether TLC agrees on a variant's violation; null when not found. */
    static Manifest manifest() {
        try {
            return Manifest.read(Paths.root().resolve("spec/models/manifest.json"));
        } catch (BadInputException | UsageException e) {
            return null;
        }
    }
}
