package mmucheck.cli;

/**
 * Exit codes shared by every sub-command, one per outcome, as TLC's own statuses separate
 * success (0), violations (10-14) and errors of the input (150-151) from those of the system
 * (153, 255). A script can tell "the property fails" from "the question was malformed" and
 * from "the tool could not answer".
 */
public final class ExitCode {
    /** The model holds, the log refines, every verdict matches the manifest. */
    public static final int OK = 0;
    /** A violation found: an invariant or property fails, a deadlock, a log diverges. */
    public static final int VIOLATION = 1;
    /** Bad input or usage: arguments, a spec, a cfg, a log or a manifest that is malformed. */
    public static final int USAGE = 2;
    /** A verdict differs from the one the manifest records (result, states or depth). */
    public static final int MISMATCH = 3;
    /** TLC (or a capture) ran out of its time limit: no verdict. */
    public static final int TIMEOUT = 4;
    /** The tool failed: out of memory, TLC crashed, a bug of mmucheck. */
    public static final int INTERNAL = 5;

    /** The README's one-line summary, also printed by {@code mmucheck --help}. */
    static final String SUMMARY = "exit codes: 0 holds/refines, 1 violation or divergence found, 2 bad input or usage, "
            + "3 verdict differs from the manifest, 4 timeout, 5 internal error";

    private ExitCode() {}

    /** The worse of two outcomes: internal > timeout > bad input > mismatch > violation > ok. */
    static int worst(int a, int b) {
        return rank(a) >= rank(b) ? a : b;
    }

    private static int rank(int code) {
        return switch (code) {
            case OK -> 0;
            case VIOLATION -> 1;
            case MISMATCH -> 2;
            case USAGE -> 3;
            case TIMEOUT -> 4;
            default -> 5;
        };
    }
}
