package mmucheck.refinement.report;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLC's plain output (run without {@code -tool}) framed as the {@code -tool} messages it stands
 * for, so one reader (mmucheck.spec.tlc.VerdictReader) reads both. Only what a counterexample
 * and its verdict need is framed: the error lines, the states, stuttering and back-to-state
 * ends, success and the statistics; everything else stays outside any message.
 */
public final class PlainTlc {
    private static final Pattern STATE = Pattern.compile("^State (\\d+): (.*)$");
    private static final Pattern BACK = Pattern.compile("^(\\d+): Back to state:? *(\\d+).*$");
    private static final Pattern STATS = Pattern.compile("^[\\d,]+ states generated, [\\d,]+ distinct states found.*");

    private PlainTlc() {}

    /** Whether {@code text} looks like TLC's plain output: its banner or a counterexample's first lines. */
    public static boolean looksLike(String text) {
        return text.startsWith("TLC2 Version") || Pattern.compile("(?m)^(Error: |State 1: )").matcher(text).find();
    }

    /** The same output with TLC's {@code -tool} message frames around the lines that carry meaning. */
    public static String toTool(String text) {
        String[] lines = text.split("\n", -1);
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < lines.length; i++) {
            String l = lines[i].stripTrailing();
            Matcher m;
            if (l.startsWith("Error: Invariant ") && l.endsWith("is violated by the initial state:")) {
                i = block(out, 2107, 1, l.substring(7), lines, i);
            } else if (l.startsWith("Error: Invariant ") && l.contains(" is violated")) {
                frame(out, 2110, 1, l.substring(7));
            } else if (l.startsWith("Error: Action property ")) {
                frame(out, 2112, 1, l.substring(7));
            } else if (l.equals("Error: The behavior up to this point is:")) {
                frame(out, 2121, 1, l.substring(7));
            } else if (l.startsWith("Error: Deadlock reached")) {
                frame(out, 2114, 1, l.substring(7));
            } else if (l.startsWith("Error: Temporal properties were violated")) {
                frame(out, 2116, 1, l.substring(7));
            } else if (l.startsWith("Error: ")) {
                // any other error, with the lines that follow it up to a blank one
                i = block(out, 1000, 1, l.substring(7), lines, i);
            } else if ((m = STATE.matcher(l)).matches()) {
                String head = m.group(1) + ": " + m.group(2);
                if (m.group(2).startsWith("Stuttering")) {
                    frame(out, 2218, 4, head);
                } else if (BACK.matcher(head).matches()) {
                    frame(out, 2122, 4, head);
                } else {
                    i = block(out, 2217, 4, head, lines, i);
                }
            } else if (l.startsWith("Model checking completed. No error has been found")) {
                frame(out, 2193, 0, l);
            } else if (STATS.matcher(l).matches()) {
                frame(out, 2199, 0, l);
            } else if (l.startsWith("The depth of the complete state graph search is")) {
                frame(out, 2194, 0, l);
            } else if (l.startsWith("Finished computing initial states:")) {
                frame(out, 2190, 0, l);
            } else if (l.startsWith("Progress(")) {
                frame(out, 2200, 0, l);
            } else {
                out.append(l).append('\n');
            }
        }
        return out.toString();
    }

    /** Frames {@code head} and the lines after line {@code i} up to a blank one; returns the last line taken. */
    private static int block(StringBuilder out, int code, int cls, String head, String[] lines, int i) {
        StringBuilder body = new StringBuilder(head);
        int j = i + 1;
        for (; j < lines.length && !lines[j].isBlank() && !STATE.matcher(lines[j]).matches()
                && !lines[j].startsWith("Error: "); j++) {
            body.append('\n').append(lines[j].stripTrailing());
        }
        frame(out, code, cls, body.toString());
        return j - 1;
    }

    private static void frame(StringBuilder out, int code, int cls, String body) {
        out.append("@!@!@STARTMSG ").append(code).append(':').append(cls).append(" @!@!@\n").append(body).append('\n')
                .append("@!@!@ENDMSG ").append(code).append(" @!@!@\n");
    }
}
