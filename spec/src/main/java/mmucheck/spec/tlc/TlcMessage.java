package mmucheck.spec.tlc;

import java.util.List;

/**
 * One message of TLC's {@code -tool} output, framed by {@code @!@!@STARTMSG code:class @!@!@}
 * and {@code @!@!@ENDMSG code @!@!@}. Class 0 is information, 1 an error, 4 a state.
 * Messages nested inside this one (TLC nests a cause inside code 1000) are in {@code nested}.
 */
public record TlcMessage(int code, int cls, String body, List<TlcMessage> nested) {
    public TlcMessage {
        nested = List.copyOf(nested);
    }

    // The codes this runner reads (from tlc2.output.EC / MP, checked against real output in
    // src/test/resources/tlc-output).
    public static final int GENERAL_ERROR = 1000;
    public static final int CONFIG_FILE_ERROR = 5001;
    public static final int PARSING_FAILED = 3002;
    public static final int EVAL_ERROR_NESTED = 2103;
    public static final int INVARIANT_VIOLATED_INITIAL = 2107;
    public static final int INVARIANT_VIOLATED = 2110;
    public static final int ACTION_PROPERTY_VIOLATED = 2112;
    public static final int DEADLOCK = 2114;
    public static final int TEMPORAL_VIOLATED = 2116;
    public static final int BEHAVIOR_UP_TO_HERE = 2121;
    public static final int BACK_TO_STATE = 2122;
    public static final int INIT_DONE = 2190;
    public static final int SUCCESS = 2193;
    public static final int SEARCH_DEPTH = 2194;
    public static final int STATS = 2199;
    public static final int PROGRESS = 2200;
    public static final int STATE = 2217;
    public static final int STUTTER = 2218;
    public static final int COUNTEREXAMPLE = 2264;

    public boolean isError() {
        return cls == 1;
    }

    /** The body with nested messages' text included, on one line. */
    public String oneLine() {
        StringBuilder sb = new StringBuilder(body.strip().replaceAll("\\s+", " "));
        for (TlcMessage m : nested) {
            sb.append(' ').append(m.oneLine());
        }
        return sb.toString().strip();
    }
}
