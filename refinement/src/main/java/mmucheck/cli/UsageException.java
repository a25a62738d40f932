package mmucheck.cli;

/** Bad arguments or bad input: reported as one line, exit code 2. */
public final class UsageException extends Exception {
    public UsageException(String message) {
        super(message);
    }
}
