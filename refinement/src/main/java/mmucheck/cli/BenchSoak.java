package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import mmucheck.impl.scenario.Mixed;
import mmucheck.refinement.bench.SoakBench;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** {@code bench soak [--length N] [--seed S] [--steps K]}: one long mixed run simulated and refined. */
final class BenchSoak implements Command {
    static final String USAGE = "bench soak [--length N] [--seed S] [--steps K]";

    @Override
    public String summary() {
        return "[--length N] [--seed S] [--steps K]: one long mixed run (N instructions per CPU, default 4000) "
                + "simulated and refined, full and partial, with the refine JVM's RSS under -Xmx512m";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("length").hasArg().argName("N").desc("instructions per CPU").build());
        o.addOption(Option.builder().longOpt("seed").hasArg().argName("S").desc("MixedSeed and scheduler seed").build());
        o.addOption(Option.builder().longOpt("steps").hasArg().argName("K").desc("step limit of the run").build());
        CommandLine cl;
        try {
            cl = new DefaultParser().parse(o, args);
        } catch (ParseException e) {
            throw new UsageException(e.getMessage() + " (usage: mmucheck " + USAGE + ")");
        }
        if (!cl.getArgList().isEmpty()) throw new UsageException("unexpected '" + cl.getArgList().get(0) + "' (usage: mmucheck " + USAGE + ")");
        int length = Options2.intOption(cl, "length", 4000, 1, Mixed.MAX_LENGTH);
        int seed = Options2.intOption(cl, "seed", 1, 0, Mixed.MODULUS - 1);
        int steps = Options2.intOption(cl, "steps", 2_000_000, 1, Integer.MAX_VALUE);
        try {
            return SoakBench.run(length, seed, steps, out);
        } catch (IOException e) {
            err.println("mmucheck bench soak: " + e.getMessage());
            return ExitCode.USAGE;
        }
    }
}
