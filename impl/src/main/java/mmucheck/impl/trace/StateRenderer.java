package mmucheck.impl.trace;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.Version;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import com.fasterxml.jackson.core.io.NumberOutput;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;
import mmucheck.impl.mm.SpecMapping;

/**
 * A generator for the subset the refinement mapping writes (structure, strings, integers,
 * booleans, null) that appends compact JSON to one byte array, with no state checks and no
 * flushing: the bytes of Jackson's UTF8JsonGenerator with no pretty printer. Strings and names
 * come quoted by Jackson's own encoder ({@link SpecMapping.Name} keeps them with their quotes,
 * and a field name with its colon), numbers by its {@link NumberOutput}. The trace writer
 * renders every variable after every step with it: that costs less than Jackson's generator,
 * whose per-token context checks and buffer management dominated, and less than recording
 * the tokens to render only the few that changed (a second copy of the state to compare
 * against, cold in cache after each switch of agent thread).
 *
 * <p>JSON's compact syntax needs one bit of context: whether the next element of the open
 * container needs a comma before it. A field name is written with its colon, so the value
 * after it needs none. Each variable is one root value ({@link #beginValue()}); the caller
 * owns the buffer layout ({@link #raw}, {@link #position()}).
 */
final class StateRenderer extends JsonGenerator {
    private static final byte[] TRUE = {'t', 'r', 'u', 'e'}, FALSE = {'f', 'a', 'l', 's', 'e'}, NULL = {'n', 'u', 'l', 'l'};

    byte[] buf = new byte[2048];
    int pos;
    private boolean comma;
    // open containers, for the check that a value is complete
    private int depth;

    /** Empties the buffer. */
    void reset() { pos = 0; }

    int position() { return pos; }

    /** Starts a new root value. */
    void beginValue() {
        comma = false;
        depth = 0;
    }

    /** True when the last value was closed (every container it opened has ended, no name is left without its value). */
    boolean valueComplete() { return depth == 0 && comma; }

    /** Appends bytes verbatim. */
    void raw(byte[] b) {
        room(b.length);
        copy(b);
    }

    void raw(byte[] b, int off, int n) {
        room(n);
        System.arraycopy(b, off, buf, pos, n);
        pos += n;
    }

    void raw(byte b) {
        room(1);
        buf[pos++] = b;
    }

    private void room(int n) {
        if (pos + n > buf.length) buf = Arrays.copyOf(buf, Math.max(pos + n, buf.length * 2));
    }

    /** Before an element: room for it and a comma, and the comma if one is due. */
    private void element(int n) {
        room(n + 1);
        if (comma) buf[pos++] = ',';
    }

    private void copy(byte[] b) {
        int n = b.length, p = pos;
        byte[] d = buf;
        // names and constants are a few bytes: a loop beats arraycopy's set-up
        for (int i = 0; i < n; i++) d[p + i] = b[i];
        pos = p + n;
    }

    private void open(byte b) {
        element(1);
        buf[pos++] = b;
        comma = false;
        depth++;
    }

    private void close(byte b) {
        room(1);
        buf[pos++] = b;
        comma = true;
        depth--;
    }

    @Override public void writeStartArray() { open((byte) '['); }
    @Override public void writeEndArray() { close((byte) ']'); }
    @Override public void writeStartObject() { open((byte) '{'); }
    @Override public void writeEndObject() { close((byte) '}'); }

    @Override public void writeFieldName(SerializableString name) {
        byte[] f = name instanceof SpecMapping.Name n ? n.fieldBytes() : quote(name.asQuotedUTF8(), true);
        element(f.length);
        copy(f);
        comma = false;
    }

    @Override public void writeFieldName(String name) {
        byte[] f = quote(JsonStringEncoder.getInstance().quoteAsUTF8(name), true);
        element(f.length);
        copy(f);
        comma = false;
    }

    @Override public void writeString(SerializableString text) {
        value(text instanceof SpecMapping.Name n ? n.quotedBytes() : quote(text.asQuotedUTF8(), false));
    }

