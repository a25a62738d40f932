package mmucheck.cli;

import java.io.PrintStream;

/** One sub-command of the command line. */
public interface Command {
    /** One line for the usage text. */
    String summary();

    /** Runs with the arguments after the command name; returns an {@link ExitCode}. */
    int run(String[] args, PrintStream out, PrintStream err) throws UsageException;
}
