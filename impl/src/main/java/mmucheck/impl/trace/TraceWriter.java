package mmucheck.impl.trace;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import mmucheck.impl.mm.Observation;
import mmucheck.impl.mm.SpecMapping;
import mmucheck.impl.sched.Step;

/**
 * Writes a log in the format of docs/trace-format.md (version 1) with Jackson's streaming
 * generator: the header, the initial state, one line per step with the state after it (every
 * variable, or in partial mode the ones the step changed), and the end line.
 *
 * <p>The state object is rendered by a {@link StateRenderer} (the compact bytes Jackson's
 * generator would write for it, without its per-token checks) straight after each step,
 * every variable, and handed to the line's generator as one raw value. In partial mode the
 * previous step's rendering is kept and each variable's bytes are compared with it. The bytes
 * are the same as Jackson rendering every variable every step (ReferenceTraceWriter in the
 * tests checks it).
 */
public final class TraceWriter implements AutoCloseable {
    public static final String IMPL = "mmucheck-impl 0.1.0";
    private static final JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactoryBuilder().rootValueSeparator((String) null).build();
    private static final SerializedString SEQ = new SerializedString("seq"), AGENT = new SerializedString("agent"),
            ACTION = new SerializedString("action"), ARGS = new SerializedString("args"), STATE = new SerializedString("state"),
            V = new SerializedString("v"), STUTTER = new SerializedString("stutter");

    private final JsonGenerator g;
    private final SpecMapping mapping;
    private final boolean partial;
    private final StateRenderer renderer = new StateRenderer();
    /** Per variable, where its value lies in the renderer's buffer after the last rendering. */
    private final int[] start, end;
    /** The rendering before the last one, and where each value lies in it. */
    private byte[] prevBuf = new byte[2048];
    private final int[] prevStart, prevEnd;
    private final boolean[] changed;
    /** Per variable: its version when last rendered (MIN_VALUE: never), and whether the last rendering copied the one before. */
    private final long[] versions;
    private final boolean[] same;
    /** How many renderings the versions saved (tests). */
    long skipped;
    /** The bytes handed to the generator as the state value. */
    private final Raw state = new Raw();
    private final Raw assembled = new Raw();

