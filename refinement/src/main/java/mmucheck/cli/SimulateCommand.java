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

/**
 * {@code mmucheck simulate}: one seeded run of the Java implementation, logged per
 * docs/trace-format.md. Exit 0 completed (or stopped at the step limit), 1 when the run-time
 * watch saw a violation, deadlocked or a replay diverged, 2 on bad arguments.
 */
public final class SimulateCommand implements Command {
    static final String USAGE = "--scenario S [--variant K=V[,K=V]] [--seed N] [--steps K] [--length N] --out FILE "
            + "[--strategy random|pct] [--pct-depth D] [--partial] [--choices FILE] [--replay FILE]";

    @Override
    public String summary() { return "run the implementation on a scenario, write a log (docs/impl.md)"; }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Args a = Args.parse(args, List.of("--scenario", "--variant", "--seed", "--steps", "--out", "--strategy",
                "--pct-depth", "--choices", "--replay", "--length"), List.of("--partial"));
        String name = a.required("--scenario");
        long seed = a.longValue("--seed", 0);
        long length = a.longValue("--length", Scenario.DEFAULT_MIXED_LENGTH);
        if (a.get("--length") != null && !name.equals(Scenarios.MIXED)) {
            throw new UsageException("--length sets the program length of --scenario mixed only");
        }
        if (length < 1 || length > Mixed.MAX_LENGTH) throw new UsageException("--length must be in 1.." + Mixed.MAX_LENGTH);
        Scenario sc = name.equals(Scenarios.MIXED) ? Scenarios.mixedPick(seed, (int) length)
                : Scenarios.byName(name).orElseThrow(() -> new UsageException(
                        "unknown scenario '" + name + "' (one of " + String.join(", ", Scenarios.allNames()) + ")"));
        Variant.Result v = Variant.parse(a.get("--variant"));
        if (v.variant() == null) throw new UsageException(v.error());
        long steps = a.longValue("--steps", 1000);
        if (steps < 1) throw new UsageException("--steps must be at least 1");
        String strategy = a.getOr("--strategy", "random");
        if (!strategy.equals("random") && !strategy.equals("pct")) {
            throw new UsageException("--strategy must be random or pct, not '" + strategy + "'");
        }
        long depth = a.longValue("--pct-depth", 3);
        if (depth < 1 || depth > 100) throw new UsageException("--pct-depth must be in 1..100");
        Path outFile = Path.of(a.required("--out"));
        List<Choices.Choice> replay = null;
        if (a.get("--replay") != null) {
            Path rf = Path.of(a.get("--replay"));
            String[] error = new String[1];
            try {
                replay = Choices.parse(Files.readAllLines(rf), error);
            } catch (IOException e) {
                throw new UsageException("cannot read " + rf + ": " + e.getMessage());
            }
            if (replay == null) throw new UsageException(rf + ": " + error[0]);
        }
        Simulation.Config cfg = new Simulation.Config(sc, v.variant(), seed, steps, strategy, (int) depth,
                a.has("--partial"), replay);
        Simulation.Result r;
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(outFile), 1 << 16)) {
            r = Simulation.run(cfg, o);
        } catch (IOException e) {
            throw new UsageException("cannot write " + outFile + ": " + e.getMessage());
        }
        if (a.get("--choices") != null) {
            try {
                Files.writeString(Path.of(a.get("--choices")), r.choicesText());
            } catch (IOException e) {
                throw new UsageException("cannot write " + a.get("--choices") + ": " + e.getMessage());
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
