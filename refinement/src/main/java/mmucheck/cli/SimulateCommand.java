package mmucheck.cli;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mmucheck.impl.Simulation;
import mmucheck.impl.scenario.Mixed;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.Choices;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * {@code mmucheck simulate}: one seeded run of the Java implementation, logged per
 * docs/trace-format.md. Exit 0 completed (or stopped at the step limit), 1 when the run-time
 * watch saw a violation, deadlocked or a replay diverged, 2 on bad arguments.
 */
public final class SimulateCommand implements Command {
    @Override
    public String synopsis() {
        return "--scenario S --out FILE [--variant K=V[,K=V]] [--seed N] [--steps K] [--length N] [--strategy random|pct] "
                + "[--pct-depth D] [--partial] [--choices FILE] [--replay FILE]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("scenario", "S", "a spec scenario (Scenarios.tla), or mixed: programs drawn from the seed"),
                Cli.valued("out", "FILE", "where to write the log (docs/trace-format.md)"),
                Cli.valued("variant", "K=V,...", "cpu_flush, secondary, shadow (default nested,under_ptl,seq)"),
                Cli.valued("seed", "N", "the scheduler's seed (default 0)"),
                Cli.valued("steps", "K", "stop after K steps (default 1000)"),
                Cli.valued("length", "N", "with --scenario mixed: instructions per CPU (MixedLength), 1.."
                        + Mixed.MAX_LENGTH + " (default " + Scenario.DEFAULT_MIXED_LENGTH + ")"),
                Cli.valued("strategy", "random|pct", "the scheduler (default random)"),
                Cli.valued("pct-depth", "D", "PCT's bug depth, 1..100 (default 3)"),
                Cli.flag("partial", "log only what each step changes (a partial log)"),
                Cli.valued("choices", "FILE", "also write the scheduler's choices, for --replay"),
                Cli.valued("replay", "FILE", "replay the choices of an earlier run"));
    }

    @Override
    public String summary() { return "run the implementation on a scenario, write a log (docs/impl.md)"; }

    @Override
    public int execute(CommandLine a, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(a);
        String name = Cli.required(a, "scenario");
        long seed = Cli.number(a, "seed", 0, Long.MIN_VALUE, Long.MAX_VALUE);
        if (a.hasOption("length") && !name.equals(Scenarios.MIXED)) {
            throw new UsageException("--length sets the program length of --scenario mixed only");
        }
        long length = Cli.number(a, "length", Scenario.DEFAULT_MIXED_LENGTH, 1, Mixed.MAX_LENGTH);
        Scenario sc = name.equals(Scenarios.MIXED) ? Scenarios.mixedPick(seed, (int) length)
                : Scenarios.byName(name).orElseThrow(() -> new UsageException(
                        "unknown scenario '" + name + "' (one of " + String.join(", ", Scenarios.allNames()) + ")"));
        Variant.Result v = Variant.parse(a.getOptionValue("variant"));
        if (v.variant() == null) throw new UsageException(v.error());
        long steps = Cli.number(a, "steps", 1000, 1, Long.MAX_VALUE);
        String strategy = a.getOptionValue("strategy", "random");
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new UsageException("--strategy must be random or pct, not '" + strategy + "'");
        }
        long depth = Cli.number(a, "pct-depth", 3, 1, 100);
        Path outFile = Path.of(Cli.required(a, "out"));
        List<Choices.Choice> replay = null;
        if (a.hasOption("replay")) {
            Path rf = Path.of(a.getOptionValue("replay"));
            String[] error = new String[1];
            try {
                replay = Choices.parse(Files.readAllLines(rf), error);
            } catch (IOException e) {
                throw UsageException.badInput("cannot read " + rf + ": " + e.getMessage());
            }
            if (replay == null) throw UsageException.badInput(rf + ": " + error[0]);
        }
        Simulation.Config cfg = new Simulation.Config(sc, v.variant(), seed, steps, strategy, (int) depth,
                a.hasOption("partial"), replay);
        Simulation.Result r;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(outFile), 1 << 16)) {
            r = Simulation.run(cfg, o);
        } catch (IOException e) {
            throw UsageException.badInput("cannot write " + outFile + ": " + e.getMessage());
        }
        if (a.hasOption("choices")) {
            try {
                Files.writeString(Path.of(a.getOptionValue("choices")), r.choicesText());
            } catch (IOException e) {
                throw UsageException.badInput("cannot write " + a.getOptionValue("choices") + ": " + e.getMessage());
            }
        }
        out.printf("%s %s seed %d %s: %s after %d steps, %d observed%s -> %s%n", sc.name(), v.variant(), seed,
                cfg.strategyName(), r.end(), r.steps(), r.observed().size(),
                r.reason() == null || r.end().equals("completed") ? "" : " (" + r.reason() + ")", outFile);
        if (r.diverged()) err.println("mmucheck simulate: " + r.reason());
        return switch (r.kind()) {
            case COMPLETED, STEP_LIMIT -> r.failed() ? ExitCode.VIOLATION : ExitCode.OK;
            default -> ExitCode.VIOLATION;
        };
    }
}