    public TraceWriter(OutputStream out, SpecMapping mapping, boolean partial) {
        try {
            this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
            this.g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.mapping = mapping;
        this.partial = partial;
        int n = SpecMapping.VARIABLES.size();
        this.start = new int[n];
        this.end = new int[n];
        this.prevStart = new int[n];
        this.prevEnd = new int[n];
        this.changed = new boolean[n];
        this.versions = new long[n];
        java.util.Arrays.fill(versions, Long.MIN_VALUE);
        this.same = new boolean[n];
    }

    public void header(Map<String, ?> constants, long seed, String strategy) {
        try {
            g.writeStartObject();
            g.writeStringField("format", "mmucheck-trace");
            g.writeNumberField("version", 1);
            g.writeStringField("spec", "MMU");
            g.writeObjectFieldStart("constants");
            for (Map.Entry<String, ?> e : constants.entrySet()) {
                if (e.getValue() instanceof Number n) g.writeNumberField(e.getKey(), n.longValue());
                else g.writeStringField(e.getKey(), String.valueOf(e.getValue()));
            }
            g.writeEndObject();
            g.writeStringField("mode", partial ? "partial" : "full");
            g.writeNumberField("seed", seed);
            g.writeStringField("strategy", strategy);
            g.writeStringField("impl", IMPL);
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The initial state: always every variable. */
    public void init() {
        try {
            render();
            g.writeStartObject();
            g.writeFieldName(SEQ);
            g.writeNumber(0);
            g.writeFieldName(ACTION);
            g.writeString("Init");
            g.writeFieldName(STATE);
            g.writeRawValue(state.of(renderer.buf, renderer.position()));
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One transition, at its linearisation point (the stepping agent still holds the baton). */
    public void step(long seq, Step s) {
        try {
            render();
            g.writeStartObject();
            g.writeFieldName(SEQ);
            g.writeNumber(seq);
            g.writeFieldName(AGENT);
            g.writeString(name(s.agent()));
            g.writeFieldName(ACTION);
            g.writeString(name(s.action()));
            g.writeFieldName(ARGS);
            g.writeStartObject();
            g.writeFieldName(name(s.param()));
            g.writeString(name(s.agent()));
            if (s.hardware()) {
                g.writeFieldName(V);
                g.writeNumber(s.va());
            }
            g.writeEndObject();
            g.writeFieldName(STATE);
            if (partial) {
                boolean any = diff();
                g.writeRawValue(assembleChanged());
                if (!any) {
                    g.writeFieldName(STUTTER);
                    g.writeBoolean(true);
                }
            } else {
                g.writeRawValue(state.of(renderer.buf, renderer.position()));
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    // agent, action and parameter names: a few distinct ones per run, encoded once by the mapping
    private SerializedString name(String s) { return mapping.encode(s); }

    /**
     * Renders the whole state object, {"pte":...,"ptl":...}, into the renderer's buffer, and
     * notes where each variable's value lies. A variable whose version (SpecMapping.version)
     * has not moved since it was last rendered is copied from the last rendering instead.
     */
    private void render() throws IOException {
        StateRenderer r = renderer;
        byte[] prev = r.buf;
        r.buf = prevBuf;
        prevBuf = prev;
        System.arraycopy(start, 0, prevStart, 0, start.length);
        System.arraycopy(end, 0, prevEnd, 0, end.length);
        r.reset();
        r.raw((byte) '{');
        for (int i = 0; i < start.length; i++) {
            r.raw(NAME_PREFIX[i]);
            start[i] = r.position();
            long ver = mapping.version(i);
            if (ver >= 0 && ver == versions[i]) {
                r.raw(prev, prevStart[i], prevEnd[i] - prevStart[i]);
                same[i] = true;
                skipped++;
            } else {
                versions[i] = ver;
                same[i] = false;
                r.beginValue();
                mapping.write(i, r);
                if (!r.valueComplete()) throw new IllegalStateException("variable " + SpecMapping.VARIABLES.get(i) + " left a container open");
            }
            end[i] = r.position();
        }
        r.raw((byte) '}');
    }

    /** Partial mode: which variables' bytes differ from the rendering before; true if any does. */
    private boolean diff() {
        byte[] cur = renderer.buf, prev = prevBuf;
        boolean any = false;
        for (int i = 0; i < start.length; i++) {
            boolean c = !same[i] && !java.util.Arrays.equals(cur, start[i], end[i], prev, prevStart[i], prevEnd[i]);
            changed[i] = c;
            any |= c;
        }
        return any;
    }

    /** Partial mode: the state object of the changed variables (the bytes the generator writes for an object of raw values). */
    private Raw assembleChanged() {
        Raw st = assembled;
        st.clear();
        st.append((byte) '{');
        boolean first = true;
        byte[] cur = renderer.buf;
        for (int i = 0; i < start.length; i++) {
            if (!changed[i]) continue;
            if (!first) st.append((byte) ',');
            first = false;
            int c = i == 0 ? 0 : 1; // the prefix's comma
            st.append(NAME_PREFIX[i], c, NAME_PREFIX[i].length - c);
            st.append(cur, start[i], end[i] - start[i]);
        }
        st.append((byte) '}');
        return st;
    }

    /** Per variable, {@code "name":} as the generator writes a field name (with the comma before all but the first). */
    private static final byte[][] NAME_PREFIX = new byte[SpecMapping.VARIABLES.size()][];

    static {
        for (int i = 0; i < NAME_PREFIX.length; i++) {
            byte[] q = SpecMapping.name(i).asQuotedUTF8();
            int c = i == 0 ? 0 : 1;
            byte[] b = new byte[c + q.length + 3];
            if (c == 1) b[0] = ',';
            b[c] = '"';
            System.arraycopy(q, 0, b, c + 1, q.length);
            b[c + q.length + 1] = '"';
            b[c + q.length + 2] = ':';
            NAME_PREFIX[i] = b;
        }
    }

    /** The end line: completed, failed (the watch saw something) or aborted (with the reason). */
    public void end(String end, long steps, List<Observation> observed, String reason) {
        try {
            g.writeStartObject();
            g.writeStringField("end", end);
            g.writeNumberField("steps", steps);
            g.writeArrayFieldStart("observed");
            for (Observation o : observed) {
                g.writeStartObject();
                g.writeStringField("kind", o.kind());
                g.writeStringField("agent", o.agent());
                g.writeNumberField("va", o.va());
                g.writeNumberField("frame", o.frame());
                g.writeNumberField("seq", o.seq());
                g.writeEndObject();
            }
            g.writeEndArray();
            if (reason != null) g.writeStringField("reason", reason);
            g.writeEndObject();
            g.writeRaw('\n');
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            g.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text of variable {@code i} as the last line rendered it (tests). */
    String rendered(int i) { return new String(renderer.buf, start[i], end[i] - start[i], StandardCharsets.UTF_8); }

    /**
     * Bytes handed to the generator as a raw value: a view of a buffer (the renderer's) or a
     * buffer of its own (the assembled partial state), copied into the generator's buffer.
     */
    private static final class Raw implements SerializableString {
        private byte[] bytes = new byte[256];
        private int length;

        /** A view of {@code b[0, n)} (no copy). */
        Raw of(byte[] b, int n) {
            bytes = b;
            length = n;
            return this;
        }

        void clear() { length = 0; }

        void append(byte b) {
            if (length == bytes.length) bytes = java.util.Arrays.copyOf(bytes, length * 2);
            bytes[length++] = b;
        }

        void append(byte[] b, int off, int n) {
            if (length + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            System.arraycopy(b, off, bytes, length, n);
            length += n;
        }

        @Override
        public int appendUnquotedUTF8(byte[] buffer, int offset) {
            if (offset + length > buffer.length) return -1;
            System.arraycopy(bytes, 0, buffer, offset, length);
            return length;
        }

        // the generator falls back to this when its buffer is too full: it flushes, then writes these
        @Override public byte[] asUnquotedUTF8() { return java.util.Arrays.copyOf(bytes, length); }

        @Override public String getValue() { return new String(bytes, 0, length, StandardCharsets.UTF_8); }
        @Override public int charLength() { return getValue().length(); }
        @Override public char[] asQuotedChars() { throw new UnsupportedOperationException(); }
        @Override public byte[] asQuotedUTF8() { throw new UnsupportedOperationException(); }
        @Override public int appendQuotedUTF8(byte[] buffer, int offset) { throw new UnsupportedOperationException(); }
        @Override public int appendQuoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }
        @Override public int appendUnquoted(char[] buffer, int offset) { throw new UnsupportedOperationException(); }
        @Override public int writeQuotedUTF8(java.io.OutputStream out) { throw new UnsupportedOperationException(); }
        @Override public int writeUnquotedUTF8(java.io.OutputStream out) throws IOException {
            out.write(bytes, 0, length);
            return length;
        }
        @Override public int putQuotedUTF8(ByteBuffer buffer) { throw new UnsupportedOperationException(); }
        @Override public int putUnquotedUTF8(ByteBuffer out) {
            if (length > out.remaining()) return -1;
            out.put(bytes, 0, length);
            return length;
        }
    }
}
