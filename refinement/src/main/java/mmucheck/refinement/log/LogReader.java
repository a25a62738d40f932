package mmucheck.refinement.log;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a trace log as a stream: one line at a time into a buffer capped at
 * {@code maxLineBytes} (a huge line is bad input, not an out-of-memory error), each parsed by
 * Jackson's streaming parser; never the whole file. Each call to {@link #next} returns the
 * next line decoded, a {@link LogLine.Bad} for the first malformed line, or null at the end.
 */
public final class LogReader implements AutoCloseable {
    /** Default cap on one line: far above any real state, far below the heap. */
    public static final int DEFAULT_MAX_LINE_BYTES = 16 << 20;

    private final InputStream in;
    private final JsonFactory factory;
    private final int maxLineBytes;
    private JsonParser p;
    /** Read blocks: 16 kB holds a dozen MMU lines and grows for a longer line. */
    private byte[] buf = new byte[1 << 14];
    private int pos;
    private int lim;
    private boolean eof;
    private byte[] lineBytes = new byte[1 << 12];
    /** The buffer {@link #decode} is reading (lineBytes, or a line given to {@link #decodeLine}). */
    private byte[] decoding;
    private int lineNo;
    private boolean failed;
    private int rawLen = -1;
    private LogLine.Bad pending;
    /**
     * Per state variable, the bytes of its last logged value and the decoded value: most steps
     * change few variables, and an unchanged value is then neither decoded nor converted again
     * (the checker sees the same object and knows it is unchanged).
     */
    private final Map<String, Object[]> lastValue = new java.util.HashMap<>();

    /** Thrown inside the reader only; surfaces as a {@link LogLine.Bad} value. */
    private static final class BadLine extends Exception {
        final int line;

        BadLine(int line, String message) {
            super(message, null, false, false);
            this.line = line;
        }
    }

    public LogReader(InputStream in, int maxLineBytes) throws IOException {
        this(in, maxLineBytes, factory(maxLineBytes));
    }

    /**
     * A reader whose parsers come from {@code factory}, made by {@link #factory} with the same
     * maxLineBytes: a checker reading many logs shares one, so the field names of the log are
     * interned once, not once per log (a tenth of the cost of a short log).
     */
    public LogReader(InputStream in, int maxLineBytes, JsonFactory factory) throws IOException {
        this.factory = factory;
        this.in = in;
        this.maxLineBytes = maxLineBytes;
    }

