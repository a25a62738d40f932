package mmucheck.cli;

/** Exit codes shared by every sub-command. */
public final class ExitCode {
    public static final int OK = 0;
    public static final int VIOLATION = 1;
    public static final int USAGE = 2;

    private ExitCode() {}
}
