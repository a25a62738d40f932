package mmucheck.cli;

import java.io.PrintStream;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The single entry point of the {@code mmucheck} command line. Each sub-command is a
 * {@link Command}; this class only dispatches ({@code help COMMAND}, {@code --version}) and
 * maps failures to exit codes ({@link ExitCode}).
 */
public final class Main {
    private Main() {}

    /** The sub-commands, in the order the usage text lists them. */
    static Map<String, Command> commands() {
        Map<String, Command> m = new LinkedHashMap<>();
        // Each sub-command registers itself here, one line each.
        m.put("check", new CheckCommand("check", "TLC over the bundled models, or over your own cfg or variant: "
                + "verdict table and counterexamples"));
        m.put("render", new RenderCommand());
        m.put("spec-doc", new SpecDocCommand());
        m.put("demo", new CheckCommand("demo", "the main job: check the unit and ci models with their counterexamples "
                + "(artefacts under --out-dir), then seeded simulations refined and an injected bug caught"));
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
        return run(commands(), args, out, err);
    }

    static int run(Map<String, Command> cmds, String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0) {
            usage(cmds, err);
            return ExitCode.USAGE;
        }
        String first = args[0];
        if (first.equals("-h") || first.equals("--help") || (first.equals("help") && args.length == 1)) {
            usage(cmds, out);
            return ExitCode.OK;
        }
        if (first.equals("--version") || first.equals("-V")) {
            out.print(Version.text());
            return ExitCode.OK;
        }
        if (first.equals("help")) {
            // help COMMAND [TARGET]: the same text as COMMAND [TARGET] --help
            String[] rest = Arrays.copyOfRange(args, 1, args.length + 1);
            rest[rest.length - 1] = "--help";
            return run(cmds, rest, out, err);
        }
        Command c = cmds.get(first);
        if (c == null) {
            err.println("mmucheck: unknown command '" + first + "' (try: mmucheck --help)");
            return ExitCode.USAGE;
        }
        try {
            return Cli.execute(first, c, Arrays.copyOfRange(args, 1, args.length), out, err);
        } catch (OutOfMemoryError e) {
            // Last line of defence: never a stack trace, and never "bad input" for the tool's own failure.
            err.println("mmucheck " + first + ": internal error: out of memory (" + e.getMessage()
                    + "; more heap: MMUCHECK_JAVA_OPTS=-Xmx4g)");
            return ExitCode.INTERNAL;
        } catch (RuntimeException | StackOverflowError e) {
            err.println("mmucheck " + first + ": internal error: " + e);
            return ExitCode.INTERNAL;
        }
    }

    private static void usage(Map<String, Command> cmds, PrintStream s) {
        s.println("usage: mmucheck COMMAND [ARGS]   (mmucheck COMMAND --help, mmucheck help COMMAND, mmucheck --version)");
        s.println("commands:");
        cmds.forEach((name, c) -> s.printf("  %-14s %s%n", name, c.summary()));
        s.println(ExitCode.SUMMARY);
    }
}