    /** The parser factory for lines of at most maxLineBytes (thread-safe, reusable). */
    public static JsonFactory factory(int maxLineBytes) {
        return JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(1000, maxLineBytes))
                        .maxNestingDepth(200)
                        .maxNumberLength(40)
                        .build())
                .build();
    }

    /** The header (only valid as the first call). */
    public LogLine nextHeader() {
        Object o = next(true);
        return (LogLine) o;
    }

    /** The next line, a Bad, or null at end of file. */
    public LogLine next() {
        return (LogLine) next(false);
    }

    private Object next(boolean header) {
        return advance() ? decode(header) : pending;
    }

    /** The current raw line (after {@link #advance}): bytes 0..{@link #rawLength} of this array. */
    public byte[] rawBytes() {
        return lineBytes;
    }

    public int rawLength() {
        return rawLen;
    }

    /** The 1-based number of the current raw line. */
    public int rawLineNumber() {
        return lineNo;
    }

    /**
     * Reads the next line without decoding it: true when there is one (see {@link #rawBytes});
     * false at the end of the file or on a read error, and then {@link #decodeCurrent} returns
     * null or the {@link LogLine.Bad}. Lets a caller check a line from its bytes and decode
     * only the lines it needs as values.
     */
    public boolean advance() {
        pending = null;
        if (failed) {
            return false;
        }
        try {
            rawLen = readLine();
            return rawLen >= 0;
        } catch (BadLine b) {
            failed = true;
            pending = new LogLine.Bad(b.line, b.getMessage());
        } catch (IOException e) {
            failed = true;
            pending = new LogLine.Bad(lineNo + 1, "cannot read: " + e.getMessage());
        }
        return false;
    }

    /** The line {@link #advance} read, decoded (a step, end or Bad line); null at the end. */
    public LogLine decodeCurrent() {
        return pending != null || rawLen < 0 || failed ? pending : decode(false);
    }

    /**
     * An earlier line (its bytes, kept by the caller) decoded as line number {@code line}: for
     * a verdict about a state that the lines after it settled. Leaves this reader's position.
     */
    public LogLine decodeLine(byte[] bytes, int line) {
        boolean wasFailed = failed;
        LogLine l = decode(bytes, bytes.length, line, false);
        failed = wasFailed;
        return l;
    }

    private LogLine decode(boolean header) {
        int len = rawLen;
        rawLen = -1;
        return decode(lineBytes, len, lineNo, header);
    }

    private LogLine decode(byte[] bytes, int len, int line, boolean header) {
        decoding = bytes;
        try {
            p = factory.createParser(bytes, 0, len);
            JsonToken t = p.nextToken();
            if (t == null) {
                throw new BadLine(line, "empty line");
            }
            if (t != JsonToken.START_OBJECT) {
                throw new BadLine(line, "not a JSON object");
            }
            LogLine l = header ? header(line) : body(line);
            if (p.nextToken() != null) {
                throw new BadLine(line, "more than one JSON value on the line");
            }
            return l;
        } catch (BadLine b) {
            failed = true;
            return new LogLine.Bad(b.line, b.getMessage());
        } catch (JsonEOFException e) {
            failed = true;
            return new LogLine.Bad(line, "truncated line (unexpected end of input)");
        } catch (JsonProcessingException e) {
            failed = true;
            String m = e.getOriginalMessage();
            if (m != null && m.contains("exceeds the maximum allowed")) {
                return new LogLine.Bad(line, "line longer than " + maxLineBytes + " bytes");
            }
            return new LogLine.Bad(line, "not JSON: " + firstLine(m));
        } catch (IOException e) {
            failed = true;
            return new LogLine.Bad(line, "cannot read: " + e.getMessage());
        }
    }

    /**
     * Reads the next line (without its newline) into lineBytes; returns its length, or -1 at
     * the end of the file. Never holds more than maxLineBytes of one line.
     */
    private int readLine() throws IOException, BadLine {
        int scanFrom = pos;
        while (true) {
            int nl = indexOfNewline(buf, scanFrom, lim);
            if (nl >= 0) {
                return noNul(take(nl, nl + 1));
            }
            if (lim - pos > maxLineBytes) {
                throw new BadLine(lineNo + 1, "line longer than " + maxLineBytes + " bytes");
            }
            if (eof) {
                return pos == lim ? -1 : noNul(take(lim, lim));
            }
            if (pos > 0) {
                System.arraycopy(buf, pos, buf, 0, lim - pos);
                lim -= pos;
                pos = 0;
            }
            scanFrom = lim;
            if (lim == buf.length) {
                buf = java.util.Arrays.copyOf(buf, (int) Math.min((long) buf.length * 2, maxLineBytes + 2L));
            }
            int n = in.read(buf, lim, buf.length - lim);
            if (n < 0) {
                eof = true;
            } else {
                lim += n;
            }
        }
    }

    private static final java.lang.invoke.VarHandle LONGS =
            java.lang.invoke.MethodHandles.byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;
    private static final long ONES = 0x0101010101010101L;
    private static final long HIGHS = 0x8080808080808080L;

    /**
     * The index of the first '\n' in b[from, to), or -1: eight bytes at a time (an MMU log line
     * is over a kilobyte, and every line is searched before anything else). A zero byte of
     * w = word ^ NEWLINES is a newline; (w - ONES) & ~w & HIGHS marks the lowest such byte
     * exactly (stray marks appear only above a true one), and the words are little-endian.
     */
    static int indexOfNewline(byte[] b, int from, int to) {
        int i = from;
        for (; i + Long.BYTES <= to; i += Long.BYTES) {
            long w = (long) LONGS.get(b, i) ^ NEWLINES;
            long marks = (w - ONES) & ~w & HIGHS;
            if (marks != 0) {
                return i + (Long.numberOfTrailingZeros(marks) >>> 3);
            }
        }
        for (; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    /**
     * The line's length, or bad input when it holds a NUL, raw or escaped (backslash-u-0000).
     * Jackson rejects a raw control character inside a string, but a raw NUL among the first
     * bytes makes it guess UTF-16 (a garbled message, or a line read in the wrong encoding), and
     * an escaped one is valid JSON that no TLA+ string can hold; the fast path of the checker
     * skips some values unread. So every line is searched here, before anyone decodes it.
     */
    private int noNul(int len) throws BadLine {
        int at = nulAt(lineBytes, len);
        if (at >= 0) {
            throw new BadLine(lineNo, "control character U+0000 (NUL) at byte " + (at + 1)
                    + " (not allowed in a log line, raw or escaped)");
        }
        return len;
    }

    private static final long BACKSLASHES = 0x5C5C5C5C5C5C5C5CL;

    /** The index of the first raw NUL or escaped NUL (backslash-u-0000) in b[0, len), or -1; eight plain bytes at a time. */
    static int nulAt(byte[] b, int len) {
        int i = 0;
        while (i < len) {
            if (i + Long.BYTES <= len) {
                long w = (long) LONGS.get(b, i);
                long x = w ^ BACKSLASHES;
                if (((((w - ONES) & ~w) | ((x - ONES) & ~x)) & HIGHS) == 0) {
                    i += Long.BYTES; // no zero byte and no backslash in these eight
                    continue;
                }
            }
            byte c = b[i];
            if (c == 0) {
                return i;
            }
            if (c == '\\') {
                if (i + 5 < len && b[i + 1] == 'u' && b[i + 2] == '0' && b[i + 3] == '0' && b[i + 4] == '0'
                        && b[i + 5] == '0') {
                    return i;
                }
                i += 2; // the escaped character is never the start of another escape
            } else {
                i++;
            }
        }
        return -1;
    }

    private int take(int endOfLine, int next) {
        int len = endOfLine - pos;
        if (lineBytes.length < len) {
            lineBytes = new byte[Math.max(len, lineBytes.length * 2)];
        }
        System.arraycopy(buf, pos, lineBytes, 0, len);
        pos = next;
        lineNo++;
        return len;
    }

    private static int lineOf(JsonProcessingException e, int fallback) {
        return e.getLocation() == null || e.getLocation().getLineNr() < 1 ? fallback : e.getLocation().getLineNr();
    }

    private static String firstLine(String m) {
        if (m == null) {
            return "malformed";
        }
        int nl = m.indexOf('\n');
        return (nl < 0 ? m : m.substring(0, nl)).trim();
    }

    private LogLine header(int line) throws IOException, BadLine {
        String format = null;
        String spec = null;
        String mode = null;
        long version = -1;
        Map<String, Object> constants = null;
        while (nextField(line)) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "format" -> format = text(v, line, name);
                case "version" -> version = integer(v, line, name);
                case "spec" -> spec = text(v, line, name);
                case "mode" -> mode = text(v, line, name);
                case "constants" -> constants = object(v, line, name);
                default -> skip(v, line);
            }
        }
        if (format == null) {
            throw new BadLine(line, "missing header (the first line has no \"format\")");
        }
        if (!format.equals("mmucheck-trace")) {
            throw new BadLine(line, "not an mmucheck trace (format \"" + format + "\")");
        }
        if (version != 1) {
            throw new BadLine(line, "unsupported log version " + version + " (this checker reads version 1)");
        }
        if (spec == null || constants == null || mode == null) {
            throw new BadLine(line, "header lacks " + (spec == null ? "\"spec\"" : constants == null ? "\"constants\"" : "\"mode\""));
        }
        if (!mode.equals("full") && !mode.equals("partial")) {
            throw new BadLine(line, "mode must be \"full\" or \"partial\", not \"" + mode + "\"");
        }
        return new LogLine.Header(line, spec, (int) version, constants, mode);
    }

    private LogLine body(int line) throws IOException, BadLine {
        long seq = -1;
        String agent = null;
        String action = null;
        String end = null;
        long steps = -1;
        List<Object> observed = List.of();
        Map<String, Object> args = Map.of();
        Map<String, Object> state = null;
        boolean stutter = false;
        while (nextField(line)) {
            String name = p.currentName();
            JsonToken v = p.nextToken();
            switch (name) {
                case "seq" -> seq = integer(v, line, name);
                case "agent" -> agent = text(v, line, name);
                case "action" -> action = text(v, line, name);
                case "args" -> args = object(v, line, name);
                case "state" -> state = state(v, line);
                case "stutter" -> {
                    if (v != JsonToken.VALUE_TRUE && v != JsonToken.VALUE_FALSE) {
                        throw new BadLine(line, "\"stutter\" must be true or false");
                    }
                    stutter = v == JsonToken.VALUE_TRUE;
                }
                case "end" -> end = text(v, line, name);
                case "steps" -> steps = integer(v, line, name);
                case "observed" -> {
                    Object o = value(v, line);
                    if (!(o instanceof List<?> l)) {
                        throw new BadLine(line, "\"observed\" must be an array");
                    }
                    observed = new ArrayList<>(l);
                }
                case "format" -> throw new BadLine(line, "a second header");
                default -> skip(v, line);
            }
        }
        if (end != null) {
            return new LogLine.End(line, end, steps, observed);
        }
        if (seq < 0 || action == null || state == null) {
            throw new BadLine(line, "a state line needs \"seq\", \"action\" and \"state\"");
        }
        return new LogLine.Step(line, seq, agent, action, args, state, stutter);
    }

    private boolean nextField(int line) throws IOException, BadLine {
        JsonToken t = p.nextToken();
        if (t == JsonToken.END_OBJECT) {
            return false;
        }
        if (t != JsonToken.FIELD_NAME) {
            throw new BadLine(line, "malformed object");
        }
        return true;
    }

    private void skip(JsonToken v, int line) throws IOException, BadLine {
        if (v == JsonToken.START_OBJECT || v == JsonToken.START_ARRAY) {
            value(v, line); // walked token by token so the line cap applies
        }
    }

    private String text(JsonToken v, int line, String field) throws BadLine, IOException {
        if (v != JsonToken.VALUE_STRING) {
            throw new BadLine(line, "\"" + field + "\" must be a string");
        }
        return p.getText();
    }

    private long integer(JsonToken v, int line, String field) throws BadLine, IOException {
        if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
            throw new BadLine(line, "\"" + field + "\" must be an integer");
        }
        return p.getLongValue();
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> object(JsonToken v, int line, String field) throws BadLine, IOException {
        Object o = value(v, line);
        if (!(o instanceof Map) || ((Map<?, ?>) o).keySet().stream().anyMatch(k -> !(k instanceof String))) {
            throw new BadLine(line, "\"" + field + "\" must be an object keyed by names");
        }
        return (Map<String, Object>) o;
    }

    /** A state object; a variable whose bytes equal its last logged value reuses that value. */
    private Map<String, Object> state(JsonToken v, int line) throws IOException, BadLine {
        if (v != JsonToken.START_OBJECT) {
            throw new BadLine(line, "\"state\" must be an object keyed by names");
        }
        Map<String, Object> m = new LinkedHashMap<>();
        for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
            String name = p.currentName();
            JsonToken vt = p.nextToken();
            Object val;
            if (vt == JsonToken.START_OBJECT || vt == JsonToken.START_ARRAY) {
                int start = (int) p.currentTokenLocation().getByteOffset();
                p.skipChildren();
                int end = (int) p.currentLocation().getByteOffset();
                Object[] last = lastValue.get(name);
                if (last != null && java.util.Arrays.equals((byte[]) last[0], 0, ((byte[]) last[0]).length,
                        decoding, start, end)) {
                    val = last[1];
                } else {
                    JsonParser outer = p;
                    try (JsonParser sub = factory.createParser(decoding, start, end - start)) {
                        p = sub;
                        val = value(p.nextToken(), line);
                    } finally {
                        p = outer;
                    }
                    lastValue.put(name, new Object[] {java.util.Arrays.copyOfRange(decoding, start, end), val});
                }
            } else {
                val = value(vt, line);
            }
            if (m.put(name, val) != null) {
                throw new BadLine(line, "duplicate key \"" + name + "\"");
            }
        }
        return m;
    }

    /** Decodes one value per docs/trace-format.md (ITF-style #set, #map, #mv, #bigint). */
    private Object value(JsonToken t, int line) throws IOException, BadLine {
        switch (t) {
            case VALUE_NUMBER_INT:
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    throw new BadLine(line, "integer " + p.getText() + " is too large");
                }
                return p.getLongValue();
            case VALUE_NUMBER_FLOAT:
                throw new BadLine(line, "number " + p.getText() + " is not an integer");
            case VALUE_TRUE:
                return Boolean.TRUE;
            case VALUE_FALSE:
                return Boolean.FALSE;
            case VALUE_STRING:
                return p.getText();
            case VALUE_NULL:
                throw new BadLine(line, "null has no TLA+ meaning");
            case START_ARRAY: {
                List<Object> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    l.add(value(e, line));
                }
                return l;
            }
            case START_OBJECT: {
                JsonToken f = p.nextToken();
                if (f == JsonToken.END_OBJECT) {
                    return new LinkedHashMap<String, Object>();
                }
                String first = p.currentName();
                if (first.startsWith("#")) {
                    Object special = special(first, p.nextToken(), line);
                    if (p.nextToken() != JsonToken.END_OBJECT) {
                        throw new BadLine(line, "\"" + first + "\" must be the only key of its object");
                    }
                    return special;
                }
                Map<String, Object> m = new LinkedHashMap<>();
                while (true) {
                    String name = p.currentName();
                    if (m.put(name, value(p.nextToken(), line)) != null) {
                        throw new BadLine(line, "duplicate key \"" + name + "\"");
                    }
                    JsonToken n = p.nextToken();
                    if (n == JsonToken.END_OBJECT) {
                        return m;
                    }
                }
            }
            default:
                throw new BadLine(line, "unexpected " + t);
        }
    }

    private Object special(String tag, JsonToken t, int line) throws IOException, BadLine {
        switch (tag) {
            case "#set": {
                Object l = value(t, line);
                if (!(l instanceof List<?> list)) {
                    throw new BadLine(line, "\"#set\" takes an array");
                }
                Set<Object> s = new LinkedHashSet<>(list);
                return s;
            }
            case "#map": {
                Object l = value(t, line);
                if (!(l instanceof List<?> list)) {
                    throw new BadLine(line, "\"#map\" takes an array of [key, value] pairs");
                }
                Map<Object, Object> m = new LinkedHashMap<>();
                for (Object pair : list) {
                    if (!(pair instanceof List<?> kv) || kv.size() != 2) {
                        throw new BadLine(line, "\"#map\" takes an array of [key, value] pairs");
                    }
                    m.put(kv.get(0), kv.get(1));
                }
                return m;
            }
            case "#mv":
                if (t != JsonToken.VALUE_STRING) {
                    throw new BadLine(line, "\"#mv\" takes a name");
                }
                return new String[] {p.getText()};
            case "#bigint":
                if (t != JsonToken.VALUE_STRING) {
                    throw new BadLine(line, "\"#bigint\" takes a string");
                }
                try {
                    return Long.parseLong(p.getText());
                } catch (NumberFormatException e) {
                    throw new BadLine(line, "\"#bigint\" " + p.getText() + " is not a 64-bit integer");
                }
            default:
                throw new BadLine(line, "unknown value tag \"" + tag + "\"");
        }
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
