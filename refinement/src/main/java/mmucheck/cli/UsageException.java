package mmucheck.cli;

/**
 * Bad arguments or bad input: reported as one line, exit code 2. An argument problem
 * ({@link #UsageException(String)}) is followed by the command's usage line; bad input (a
 * file that is missing or malformed, {@link #badInput}) is not, since the arguments were fine.
 */
public final class UsageException extends Exception {
    private final boolean showUsage;

    public UsageException(String message) {
        this(message, true);
    }

    private UsageException(String message, boolean showUsage) {
        super(message);
        this.showUsage = showUsage;
    }

    /** A problem of the input named by well-formed arguments: no usage line after it. */
    public static UsageException badInput(String message) {
        return new UsageException(message, false);
    }

    public boolean showsUsage() {
        return showUsage;
    }
}
