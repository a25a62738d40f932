package mmucheck.spec.tlc;

import mmucheck.spec.trace.Trace;

/**
 * What TLC found for one model, as a value.
 *
 * @param result {@code holds}, {@code violates:<Invariant>}, {@code deadlock},
 *     {@code violates:<TemporalProperty>} or {@code error}
 * @param error for {@code error}: one line, {@code file:line: text} where TLC gives a place
 * @param distinct distinct states found
 * @param depth TLC's "depth of the complete state graph search" (for liveness runs, which do
 *     not print it, the last progress level)
 * @param generated total states generated
 * @param seconds wall-clock time of the TLC run
 * @param counterexample the behaviour TLC printed, or null
 */
public record Verdict(String result, String error, long distinct, int depth, long generated, double seconds,
        Trace counterexample) {

    public static final String HOLDS = "holds";
    public static final String DEADLOCK = "deadlock";
    public static final String ERROR = "error";
    public static final String VIOLATES = "violates:";

    public static Verdict error(String message, double seconds) {
        return new Verdict(ERROR, message, 0, 0, 0, seconds, null);
    }

    public boolean isError() {
        return ERROR.equals(result);
    }

    public boolean isViolation() {
        return result.startsWith(VIOLATES) || DEADLOCK.equals(result);
    }

    /** The violated invariant or property, or null. */
    public String violated() {
        return result.startsWith(VIOLATES) ? result.substring(VIOLATES.length()) : null;
    }

    /** The result as shown in tables: the result, or {@code error: <message>}. */
    public String shown() {
        return isError() ? ERROR + ": " + error : result;
    }

    public Verdict withSeconds(double s) {
        return new Verdict(result, error, distinct, depth, generated, s, counterexample);
    }
}
