package mmucheck.refinement.tlc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.OpDeclNode;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * Reads a step line straight from its bytes into TLC values, for the checker's fast path.
 * The line's outer structure (the step object and its state object) is scanned here; each
 * variable's value is compared byte for byte with that variable's last logged value and, when
 * equal, the last decoded TLC value is reused (most steps change few variables, so most values
 * are neither tokenized nor converted, and an unchanged variable keeps the same Value object,
 * which lets the invariant checks skip what it cannot affect). A changed value is decoded by
 * Jackson's streaming parser straight into TLC values.
 *
 * <p>It accepts only what it is sure of: any line it does not recognise (an end line, a
 * malformed line, an unknown key, an escaped name, a value it cannot decode) makes
 * {@link #parse} return false, and the caller decodes that line the ordinary way
 * (mmucheck.refinement.log.LogReader), which owns the error messages. A value reused from the
 * cache has the very bytes that were decoded (and so validated) before.
 */
final class FastLines {
    private static final int MAX_DEPTH = 200;

    private final OpDeclNode[] vars;
    private final byte[][] varNames;
    private final Map<String, Integer> varIndex;
    private final JsonFactory factory;

    /** Per variable: the bytes of its last decoded value, and that value. */
    private final byte[][] lastBytes;
    private final Value[] lastValue;
    /**
     * Per variable, values seen before by their bytes (bounded): a value that comes back gets
     * the same Value object again, so the checker's results memoised by value identity apply.
     */
    private final List<Map<ByteKey, Known>> seen = new ArrayList<>();
    /** A decoded value and its number among the values decoded for that variable. */
    private record Known(Value value, int id) {}
    /** Per variable: the id of its last decoded value, and how many values were decoded. */
    private final int[] lastId;
    private final int[] decoded;
    private static final int SEEN_PER_VARIABLE = 256;
    private final ByteKey probe = new ByteKey();
    private final Map<String, StringValue> strings = new HashMap<>();
    private final Map<String, UniqueString> names = new HashMap<>();

    // What the last successful parse found.
    long seq;
    boolean stutter;
    int actionFrom;
    int actionTo;
    int argsFrom = -1;
    int argsTo = -1;
    final Value[] values;
    /**
     * Per variable logged on the line: its value's id. Ids number the Value objects decoded for
     * one variable, never reused (a value that comes back from the cache keeps its id), so equal
     * ids of one variable mean the very same Value object: a compact key for results memoised
     * by value identity.
     */
    final int[] ids;
    int logged;

    private byte[] b;
    private int len;
    private int expectVar;

    FastLines(OpDeclNode[] vars, int maxLineBytes) {
        this.vars = vars;
        this.varNames = new byte[vars.length][];
        this.varIndex = new HashMap<>();
        for (int i = 0; i < vars.length; i++) {
            String n = vars[i].getName().toString();
            varNames[i] = n.getBytes(StandardCharsets.UTF_8);
            varIndex.put(n, i);
        }
        this.lastBytes = new byte[vars.length][];
        this.lastValue = new Value[vars.length];
        this.values = new Value[vars.length];
        this.ids = new int[vars.length];
        this.lastId = new int[vars.length];
        this.decoded = new int[vars.length];
        for (int i = 0; i < vars.length; i++) {
            seen.add(new HashMap<>());
        }
        // The same limits as LogReader's, so both readers take the same lines.
        this.factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxStringLength(Math.max(1000, maxLineBytes))
                        .maxNestingDepth(MAX_DEPTH)
                        .maxNumberLength(40)
                        .build())
                // A pool of the factory's own, not Jackson's default thread-local one: that
                // keeps a SoftReference per thread to a buffer of this loader's classes, so a
                // closed checker's TLC loader stayed reachable until memory ran short (explore
                // cycling scenarios piled up loaders and filled the code cache).
                .recyclerPool(com.fasterxml.jackson.core.util.JsonRecyclerPools.newConcurrentDequePool())
                .build();
    }

    /** Parses a step line; false when the ordinary reader must take it. */
    boolean parse(byte[] bytes, int length) {
        this.b = bytes;
        this.len = length;
        Arrays.fill(values, null);
        logged = 0;
        seq = -1;
        stutter = false;
        actionFrom = -1;
        argsFrom = -1;
        boolean sawState = false;
        int i = ws(0);
        if (i >= len || b[i] != '{') {
            return false;
        }
        i = ws(i + 1);
        while (true) {
            int kFrom = i + 1;
            int kTo = plainString(i);
            if (kTo < 0) {
                return false;
            }
            i = ws(kTo + 1);
            if (i >= len || b[i] != ':') {
                return false;
            }
            i = ws(i + 1);
            int kl = kTo - kFrom;
            if (is(kFrom, kl, "seq")) {
                if (seq >= 0) {
                    return false;
                }
                i = number(i);
                if (i < 0) {
                    return false;
                }
            } else if (is(kFrom, kl, "action")) {
                if (actionFrom >= 0) {
                    return false;
                }
                int to = plainString(i);
                if (to < 0) {
                    return false;
                }
                actionFrom = i + 1;
                actionTo = to;
                i = to + 1;
            } else if (is(kFrom, kl, "agent")) {
                int to = plainString(i);
                if (to < 0) {
                    return false;
                }
                i = to + 1;
            } else if (is(kFrom, kl, "args")) {
                if (argsFrom >= 0 || i >= len || b[i] != '{') {
                    return false;
                }
                int to = skipValue(i);
                if (to < 0) {
                    return false;
                }
                argsFrom = i;
                argsTo = to;
                i = to;
            } else if (is(kFrom, kl, "stutter")) {
                if (startsWith(i, "true")) {
                    stutter = true;
                    i += 4;
                } else if (startsWith(i, "false")) {
                    i += 5;
                } else {
                    return false;
                }
            } else if (is(kFrom, kl, "state")) {
                if (sawState) {
                    return false;
                }
                sawState = true;
                i = state(i);
                if (i < 0) {
                    return false;
                }
            } else {
                return false; // end line, header, unknown key: the ordinary reader decides
            }
            i = ws(i);
            if (i >= len) {
                return false;
            }
            if (b[i] == '}') {
                break;
            }
            if (b[i] != ',') {
                return false;
            }
            i = ws(i + 1);
        }
        return ws(i + 1) == len && seq >= 0 && actionFrom >= 0 && sawState;
    }

    /** The bytes of the logged action name, as a String (ASCII: plainString checked it). */
    String action() {
        return new String(b, actionFrom, actionTo - actionFrom, StandardCharsets.ISO_8859_1);
    }

    /**
     * The bytes of the action and its arguments, a key for the caller's cache of resolved
     * actions. Writes them into {@code scratch} (grown as needed) and returns its length.
     */
    byte[] actionKey(byte[] scratch, int[] lenOut) {
        int al = actionTo - actionFrom;
        int gl = argsFrom < 0 ? 0 : argsTo - argsFrom;
        int n = al + 1 + gl;
        if (scratch.length < n) {
            scratch = new byte[Math.max(n, scratch.length * 2)];
        }
        System.arraycopy(b, actionFrom, scratch, 0, al);
        scratch[al] = 0;
        if (gl > 0) {
            System.arraycopy(b, argsFrom, scratch, al + 1, gl);
        }
        lenOut[0] = n;
        return scratch;
    }

    /** The logged arguments decoded (name to value, in log order), or null if not decodable. */
    Map<String, Value> args() {
        if (argsFrom < 0) {
            return Map.of();
        }
        try (JsonParser p = factory.createParser(b, argsFrom, argsTo - argsFrom)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return null;
            }
            Map<String, Value> m = new LinkedHashMap<>();
            for (JsonToken t = p.nextToken(); t != JsonToken.END_OBJECT; t = p.nextToken()) {
                String name = p.currentName();
                Value v = value(p, p.nextToken());
                if (v == null || m.put(name, v) != null) {
                    return null;
                }
            }
            return p.nextToken() == null ? m : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    // ------------------------------------------------------------------ the state object

    private int state(int i) {
        if (i >= len || b[i] != '{') {
            return -1;
        }
        i = ws(i + 1);
        if (i < len && b[i] == '}') {
            return i + 1;
        }
        while (true) {
            int kFrom = i + 1;
            int kTo = plainString(i);
            if (kTo < 0) {
                return -1;
            }
            int idx = var(kFrom, kTo - kFrom);
            if (idx < 0 || values[idx] != null) {
                return -1; // not a variable (the ordinary reader names it) or a duplicate key
            }
            i = ws(kTo + 1);
            if (i >= len || b[i] != ':') {
                return -1;
            }
            i = ws(i + 1);
            Value v;
            byte[] last = lastBytes[idx];
            int vTo;
            if (last != null && sameValueAt(last, i)) {
                // The last value's bytes, then a delimiter: a complete JSON value is not the
                // prefix of another one unless it is a number (which the delimiter rules out).
                vTo = i + last.length;
                v = lastValue[idx];
            } else if ((vTo = skipValue(i)) < 0) {
                return -1;
            } else if (last != null && Arrays.equals(last, 0, last.length, b, i, vTo)) {
                v = lastValue[idx];
            } else {
                Map<ByteKey, Known> known = seen.get(idx);
                probe.set(b, i, vTo);
                Known k = known.get(probe);
                if (k == null) {
                    Value d = decode(i, vTo);
                    if (d == null || decoded[idx] == Integer.MAX_VALUE) {
                        return -1;
                    }
                    k = new Known(d, decoded[idx]++);
                    if (known.size() >= SEEN_PER_VARIABLE) {
                        known.clear();
                    }
                    known.put(probe.copy(), k);
                }
                v = k.value();
                lastBytes[idx] = Arrays.copyOfRange(b, i, vTo);
                lastValue[idx] = v;
                lastId[idx] = k.id();
            }
            values[idx] = v;
            ids[idx] = lastId[idx];
            logged++;
            i = ws(vTo);
            if (i >= len) {
                return -1;
            }
            if (b[i] == '}') {
                return i + 1;
            }
            if (b[i] != ',') {
                return -1;
            }
            i = ws(i + 1);
        }
    }

    /** Whether b[i..] starts with {@code last} followed by ',', '}' or white space. */
    private boolean sameValueAt(byte[] last, int i) {
        int end = i + last.length;
        if (end >= len || !Arrays.equals(last, 0, last.length, b, i, end)) {
            return false;
        }
        byte c = b[end];
        return c == ',' || c == '}' || c == ' ' || c == '\t' || c == '\r' || c == '\n';
    }

    /** The index of the variable named by b[from, from+n): the next in the last line's order first. */
    private int var(int from, int n) {
        int guess = expectVar < vars.length ? expectVar : 0;
        if (Arrays.equals(varNames[guess], 0, varNames[guess].length, b, from, from + n)) {
            expectVar = guess + 1;
            return guess;
        }
        Integer idx = varIndex.get(new String(b, from, n, StandardCharsets.ISO_8859_1));
        if (idx == null) {
            return -1;
        }
        expectVar = idx + 1;
        return idx;
    }

    /** A range of bytes as a hash key; one instance is reused as the lookup probe (here for values, in TlcBridge for actions). */
    static final class ByteKey {
        private byte[] a;
        private int from;
        private int to;
        private int hash;

        private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
                .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

        /** The key of bytes[f, t); hashed eight bytes at a time (values run to hundreds of bytes). */
        void set(byte[] bytes, int f, int t) {
            a = bytes;
            from = f;
            to = t;
            long h = t - f;
            int i = f;
            for (; i + Long.BYTES <= t; i += Long.BYTES) {
                h = (h + (long) LONGS.get(bytes, i)) * 0x9E3779B97F4A7C15L;
            }
            for (; i < t; i++) {
                h = (h + bytes[i]) * 0x9E3779B97F4A7C15L;
            }
            hash = (int) (h ^ (h >>> 32));
        }

        ByteKey copy() {
            ByteKey k = new ByteKey();
            k.a = Arrays.copyOfRange(a, from, to);
            k.from = 0;
            k.to = k.a.length;
            k.hash = hash;
            return k;
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof ByteKey k && k.hash == hash && Arrays.equals(a, from, to, k.a, k.from, k.to);
        }
    }

    // ------------------------------------------------------------------ decoding values

    /** b[from, to) as one TLC value, or null when the ordinary reader must judge it. */
    private Value decode(int from, int to) {
        // Plain JSON (ASCII strings without escapes, small integers) is decoded here; the
        // rest, and anything this decoder doubts, by Jackson.
        qi = from;
        qEnd = to;
        Value q = quick(0);
        if (q != null && ws(qi) == to) {
            return q;
        }
        try (JsonParser p = factory.createParser(b, from, to - from)) {
            Value v = value(p, p.nextToken());
            return v != null && p.nextToken() == null ? v : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The same values as LogReader's JDK values converted by TlcBridge.toValue, or null. */
    private Value value(JsonParser p, JsonToken t) throws IOException {
        if (t == null) {
            return null;
        }
        switch (t) {
            case VALUE_NUMBER_INT: {
                if (p.getNumberType() == JsonParser.NumberType.BIG_INTEGER) {
                    return null;
                }
                long l = p.getLongValue();
                return l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : IntValue.gen((int) l);
            }
            case VALUE_TRUE:
                return BoolValue.ValTrue;
            case VALUE_FALSE:
                return BoolValue.ValFalse;
            case VALUE_STRING: {
                String s = p.getText();
                StringValue v = strings.get(s);
                if (v == null) {
                    v = new StringValue(s);
                    strings.put(s, v);
                }
                return v;
            }
            case START_ARRAY: {
                List<Value> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    Value v = value(p, e);
                    if (v == null) {
                        return null;
                    }
                    l.add(v);
                }
                return new TupleValue(l.toArray(new Value[0]));
            }
            case START_OBJECT: {
                JsonToken f = p.nextToken();
                if (f == JsonToken.END_OBJECT) {
                    return new FcnRcdValue(new Value[0], new Value[0], false).normalize();
                }
                String first = p.currentName();
                if (first.startsWith("#")) {
                    Value v = special(p, first, p.nextToken());
                    return v != null && p.nextToken() == JsonToken.END_OBJECT ? v : null;
                }
                List<UniqueString> ns = new ArrayList<>();
                List<Value> vs = new ArrayList<>();
                for (JsonToken k = f; k != JsonToken.END_OBJECT; k = p.nextToken()) {
                    UniqueString n = name(p.currentName());
                    if (ns.contains(n)) {
                        return null;
                    }
                    Value v = value(p, p.nextToken());
                    if (v == null) {
                        return null;
                    }
                    ns.add(n);
                    vs.add(v);
                }
                return new RecordValue(ns.toArray(new UniqueString[0]), vs.toArray(new Value[0]), false).normalize();
            }
            default:
                return null; // null, floats: the ordinary reader says why
        }
    }

    private Value special(JsonParser p, String tag, JsonToken t) throws IOException {
        switch (tag) {
            case "#set": {
                if (t != JsonToken.START_ARRAY) {
                    return null;
                }
                List<Value> l = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    Value v = value(p, e);
                    if (v == null) {
                        return null;
                    }
                    l.add(v);
                }
                return setOf(l);
            }
            case "#map": {
                if (t != JsonToken.START_ARRAY) {
                    return null;
                }
                List<Value> dom = new ArrayList<>();
                List<Value> rng = new ArrayList<>();
                for (JsonToken e = p.nextToken(); e != JsonToken.END_ARRAY; e = p.nextToken()) {
                    if (e != JsonToken.START_ARRAY) {
                        return null;
                    }
                    Value k = value(p, p.nextToken());
                    Value v = k == null ? null : value(p, p.nextToken());
                    if (v == null || p.nextToken() != JsonToken.END_ARRAY) {
                        return null;
                    }
                    dom.add(k);
                    rng.add(v);
                }
                return mapOf(dom, rng);
            }
            case "#mv":
                return t == JsonToken.VALUE_STRING ? ModelValue.make(p.getText()) : null;
            default:
                return null; // #bigint, unknown tags: rare; the ordinary reader takes them
        }
    }

    /** A #set's elements as a set; null on duplicates (LogReader's set drops them by JDK equality: its call). */
    private static Value setOf(List<Value> l) {
        SetEnumValue s = (SetEnumValue) new SetEnumValue(l.toArray(new Value[0]), false).normalize();
        return s.size() == l.size() ? s : null;
    }

    /** A #map as TlcBridge.toValue makes it: string keys give a record; null on repeated keys. */
    private static Value mapOf(List<Value> dom, List<Value> rng) {
        boolean allStrings = true;
        for (int i = 0; i < dom.size(); i++) {
            Value k = dom.get(i);
            for (int j = 0; j < i; j++) {
                if (dom.get(j).getClass() == k.getClass() && dom.get(j).equals(k)) {
                    return null; // LogReader keeps the last of repeated keys: its call
                }
            }
            allStrings &= k instanceof StringValue;
        }
        Value[] vs = rng.toArray(new Value[0]);
        if (allStrings && !dom.isEmpty()) {
            UniqueString[] ns = new UniqueString[dom.size()];
            for (int i = 0; i < ns.length; i++) {
                ns[i] = ((StringValue) dom.get(i)).val;
            }
            return new RecordValue(ns, vs, false).normalize();
        }
        return new FcnRcdValue(dom.toArray(new Value[0]), vs, false).normalize();
    }

    // ------------------------------------------------------------------ the quick decoder

    private int qi;
    private int qEnd;

    /** One value at qi of plain JSON, advancing qi; null when unsure (Jackson then decodes). */
    private Value quick(int depth) {
        int i = wsTo(qi, qEnd);
        if (i >= qEnd || depth > MAX_DEPTH) {
            return null;
        }
        byte c = b[i];
        if (c == '"') {
            int end = plainStringTo(i, qEnd);
            if (end < 0) {
                return null;
            }
            qi = end + 1;
            String str = new String(b, i + 1, end - i - 1, StandardCharsets.ISO_8859_1);
            StringValue v = strings.get(str);
            if (v == null) {
                v = new StringValue(str);
                strings.put(str, v);
            }
            return v;
        }
        if (c == '-' || (c >= '0' && c <= '9')) {
            int j = c == '-' ? i + 1 : i;
            int from = j;
            long v = 0;
            if (j < qEnd && b[j] == '0') {
                j++;
            } else {
                while (j < qEnd && b[j] >= '0' && b[j] <= '9' && j - from < 10) {
                    v = v * 10 + (b[j] - '0');
                    j++;
                }
            }
            if (j == from || (j < qEnd && ((b[j] >= '0' && b[j] <= '9') || b[j] == '.' || b[j] == 'e'
                    || b[j] == 'E'))) {
                return null;
            }
            v = c == '-' ? -v : v;
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                return null;
            }
            qi = j;
            return IntValue.gen((int) v);
        }
        if (c == 't' || c == 'f') {
            String lit = c == 't' ? "true" : "false";
            if (!startsWithTo(i, lit, qEnd) || (i + lit.length() < qEnd && isWordByte(b[i + lit.length()]))) {
                return null;
            }
            qi = i + lit.length();
            return c == 't' ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (c == '[') {
            List<Value> l = quickArray(i, depth);
            return l == null ? null : new TupleValue(l.toArray(new Value[0]));
        }
        if (c != '{') {
            return null;
        }
        i = wsTo(i + 1, qEnd);
        if (i < qEnd && b[i] == '}') {
            qi = i + 1;
            return new FcnRcdValue(new Value[0], new Value[0], false).normalize();
        }
        int kEnd = plainStringTo(i, qEnd);
        if (kEnd < 0) {
            return null;
        }
        if (b[i + 1] == '#') {
            String tag = new String(b, i + 1, kEnd - i - 1, StandardCharsets.ISO_8859_1);
            i = wsTo(kEnd + 1, qEnd);
            if (i >= qEnd || b[i] != ':') {
                return null;
            }
            i = wsTo(i + 1, qEnd);
            Value v;
            if (tag.equals("#set")) {
                List<Value> l = i < qEnd && b[i] == '[' ? quickArray(i, depth) : null;
                v = l == null ? null : setOf(l);
            } else if (tag.equals("#map")) {
                List<Value> pairs = i < qEnd && b[i] == '[' ? quickArray(i, depth) : null;
                if (pairs == null) {
                    return null;
                }
                List<Value> dom = new ArrayList<>();
                List<Value> rng = new ArrayList<>();
                for (Value pv : pairs) {
                    if (!(pv instanceof TupleValue tv) || tv.size() != 2) {
                        return null;
                    }
                    dom.add(tv.elems[0]);
                    rng.add(tv.elems[1]);
                }
                v = mapOf(dom, rng);
            } else if (tag.equals("#mv")) {
                int end = plainStringTo(i, qEnd);
                if (end < 0) {
                    return null;
                }
                qi = end + 1;
                v = ModelValue.make(new String(b, i + 1, end - i - 1, StandardCharsets.ISO_8859_1));
            } else {
                return null;
            }
            if (v == null) {
                return null;
            }
            i = wsTo(qi, qEnd);
            if (i >= qEnd || b[i] != '}') {
                return null;
            }
            qi = i + 1;
            return v;
        }
        List<UniqueString> ns = new ArrayList<>();
        List<Value> vs = new ArrayList<>();
        while (true) {
            kEnd = plainStringTo(i, qEnd);
            if (kEnd < 0) {
                return null;
            }
            UniqueString n = name(new String(b, i + 1, kEnd - i - 1, StandardCharsets.ISO_8859_1));
            if (ns.contains(n)) {
                return null;
            }
            i = wsTo(kEnd + 1, qEnd);
            if (i >= qEnd || b[i] != ':') {
                return null;
            }
            qi = i + 1;
            Value v = quick(depth + 1);
            if (v == null) {
                return null;
            }
            ns.add(n);
            vs.add(v);
            i = wsTo(qi, qEnd);
            if (i >= qEnd) {
                return null;
            }
            if (b[i] == '}') {
                qi = i + 1;
                return new RecordValue(ns.toArray(new UniqueString[0]), vs.toArray(new Value[0]), false).normalize();
            }
            if (b[i] != ',') {
                return null;
            }
            i = wsTo(i + 1, qEnd);
        }
    }

    /** The elements of the array at i (a '['), advancing qi past it; null when unsure. */
    private List<Value> quickArray(int i, int depth) {
        List<Value> l = new ArrayList<>();
        i = wsTo(i + 1, qEnd);
        if (i < qEnd && b[i] == ']') {
            qi = i + 1;
            return l;
        }
        qi = i;
        while (true) {
            Value v = quick(depth + 1);
            if (v == null) {
                return null;
            }
            l.add(v);
            i = wsTo(qi, qEnd);
            if (i >= qEnd) {
                return null;
            }
            if (b[i] == ']') {
                qi = i + 1;
                return l;
            }
            if (b[i] != ',') {
                return null;
            }
            qi = i + 1;
        }
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c < 0;
    }

    private int wsTo(int i, int end) {
        while (i < end) {
            byte c = b[i];
            if (c != ' ' && c != '\t' && c != '\r' && c != '\n') {
                break;
            }
            i++;
        }
        return i;
    }

    private boolean startsWithTo(int i, String lit, int end) {
        if (i + lit.length() > end) {
            return false;
        }
        for (int j = 0; j < lit.length(); j++) {
            if (b[i + j] != lit.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private int plainStringTo(int i, int end) {
        if (i >= end || b[i] != '"') {
            return -1;
        }
        for (int j = i + 1; j < end; j++) {
            byte c = b[j];
            if (c == '"') {
                return j;
            }
            if (c == '\\' || c < 0x20) { // bytes >= 0x80 are negative: not plain ASCII
                return -1;
            }
        }
        return -1;
    }

    private UniqueString name(String s) {
        UniqueString u = names.get(s);
        if (u == null) {
            u = UniqueString.uniqueStringOf(s);
            names.put(s, u);
        }
        return u;
    }

    // ------------------------------------------------------------------ scanning

    private int ws(int i) {
        return wsTo(i, len);
    }

    private boolean is(int from, int n, String key) {
        if (n != key.length()) {
            return false;
        }
        for (int j = 0; j < n; j++) {
            if (b[from + j] != key.charAt(j)) {
                return false;
            }
        }
        return true;
    }

    private boolean startsWith(int i, String lit) {
        return startsWithTo(i, lit, len);
    }

    /**
     * A string of printable ASCII without escapes starting at i (a quote): the index of its
     * closing quote, or -1 (anything else is the ordinary reader's to decode).
     */
    private int plainString(int i) {
        return plainStringTo(i, len);
    }

    /** A JSON integer as JSON writes it (no leading zeros, no fraction): sets seq; the index after it, or -1. */
    private int number(int i) {
        int j = i;
        if (j < len && b[j] == '0') {
            j++;
            seq = 0;
        } else {
            long v = 0;
            while (j < len && b[j] >= '0' && b[j] <= '9' && j - i < 18) {
                v = v * 10 + (b[j] - '0');
                j++;
            }
            if (j == i) {
                return -1;
            }
            seq = v;
        }
        if (j < len && ((b[j] >= '0' && b[j] <= '9') || b[j] == '.' || b[j] == 'e' || b[j] == 'E')) {
            return -1;
        }
        return j;
    }

    /**
     * The end (exclusive) of the value starting at i, found by brackets and strings only; its
     * content is validated by the decoder (or equals bytes it decoded before). -1 when unsure.
     */
    private int skipValue(int i) {
        if (i >= len) {
            return -1;
        }
        byte c = b[i];
        if (c == '"') {
            for (int j = i + 1; j < len; j++) {
                if (b[j] == '\\') {
                    j++;
                } else if (b[j] == '"') {
                    return j + 1;
                }
            }
            return -1;
        }
        if (c == '{' || c == '[') {
            int depth = 0;
            for (int j = i; j < len; j++) {
                byte d = b[j];
                if (d == '"') {
                    j++;
                    while (j < len && b[j] != '"') {
                        if (b[j] == '\\') {
                            j++;
                        }
                        j++;
                    }
                    if (j >= len) {
                        return -1;
                    }
                } else if (d == '{' || d == '[') {
                    if (++depth > MAX_DEPTH) {
                        return -1;
                    }
                } else if (d == '}' || d == ']') {
                    if (--depth == 0) {
                        return j + 1;
                    }
                }
            }
            return -1;
        }
        int j = i;
        while (j < len) {
            byte d = b[j];
            if (d == ',' || d == '}' || d == ']' || d == ' ' || d == '\t' || d == '\r' || d == '\n') {
                break;
            }
            j++;
        }
        return j == i ? -1 : j;
    }
}
