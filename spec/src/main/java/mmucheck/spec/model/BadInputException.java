package mmucheck.spec.model;

/** Bad input (a manifest, a trace file): the message is one line naming the file and place. */
public final class BadInputException extends Exception {
    public BadInputException(String message) {
        super(message);
    }
}
