package mmucheck.spec.tlc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * TLC's {@code -tool} output split into messages. Text outside any message (SANY's parse and
 * semantic errors arrive that way) is kept as {@code loose}.
 */
public record TlcOutput(List<TlcMessage> messages, String loose, boolean truncated) {
    private static final Pattern MARK =
            Pattern.compile("@!@!@STARTMSG (\\d+):(\\d+) @!@!@|@!@!@ENDMSG (\\d+) @!@!@");

    public TlcOutput {
        messages = List.copyOf(messages);
    }

    /** Splits the whole output; tolerates a truncated tail (a killed run) by closing open messages. */
    public static TlcOutput parse(String text) {
        List<TlcMessage> top = new ArrayList<>();
        StringBuilder loose = new StringBuilder();
        Deque<Open> stack = new ArrayDeque<>();
        Matcher m = MARK.matcher(text);
        int at = 0;
        while (m.find()) {
            append(stack, loose, text.substring(at, m.start()));
            at = m.end();
            if (m.group(1) != null) {
                stack.push(new Open(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2))));
                // The marker ends its line; the body starts on the next one.
                if (at < text.length() && text.charAt(at) == '\n') {
                    at++;
                }
            } else {
                close(stack, top);
                if (at < text.length() && text.charAt(at) == '\n') {
                    at++;
                }
            }
        }
        append(stack, loose, text.substring(at));
        boolean truncated = !stack.isEmpty();
        while (!stack.isEmpty()) {
            close(stack, top);
        }
        return new TlcOutput(top, loose.toString(), truncated);
    }

    private static void append(Deque<Open> stack, StringBuilder loose, String s) {
        if (stack.isEmpty()) {
            loose.append(s);
        } else {
            stack.peek().body.append(s);
        }
    }

    private static void close(Deque<Open> stack, List<TlcMessage> top) {
        if (stack.isEmpty()) {
            return; // an ENDMSG without a start: ignore rather than fail on odd output
        }
        Open o = stack.pop();
        String body = o.body.toString();
        // TLC writes ": " before a nested cause; drop that separator from the outer body.
        if (!o.nested.isEmpty() && body.endsWith(": ")) {
            body = body.substring(0, body.length() - 2);
        }
        TlcMessage msg = new TlcMessage(o.code, o.cls, body, o.nested);
        if (stack.isEmpty()) {
            top.add(msg);
        } else {
            stack.peek().nested.add(msg);
        }
    }

    /** All messages, nested ones included, in output order (outer before inner). */
    public List<TlcMessage> all() {
        List<TlcMessage> out = new ArrayList<>();
        for (TlcMessage m : messages) {
            flatten(m, out);
        }
        return out;
    }

    private static void flatten(TlcMessage m, List<TlcMessage> out) {
        out.add(m);
        for (TlcMessage n : m.nested()) {
            flatten(n, out);
        }
    }

    private static final class Open {
        final int code;
        final int cls;
        final StringBuilder body = new StringBuilder();
        final List<TlcMessage> nested = new ArrayList<>();

        Open(int code, int cls) {
            this.code = code;
            this.cls = cls;
        }
    }
}
