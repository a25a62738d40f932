package mmucheck.impl.trace;

import com.fasterxml.jackson.core.Base64Variant;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.ObjectCodec;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.TreeNode;
import com.fasterxml.jackson.core.Version;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Arrays;

/**
 * A generator that writes no text: it records the tokens of one value (as the refinement
 * mapping emits them) and says whether they differ from the tokens it recorded last time.
 * Reading the Java state through the mapping this way costs a small fraction of rendering
 * it with Jackson, so the trace writer renders a variable only when its tokens changed, and
 * needs no hook in the protocol classes to know that: whatever the mapping reads is compared.
 *
 * <p>Two token sequences are equal exactly when Jackson would render them to the same bytes:
 * numbers are compared by value whatever their Java type (Jackson renders an int and a long
 * of one value alike), strings and field names by content.
 */
final class ValueProbe extends JsonGenerator {
    private static final int START_ARRAY = 1, END_ARRAY = 2, START_OBJECT = 3, END_OBJECT = 4,
            FIELD = 5, STRING = 6, NUMBER = 7, TRUE = 8, FALSE = 9, NULL = 10;

    // the recording: token kinds, numbers, strings; the previous recording until overwritten
    private int[] kinds = new int[16];
    private long[] numbers = new long[16];
    // a String, or the SerializableString the mapping wrote (replayed as such: it is pre-encoded)
    private Object[] strings = new Object[16];
    private int length = -1; // -1: nothing recorded yet
    private int pos;
    private boolean differs;

    /** Starts recording a new value over the last one. */
    void begin() {
        pos = 0;
        differs = length < 0;
    }

    /** Ends the recording; true when its tokens differ from the previous recording's (or there was none). */
    boolean end() {
        if (pos != length) differs = true;
        length = pos;
        return differs;
    }

    /**
     * Writes the recorded value to {@code g}: the bytes are those the mapping would have
     * written to {@code g} directly. Rendering from the tokens keeps the mapping's calls
     * monomorphic (it only ever writes to a probe), which the JIT compiles much sooner.
     */
    void replay(JsonGenerator g) throws java.io.IOException {
        for (int i = 0; i < length; i++) {
            switch (kinds[i]) {
                case START_ARRAY -> g.writeStartArray();
                case END_ARRAY -> g.writeEndArray();
                case START_OBJECT -> g.writeStartObject();
                case END_OBJECT -> g.writeEndObject();
                case FIELD -> {
                    if (strings[i] instanceof SerializableString ss) g.writeFieldName(ss); else g.writeFieldName((String) strings[i]);
                }
                case STRING -> {
                    if (strings[i] instanceof SerializableString ss) g.writeString(ss); else g.writeString((String) strings[i]);
                }
                case NUMBER -> g.writeNumber(numbers[i]);
                case TRUE -> g.writeBoolean(true);
                case FALSE -> g.writeBoolean(false);
                case NULL -> g.writeNull();
                default -> throw new IllegalStateException("token " + kinds[i]);
            }
        }
    }

    private void token(int kind, long number, Object string) {
        int i = pos++;
        // the common case: the same token as last time, and nothing to store
        if (!differs && i < length && kinds[i] == kind && numbers[i] == number
                && (strings[i] == string || (string != null && strings[i] != null && text(string).equals(text(strings[i]))))) {
            return;
        }
        differs = true;
        if (i == kinds.length) {
            int n = kinds.length * 2;
            kinds = Arrays.copyOf(kinds, n);
            numbers = Arrays.copyOf(numbers, n);
            strings = Arrays.copyOf(strings, n);
        }
        kinds[i] = kind;
        numbers[i] = number;
        strings[i] = string;
    }

    @Override public void writeStartArray() { token(START_ARRAY, 0, null); }
    @Override public void writeEndArray() { token(END_ARRAY, 0, null); }
    @Override public void writeStartObject() { token(START_OBJECT, 0, null); }
    @Override public void writeEndObject() { token(END_OBJECT, 0, null); }
    @Override public void writeFieldName(String name) { token(FIELD, 0, name); }
    @Override public void writeFieldName(SerializableString name) { token(FIELD, 0, name); }
    @Override public void writeString(String text) {
        if (text == null) writeNull(); else token(STRING, 0, text);
    }
    @Override public void writeString(SerializableString text) { token(STRING, 0, text); }
    @Override public void writeString(char[] text, int offset, int len) { token(STRING, 0, new String(text, offset, len)); }
    @Override public void writeNumber(short v) { token(NUMBER, v, null); }
    @Override public void writeNumber(int v) { token(NUMBER, v, null); }
    @Override public void writeNumber(long v) { token(NUMBER, v, null); }
    @Override public void writeBoolean(boolean state) { token(state ? TRUE : FALSE, 0, null); }
    @Override public void writeNull() { token(NULL, 0, null); }

    private static String text(Object s) {
        return s instanceof SerializableString ss ? ss.getValue() : (String) s;
    }

    // the mapping writes none of these; refusing them keeps the equality above exact
    private static UnsupportedOperationException unsupported() {
        return new UnsupportedOperationException("ValueProbe: the refinement mapping writes only structure, strings, integers and booleans");
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
