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
 * <p>Incremental: a step changes a few of the 23 variables, so each variable's last rendering
 * is kept as bytes, and after a step the mapping is read through a {@link ValueProbe} (no
 * text) and only the variables whose tokens changed are rendered again, from the tokens.
 * The bytes are the same as rendering every variable every step (ReferenceTraceWriter in
 * the tests checks it).
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
    /** Per variable: its tokens as last read, and its last rendering. */
    private final ValueProbe[] probes;
    private final Fragment[] fragments;
    private final boolean[] changed;
    private final Fragment state = new Fragment();
    // renders one changed variable
    private final Bytes fragmentBytes = new Bytes();
    private final JsonGenerator fragmentGen;

    public TraceWriter(OutputStream out, SpecMapping mapping, boolean partial) {
        try {
            this.g = JSON.createGenerator(out, JsonEncoding.UTF8);
            this.g.disable(JsonGenerator.Feature.AUTO_CLOSE_TARGET);
            this.fragmentGen = JSON.createGenerator(fragmentBytes, JsonEncoding.UTF8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        this.mapping = mapping;
        this.partial = partial;
        int n = SpecMapping.VARIABLES.size();
        this.probes = new ValueProbe[n];
        this.fragments = new Fragment[n];
        this.changed = new boolean[n];
        for (int i = 0; i < n; i++) {
            probes[i] = new ValueProbe();
            fragments[i] = new Fragment();
        }
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
            refresh();
            g.writeStartObject();
            g.writeFieldName(SEQ);
            g.writeNumber(0);
            g.writeFieldName(ACTION);
            g.writeString("Init");
            g.writeFieldName(STATE);
            g.writeRawValue(assembleState(true));
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** One transition, at its linearisation point (the stepping agent still holds the baton). */
    public void step(long seq, Step s) {
        try {
            boolean any = refresh();
            g.writeStartObject();
            g.writeFieldName(SEQ);
            g.writeNumber(seq);
            g.writeFieldName(AGENT);
            g.writeString(s.agent());
            g.writeFieldName(ACTION);
            g.writeString(s.action());
            g.writeFieldName(ARGS);
            g.writeStartObject();
            g.writeStringField(s.param(), s.agent());
            if (s.hardware()) {
                g.writeFieldName(V);
                g.writeNumber(s.va());
            }
            g.writeEndObject();
            g.writeFieldName(STATE);
            g.writeRawValue(assembleState(!partial));
            if (partial && !any) {
                g.writeFieldName(STUTTER);
                g.writeBoolean(true);
            }
            g.writeEndObject();
            g.writeRaw('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The state object, {"pte":...,"ptl":...}, from the kept fragments (every variable, or the
     * ones that changed): the bytes the generator writes for an object of raw values, without
     * two generator calls per variable.
     */
    private Fragment assembleState(boolean all) {
        Fragment st = state;
        st.clear();
        st.append((byte) '{');
        boolean first = true;
        for (int i = 0; i < fragments.length; i++) {
            if (!all && !changed[i]) continue;
            if (!first) st.append((byte) ',');
            first = false;
            st.append(NAME_PREFIX[i], NAME_PREFIX[i].length);
            st.append(fragments[i].bytes, fragments[i].length);
        }
        st.append((byte) '}');
        return st;
    }

    /** Per variable, {@code "name":} as the generator writes a field name. */
    private static final byte[][] NAME_PREFIX = new byte[SpecMapping.VARIABLES.size()][];

    static {
        for (int i = 0; i < NAME_PREFIX.length; i++) {
            byte[] q = SpecMapping.name(i).asQuotedUTF8();
            byte[] b = new byte[q.length + 3];
            b[0] = '"';
            System.arraycopy(q, 0, b, 1, q.length);
            b[q.length + 1] = '"';
            b[q.length + 2] = ':';
            NAME_PREFIX[i] = b;
        }
    }

    /**
     * Reads every variable through its probe and renders again the ones that changed since the
     * last call (all of them on the first); returns whether any changed.
     */
    private boolean refresh() throws IOException {
        boolean any = false;
        for (int i = 0; i < probes.length; i++) {
            ValueProbe p = probes[i];
            p.begin();
            mapping.write(i, p);
            boolean c = p.end();
            changed[i] = c;
            if (c) {
                any = true;
                p.replay(fragmentGen);
                fragmentGen.flush();
                fragments[i].set(fragmentBytes);
                fragmentBytes.reset();
            }
        }
        return any;
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
            fragmentGen.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The JSON text of variable {@code i} as the next line would write it (tests). */
    String fragment(int i) { return fragments[i].getValue(); }

    /** A growable byte buffer the fragment generator flushes into. */
    private static final class Bytes extends OutputStream {
        byte[] buf = new byte[256];
        int count;

        @Override
        public void write(int b) {
            if (count == buf.length) buf = java.util.Arrays.copyOf(buf, count * 2);
            buf[count++] = (byte) b;
        }

        @Override
        public void write(byte[] b, int off, int len) {
            if (count + len > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(count + len, count * 2));
            System.arraycopy(b, off, buf, count, len);
            count += len;
        }

        void reset() { count = 0; }
    }

    /**
     * One variable's rendering, kept between steps and copied into the generator's buffer as a
     * raw value. Its buffer is reused: only its length changes when the variable changes.
     */
    private static final class Fragment implements SerializableString {
        private byte[] bytes = new byte[64];
        private int length;

        void set(Bytes b) {
            clear();
            append(b.buf, b.count);
        }

        void clear() { length = 0; }

        void append(byte b) {
            if (length == bytes.length) bytes = java.util.Arrays.copyOf(bytes, length * 2);
            bytes[length++] = b;
        }

        void append(byte[] b, int n) {
            if (length + n > bytes.length) bytes = java.util.Arrays.copyOf(bytes, Math.max(length + n, bytes.length * 2));
            System.arraycopy(b, 0, bytes, length, n);
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
