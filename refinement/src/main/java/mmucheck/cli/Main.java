package mmucheck.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single entry point of the {@code mmucheck} command line. Each sub-command is a
 * {@link Command}; this class only dispatches and maps failures to exit codes
 * (0 holds, 1 violation or divergence, 2 bad input or usage).
 */
public final class Main {
    private Main() {}

    /** The sub-commands, in the order the usage text lists them. */
    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        // Each sub-command registers itself here, one line each.
        m.put("check", new CheckCommand("check", "TLC over the bundled models: verdict table and counterexamples"));
        m.put("render", new RenderCommand());
        m.put("spec-doc", new SpecDocCommand());
        m.put("demo", new CheckCommand("demo", "the main job: check the unit and ci models, with counterexamples"));
        m.put("refine", new RefineCommand());
        m.put("simulate", new SimulateCommand());
        m.put("explore", new ExploreCommand());
        m.put("bench", new BenchCommand());
        m.put("kernel-capture", new KernelCaptureCommand());
        m.put("kernel-check", new KernelCheckCommand());
        m.put("tlc-server", new TlcServerCommand());
        m.put("tlc-worker", new TlcWorkerCommand());
        return m;
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command line; returns the exit code instead of exiting, so tests can call it. */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        Map<String, Command> cmds = commands();
        if (args.length == 0 || args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help")) {
            usage(cmds, args.length == 0 ? err : out);
            return args.length == 0 ? ExitCode.USAGE : ExitCode.OK;
        }
        Command c = cmds.get(args[0]);
        if (c == null) {
            err.println("mmucheck: unknown command '" + args[0] + "' (try: mmucheck --help)");
            return ExitCode.USAGE;
        }
        try {
            return c.run(Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (UsageException e) {
            err.println("mmucheck " + args[0] + ": " + e.getMessage());
            return ExitCode.USAGE;
        } catch (RuntimeException | OutOfMemoryError e) {
            // Last line of defence: never a stack trace on the terminal.
            err.println("mmucheck " + args[0] + ": internal error: " + e);
            return ExitCode.USAGE;
        }
    }

    private static void usage(Map<String, Command> cmds, PrintStream s) {
        s.println("usage: mmucheck COMMAND [ARGS]");
        s.println("commands:");
        cmds.forEach((name, c) -> s.printf("  %-14s %s%n", name, c.summary()));
        s.println("exit codes: 0 holds, 1 violation or divergence, 2 bad input or usage");
    }
}