    @Override public void writeString(String text) {
        if (text == null) writeNull();
        else value(quote(JsonStringEncoder.getInstance().quoteAsUTF8(text), false));
    }

    @Override public void writeString(char[] text, int offset, int len) { writeString(new String(text, offset, len)); }

    /** {@code "q"}, or {@code "q":} for a field name. */
    private static byte[] quote(byte[] q, boolean field) {
        byte[] b = new byte[q.length + (field ? 3 : 2)];
        b[0] = '"';
        System.arraycopy(q, 0, b, 1, q.length);
        b[q.length + 1] = '"';
        if (field) b[q.length + 2] = ':';
        return b;
    }

    private void value(byte[] b) {
        element(b.length);
        copy(b);
        comma = true;
    }

    @Override public void writeNumber(short v) { writeNumber((int) v); }

    @Override public void writeNumber(int v) {
        element(11);
        if (v >= 0 && v < 10) buf[pos++] = (byte) ('0' + v);
        else pos = NumberOutput.outputInt(v, buf, pos);
        comma = true;
    }

    @Override public void writeNumber(long v) {
        element(20);
        if (v >= 0 && v < 10) buf[pos++] = (byte) ('0' + v);
        else pos = NumberOutput.outputLong(v, buf, pos);
        comma = true;
    }

    @Override public void writeBoolean(boolean state) { value(state ? TRUE : FALSE); }

    @Override public void writeNull() { value(NULL); }

    // the mapping writes none of these
    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("StateRenderer: the refinement mapping writes only structure, strings, integers and booleans");
    }

    @Override public void writeNumber(BigInteger v) { throw unsupported(); }
    @Override public void writeNumber(double v) { throw unsupported(); }
    @Override public void writeNumber(float v) { throw unsupported(); }
    @Override public void writeNumber(BigDecimal v) { throw unsupported(); }
    @Override public void writeNumber(String encodedValue) { throw unsupported(); }
    @Override public void writeRawUTF8String(byte[] text, int offset, int length) { throw unsupported(); }
    @Override public void writeUTF8String(byte[] text, int offset, int length) { throw unsupported(); }
    @Override public void writeRaw(String text) { throw unsupported(); }
    @Override public void writeRaw(String text, int offset, int len) { throw unsupported(); }
    @Override public void writeRaw(char[] text, int offset, int len) { throw unsupported(); }
    @Override public void writeRaw(char c) { throw unsupported(); }
    @Override public void writeRawValue(String text) { throw unsupported(); }
    @Override public void writeRawValue(String text, int offset, int len) { throw unsupported(); }
    @Override public void writeRawValue(char[] text, int offset, int len) { throw unsupported(); }
    @Override public void writeBinary(Base64Variant bv, byte[] data, int offset, int len) { throw unsupported(); }
    @Override public int writeBinary(Base64Variant bv, InputStream data, int dataLength) { throw unsupported(); }
    @Override public void writeObject(Object pojo) { throw unsupported(); }
    @Override public void writeTree(TreeNode rootNode) { throw unsupported(); }

    @Override public JsonGenerator setCodec(ObjectCodec oc) { throw unsupported(); }
    @Override public ObjectCodec getCodec() { return null; }
    @Override public Version version() { return Version.unknownVersion(); }
    @Override public JsonStreamContext getOutputContext() { throw unsupported(); }
    @Override public JsonGenerator enable(Feature f) { throw unsupported(); }
    @Override public JsonGenerator disable(Feature f) { throw unsupported(); }
    @Override public boolean isEnabled(Feature f) { return false; }
    @Override public int getFeatureMask() { return 0; }
    @Override @Deprecated public JsonGenerator setFeatureMask(int values) { throw unsupported(); }
    @Override public JsonGenerator useDefaultPrettyPrinter() { throw unsupported(); }
    @Override public void flush() {}
    @Override public boolean isClosed() { return false; }
    @Override public void close() {}
}
