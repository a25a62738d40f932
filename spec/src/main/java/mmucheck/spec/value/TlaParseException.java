package mmucheck.spec.value;

/** Text that is not a TLA+ value as TLC prints it; the message is one line with line and column. */
public final class TlaParseException extends Exception {
    public TlaParseException(String message) {
        super(message);
    }
}
