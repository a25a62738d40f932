package mmucheck.refinement.tlc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.OpDeclNode;
import tlc2.value.impl.Value;

/**
 * Reads a step line straight from its bytes into TLC values, for the checker's fast path.
 * The line's outer structure (the step object and its state object) is scanned here; each
 * variable's value is compared byte for byte with that variable's last logged value and, when
 * equal, the last decoded TLC value is reused (most steps change few variables, so most values
 * are neither tokenized nor converted, and an unchanged variable keeps the same Value object,
 * which lets the invariant checks skip what it cannot affect). A changed value is decoded
 * straight into TLC values by {@link ValueDecoder}; values seen before are recalled by their
 * bytes and numbered (ids) per variable.
 *
 * <p>It accepts only what it is sure of: any line it does not recognise (an end line, a
 * malformed line, an unknown key, an escaped name, a value it cannot decode) makes
 * {@link #parse} return false, and the caller decodes that line the ordinary way
 * (mmucheck.refinement.log.LogReader), which owns the error messages. A value reused from the
 * cache has the very bytes that were decoded (and so validated) before.
 */
final class FastLines {
    private final OpDeclNode[] vars;
    private final byte[][] varNames;
    private final Map<String, Integer> varIndex;
    private final ValueDecoder decoder;

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
        this.decoder = new ValueDecoder(maxLineBytes);
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
        return argsFrom < 0 ? Map.of() : decoder.args(b, argsFrom, argsTo);
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
                    Value d = decoder.decode(b, i, vTo, len);
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

    // ------------------------------------------------------------------ scanning

    private int ws(int i) {
        return JsonBytes.ws(b, i, len);
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
        return JsonBytes.startsWith(b, i, lit, len);
    }

    /**
     * A string of printable ASCII without escapes starting at i (a quote): the index of its
     * closing quote, or -1 (anything else is the ordinary reader's to decode).
     */
    private int plainString(int i) {
        return JsonBytes.plainString(b, i, len);
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
                    if (++depth > ValueDecoder.MAX_DEPTH) {
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
