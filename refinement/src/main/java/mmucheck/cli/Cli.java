package mmucheck.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/**
 * What every command shares: commons-cli parsing (no abbreviated long options, so a typo is
 * an error and not another option), {@code -h/--help}, the help text, and one format for
 * usage errors: {@code mmucheck NAME: PROBLEM} then {@code usage: mmucheck NAME SYNOPSIS},
 * exit 2.
 */
public final class Cli {
    private Cli() {}

    static final Option HELP = Option.builder("h").longOpt("help").desc("print this help and exit").build();

    /** Parses {@code args} against the command's options (with -h/--help). */
    static CommandLine parse(Command c, String[] args) throws UsageException {
        Options o = withHelp(c.options());
        try {
            return DefaultParser.builder().setAllowPartialMatching(false).build().parse(o, args);
        } catch (org.apache.commons.cli.MissingArgumentException e) {
            Option m = e.getOption();
            throw new UsageException("--" + m.getLongOpt() + " needs a value" + (m.getArgName() == null ? "" : " (" + m.getArgName() + ")"));
        } catch (org.apache.commons.cli.UnrecognizedOptionException e) {
            throw new UsageException("unknown option '" + e.getOption() + "'");
        } catch (ParseException e) {
            throw new UsageException(e.getMessage());
        }
    }

    private static Options withHelp(Options options) {
        Options o = new Options();
        o.addOption(HELP);
        options.getOptions().forEach(o::addOption);
        return o;
    }

    /**
     * Runs {@code c} as {@code mmucheck NAME ARGS}: help on -h/--help (exit 0, wherever the flag
     * is), a usage error or bad input as one line (exit 2). Never throws.
     */
    static int execute(String name, Command c, String[] args, PrintStream out, PrintStream err) {
        if (args.length > 0 && c.targets().containsKey(args[0])) {
            return execute(name + " " + args[0], c.targets().get(args[0]),
                    java.util.Arrays.copyOfRange(args, 1, args.length), out, err);
        }
        for (String a : args) {
            if (a.equals("-h") || a.equals("--help")) {
                out.print(help(name, c));
                return ExitCode.OK;
            }
            if (a.equals("--")) {
                break;
            }
        }
        try {
            return c.run(args, out, err);
        } catch (UsageException e) {
            err.print(usageError(name, c, e));
            return ExitCode.USAGE;
        }
    }

    /** The one format of a usage error (a bad input error has no usage line). */
    static String usageError(String name, Command c, UsageException e) {
        String s = "mmucheck " + name + ": " + e.getMessage() + "\n";
        return e.showsUsage() ? s + usageLine(name, c) + "\n" : s;
    }

    static String usageLine(String name, Command c) {
        String syn = c.synopsis();
        return "usage: mmucheck " + name + (syn.isEmpty() ? "" : " " + syn) + " (mmucheck " + name + " --help)";
    }

    /** {@code mmucheck NAME --help}: usage, summary, every option with its description, notes. */
    static String help(String name, Command c) {
        StringBuilder b = new StringBuilder();
        b.append("usage: mmucheck ").append(name);
        if (!c.synopsis().isEmpty()) {
            b.append(' ').append(c.synopsis());
        }
        b.append("\n\n").append(c.summary()).append("\n\noptions:\n");
        List<String[]> rows = new ArrayList<>();
        for (Option o : withHelp(c.options()).getOptions()) {
            String flag = (o.getOpt() != null ? "-" + o.getOpt() + ", " : "    ") + "--" + o.getLongOpt()
                    + (o.hasArg() ? " " + (o.getArgName() != null ? o.getArgName() : "VALUE") : "");
            rows.add(new String[] {flag, o.getDescription() == null ? "" : o.getDescription()});
        }
        rows.sort((x, y) -> x[0].replaceFirst("^-., ", "    ").compareTo(y[0].replaceFirst("^-., ", "    ")));
        int w = rows.stream().mapToInt(r -> r[0].length()).max().orElse(0);
        for (String[] r : rows) {
            b.append("  ").append(r[0]).append(" ".repeat(w - r[0].length() + 2)).append(r[1]).append('\n');
        }
        if (!c.targets().isEmpty()) {
            b.append("\ntargets:\n");
            int tw = c.targets().keySet().stream().mapToInt(String::length).max().orElse(0);
            c.targets().forEach((t, tc) -> b.append("  ").append(t).append(" ".repeat(tw - t.length() + 2))
                    .append(tc.summary()).append("  (mmucheck ").append(name).append(' ').append(t).append(" --help)\n"));
        }
        for (String n : c.notes()) {
            b.append(n.isEmpty() ? "\n" : "\n" + n);
        }
        if (!c.notes().isEmpty()) {
            b.append('\n');
        }
        return b.toString();
    }

    /** An option with a value. */
    static Option valued(String longOpt, String arg, String desc) {
        return Option.builder().longOpt(longOpt).hasArg().argName(arg).desc(desc).build();
    }

    /** A flag. */
    static Option flag(String longOpt, String desc) {
        return Option.builder().longOpt(longOpt).desc(desc).build();
    }

    static Options options(Option... os) {
        Options o = new Options();
        for (Option x : os) {
            o.addOption(x);
        }
        return o;
    }

    /** The value of --opt as a long in [min, max], or dflt when absent. */
    static long number(CommandLine cl, String opt, long dflt, long min, long max) throws UsageException {
        if (!cl.hasOption(opt)) {
            return dflt;
        }
        String v = cl.getOptionValue(opt);
        long n;
        try {
            n = Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UsageException("--" + opt + " needs a number, not '" + v + "'");
        }
        if (n < min || n > max) {
            throw new UsageException("--" + opt + " must be " + (max == Long.MAX_VALUE ? "at least " + min
                    : "in " + min + ".." + max) + ", not " + n);
        }
        return n;
    }

    static String required(CommandLine cl, String opt) throws UsageException {
        if (!cl.hasOption(opt)) {
            throw new UsageException("missing --" + opt);
        }
        return cl.getOptionValue(opt);
    }

    /** Exactly one positional argument, named {@code what} in the error. */
    static String onlyArgument(CommandLine cl, String what) throws UsageException {
        List<String> a = cl.getArgList();
        if (a.isEmpty()) {
            throw new UsageException("missing " + what);
        }
        if (a.size() > 1) {
            throw new UsageException("unexpected argument '" + a.get(1) + "'");
        }
        return a.get(0);
    }

    static void noArguments(CommandLine cl) throws UsageException {
        if (!cl.getArgList().isEmpty()) {
            throw new UsageException("unexpected argument '" + cl.getArgList().get(0) + "'");
        }
    }
}
