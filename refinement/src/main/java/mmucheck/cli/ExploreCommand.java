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
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code explore}: N seeded runs of the implementation, each refined against the spec; a
 * summary and the first failing seed's diagnosis. Exit 0 when every run refines and no
 * invariant is violated, 1 otherwise, 2 on bad arguments. {@code --inject BUG[,BUG]} turns on
 * injected bugs (mutation testing; mmucheck.impl.mm.Bug).
 */
final class ExploreCommand implements Command {
    @Override
    public String synopsis() {
        return "--runs N [--variant K=V[,K=V]] [--scenario S] [--strategy random|pct] [--seed S] [--steps K] [--json] "
                + "[--keep DIR] [--until-fail] [--inject BUG[,BUG]] [--jobs N]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("runs", "N", "how many seeded runs, 1..100000000"),
                Cli.valued("variant", "K=V,...", "cpu_flush, secondary, shadow (default nested,under_ptl,seq)"),
                Cli.valued("scenario", "S", "one scenario, or mixed (default: cycle through those the variant acts on)"),
                Cli.valued("strategy", "random|pct", "the scheduler (default random)"),
                Cli.valued("seed", "S", "the first seed (default 0)"),
                Cli.valued("steps", "K", "steps per run, 1..1000000 (default 300)"),
                Cli.flag("json", "print the summary as JSON"),
                Cli.valued("keep", "DIR", "where the first failing logs are kept (default a temp directory)"),
                Cli.flag("until-fail", "stop at the first failing run"),
                Cli.valued("inject", "BUG,...", "turn on test-only kernel bugs (mutation testing)"),
                Cli.valued("jobs", "N", "worker threads, each with its own checkers, 1..256 (default 1)"));
    }

    @Override
    public String summary() { return "simulate N seeded runs and refine each against the spec"; }

    @Override
    public int execute(CommandLine a, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(a);
        Variant.Result vr = Variant.parse(a.getOptionValue("variant"));
        if (vr.variant() == null) throw new UsageException(vr.error());
        Variant v = vr.variant();
        List<Scenario> scenarios;
        if (a.hasOption("scenario")) {
            String n = a.getOptionValue("scenario");
            // mixed: the explorer draws each run's programs from its seed
            Scenario s = n.equals(Scenarios.MIXED) ? Scenarios.mixedPick(0) : Scenarios.byName(n).orElseThrow(
                    () -> new UsageException("unknown scenario '" + n + "' (one of "
                            + String.join(", ", Scenarios.specNames()) + ", " + Scenarios.MIXED + ")"));
            scenarios = List.of(s);
        } else {
            scenarios = Explorer.scenariosFor(v);
            if (scenarios.isEmpty()) throw new UsageException("no scenario exercises " + v);
        }
        Cli.required(a, "runs");
        long runs = Cli.number(a, "runs", -1, 1, 100_000_000L);
        String strategy = a.getOptionValue("strategy", "random");
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new UsageException("--strategy must be random or pct, not '" + strategy + "'");
        }
        long seed = Cli.number(a, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        long steps = Cli.number(a, "steps", 300, 1, 1_000_000);
        Bugs bugs = parseBugs(a.getOptionValue("inject"));
        long jobs = Cli.number(a, "jobs", 1, 1, 256);
        // made only when a run fails (Explorer keeps the first failing logs there)
        Path keep = a.hasOption("keep") ? Path.of(a.getOptionValue("keep"))
                : Path.of(System.getProperty("java.io.tmpdir"), "mmucheck-explore-" + ProcessHandle.current().pid());
        Explorer.Config c = new Explorer.Config(scenarios, v, runs, strategy, seed, steps, bugs, keep, (int) jobs);
        Explorer.Summary s = Explorer.run(c, a.hasOption("until-fail"), err);
        if (a.hasOption("json")) {
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
