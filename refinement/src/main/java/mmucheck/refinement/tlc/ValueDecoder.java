package mmucheck.refinement.tlc;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
 * JSON bytes (docs/trace-format.md's encoding) straight into TLC values, for the fast reader:
 * plain JSON (ASCII strings without escapes, small integers) by a small decoder of its own,
 * anything else by Jackson's streaming parser. The values are those LogReader's JDK values
 * give through JdkValues.toValue; null whenever it is unsure (the ordinary reader then judges
 * the line). Strings and record field names are interned per reader.
 */
final class ValueDecoder {
    static final int MAX_DEPTH = 200;

    private final JsonFactory factory;
    private final Map<String, StringValue> strings = new HashMap<>();
    private final Map<String, UniqueString> names = new HashMap<>();
    /** The bytes of the line being decoded. */
    private byte[] b;

    ValueDecoder(int maxLineBytes) {
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

    /** The arguments object at bytes[from, to) decoded (name to value, in log order), or null if not decodable. */
    Map<String, Value> args(byte[] bytes, int from, int to) {
        this.b = bytes;
        try (JsonParser p = factory.createParser(b, from, to - from)) {
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

    /** bytes[from, to) as one TLC value (len: the end of its line), or null when the ordinary reader must judge it. */
    Value decode(byte[] bytes, int from, int to, int len) {
        this.b = bytes;
        // Plain JSON (ASCII strings without escapes, small integers) is decoded here; the
        // rest, and anything this decoder doubts, by Jackson.
        qi = from;
        qEnd = to;
        Value q = quick(0);
        if (q != null && JsonBytes.ws(b, qi, len) == to) {
            return q;
        }
        try (JsonParser p = factory.createParser(b, from, to - from)) {
            Value v = value(p, p.nextToken());
            return v != null && p.nextToken() == null ? v : null;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The same values as LogReader's JDK values converted by JdkValues.toValue, or null. */
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

    /** A #map as JdkValues.toValue makes it: string keys give a record; null on repeated keys. */
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

    private UniqueString name(String s) {
        UniqueString u = names.get(s);
        if (u == null) {
            u = UniqueString.uniqueStringOf(s);
            names.put(s, u);
        }
        return u;
    }

    private static boolean isWordByte(byte c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c < 0;
    }

    private int wsTo(int i, int end) {
        return JsonBytes.ws(b, i, end);
    }

    private boolean startsWithTo(int i, String lit, int end) {
        return JsonBytes.startsWith(b, i, lit, end);
    }

    private int plainStringTo(int i, int end) {
        return JsonBytes.plainString(b, i, end);
    }
}
