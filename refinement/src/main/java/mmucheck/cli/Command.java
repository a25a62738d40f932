package mmucheck.cli;

import java.io.PrintStream;
import java.util.List;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/**
 * One sub-command of the command line: its options (commons-cli), its synopsis and what it
 * does with the parsed command line. {@link Cli} adds {@code -h/--help}, prints the help and
 * formats usage errors the same way for every command.
 */
public interface Command {
    /** One line for the command list of {@code mmucheck --help}. */
    String summary();

    /** What follows {@code mmucheck NAME} in the usage line, e.g. {@code LOG [--json]}. */
    String synopsis();

    /** The options, each with a description (without -h/--help, which every command has). */
    Options options();

    /** Lines printed after the options by {@code --help} (exit codes, an example); may be empty. */
    default List<String> notes() {
        return List.of();
    }

    /**
     * Sub-commands of this command by name ({@code bench simulate}): when the first argument
     * names one, the rest of the arguments, --help included, are its own.
     */
    default java.util.Map<String, Command> targets() {
        return java.util.Map.of();
    }

    /** Runs with the parsed arguments; returns an {@link ExitCode}. */
    int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException;

    /** Parses {@code args} (no help handling: see {@link Cli#execute}) and runs. */
    default int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        return execute(Cli.parse(this, args), out, err);
    }
}
