package mmucheck.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/** {@code mmucheck bench WHAT}: dispatches on its first argument to one benchmark. */
public final class BenchCommand implements Command {
    private final Map<String, Command> benches = new LinkedHashMap<>();

    public BenchCommand() {
        benches.put("simulate", new BenchSimulate());
    }

    @Override
    public String summary() { return "benchmarks: bench " + String.join("|", benches.keySet()) + " [ARGS]"; }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        if (args.length == 0) throw new UsageException("which benchmark? (" + String.join(", ", benches.keySet()) + ")");
        Command c = benches.get(args[0]);
        if (c == null) throw new UsageException("unknown benchmark '" + args[0] + "' (" + String.join(", ", benches.keySet()) + ")");
        return c.run(Arrays.copyOfRange(args, 1, args.length), out, err);
    }
}
