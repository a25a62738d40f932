package mmucheck.refinement.check;

import java.util.List;
import java.util.Map;

/**
 * The result of checking one log: a value the reporters render and the CLI maps to an exit
 * code. {@code line}/{@code seq}/{@code action}/{@code args} locate the first failure
 * (line 0 when there is none); {@code diagnosis} is null unless the log diverges.
 */
public record Verdict(
        Kind kind,
        String message,
        int line,
        long seq,
        String action,
        Map<String, Object> args,
        String invariant,
        Diagnosis diagnosis,
        long steps,
        String spec,
        String mode,
        Ambiguity ambiguity,
        String implEnd) {

    public enum Kind {
        /** Every step is a step of the spec and every invariant holds. */
        REFINES,
        /** A logged step is not a step of the spec (or the first state is not initial). */
        DIVERGES,
        /** The log refines the spec up to a state that violates one of its invariants. */
        VIOLATES,
        /** The log breaks the format, or does not fit the model. */
        BAD_INPUT;

        public int exitCode() {
            return switch (this) {
                case REFINES -> 0;
                case DIVERGES, VIOLATES -> 1;
                case BAD_INPUT -> 2;
            };
        }

        public String word() {
            return switch (this) {
                case REFINES -> "refines";
                case DIVERGES -> "diverges";
                case VIOLATES -> "violates";
                case BAD_INPUT -> "bad-input";
            };
        }
    }

    /** Why a step is not a step of the spec. */
    public record Diagnosis(
            String conjunct,
            String conjunctLocation,
            String nearest,
            List<Difference> differs,
            List<String> enabled) {}

    /** One variable where the log and the nearest legal successor disagree (TLA+ text). */
    public record Difference(String variable, String logged, String expected) {}

    /** Partial logs: how many steps left more than one candidate state, and the largest frontier. */
    public record Ambiguity(long ambiguousSteps, long maxFrontier, int firstAmbiguousLine) {}

    public int exitCode() {
        return kind.exitCode();
    }

    static Verdict badInput(int line, String message) {
        return new Verdict(Kind.BAD_INPUT, message, line, -1, null, null, null, null, 0, null, null, null, null);
    }
}
