package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import mmucheck.impl.scenario.Mixed;
import mmucheck.refinement.bench.SoakBench;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code bench soak [--length N] [--seed S] [--steps K]}: one long mixed run simulated and refined. */
final class BenchSoak implements Command {
    @Override
    public String summary() {
        return "one long mixed run (N instructions per CPU, default 4000) simulated and refined, full and partial, "
                + "with the refine JVM's RSS under -Xmx512m";
    }

    @Override
    public String synopsis() {
        return "[--length N] [--seed S] [--steps K]";
    }

    @Override
    public Options options() {
        return Cli.options(
                Cli.valued("length", "N", "instructions per CPU, 1.." + Mixed.MAX_LENGTH + " (default 4000)"),
                Cli.valued("seed", "S", "MixedSeed and scheduler seed, 0.." + (Mixed.MODULUS - 1) + " (default 1)"),
                Cli.valued("steps", "K", "step limit of the run (default 2000000)"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(cl);
        int length = (int) Cli.number(cl, "length", 4000, 1, Mixed.MAX_LENGTH);
        int seed = (int) Cli.number(cl, "seed", 1, 0, Mixed.MODULUS - 1);
        int steps = (int) Cli.number(cl, "steps", 2_000_000, 1, Integer.MAX_VALUE);
        try {
            return SoakBench.run(length, seed, steps, out);
        } catch (IOException e) {
            throw UsageException.badInput(e.getMessage());
        }
    }
}
