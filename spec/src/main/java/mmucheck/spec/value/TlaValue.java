package mmucheck.spec.value;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * An immutable TLA+ value as TLC prints it and as the trace log encodes it.
 *
 * <p>Functions are normalised on construction ({@link #function}): a function whose domain is
 * {@code 1..n} is a {@link Seq} (TLC prints it as a tuple), one whose domain is a non-empty set
 * of strings is a {@link Rec} (TLC prints it as a record), anything else a {@link Fun}. So two
 * equal TLA+ values are equal Java values whichever way they were written.
 */
public sealed interface TlaValue extends Comparable<TlaValue> {

    /** Total order used for canonical set and function-domain order (by kind, then content). */
    @Override
    default int compareTo(TlaValue o) {
        return TlaOrder.compare(this, o);
    }

    /** TLA+ text, in TLC's own notation. */
    default String toTla() {
        return TlaPrinter.print(this);
    }

    record Int(long value) implements TlaValue {
        @Override public String toString() { return toTla(); }
    }

    record Bool(boolean value) implements TlaValue {
        @Override public String toString() { return toTla(); }
    }

    record Str(String value) implements TlaValue {
        public Str {
            java.util.Objects.requireNonNull(value);
        }
        @Override public String toString() { return toTla(); }
    }

    /** A model value (a CONSTANT bound to an uninterpreted name in the cfg). */
    record ModelValue(String name) implements TlaValue {
        @Override public String toString() { return toTla(); }
    }

    /** A finite set; elements are kept sorted and distinct, so equal sets are equal records. */
    record Set(List<TlaValue> elements) implements TlaValue {
        public Set {
            elements = List.copyOf(new java.util.TreeSet<>(elements));
        }
        @Override public String toString() { return toTla(); }
    }

    /** A sequence or tuple: a function with domain {@code 1..n}. */
    record Seq(List<TlaValue> elements) implements TlaValue {
        public Seq {
            elements = List.copyOf(elements);
        }
        @Override public String toString() { return toTla(); }
    }

    /** A record, or a function whose domain is a non-empty set of strings; field order is kept for printing. */
    record Rec(Map<String, TlaValue> fields) implements TlaValue {
        public Rec {
            if (fields.isEmpty()) {
                throw new IllegalArgumentException("a record has at least one field; use an empty Seq");
            }
            fields = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(fields));
        }
        public TlaValue get(String field) {
            return fields.get(field);
        }
        @Override public String toString() { return toTla(); }
    }

    /** Any other function, with its domain in canonical order. */
    record Fun(Map<TlaValue, TlaValue> map) implements TlaValue {
        public Fun {
            map = java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(map));
        }
        @Override public String toString() { return toTla(); }
    }

    // ---- factories -------------------------------------------------------------------

    static Int of(long v) {
        return new Int(v);
    }

    static Bool of(boolean v) {
        return new Bool(v);
    }

    static Str of(String v) {
        return new Str(v);
    }

    static Seq tuple(TlaValue... vs) {
        return new Seq(List.of(vs));
    }

    static Set set(TlaValue... vs) {
        return new Set(List.of(vs));
    }

    /** A function from its graph, normalised to Seq, Rec or Fun (see the type's comment). */
    static TlaValue function(Map<TlaValue, TlaValue> graph) {
        if (graph.isEmpty()) {
            return new Seq(List.of());
        }
        boolean allStrings = graph.keySet().stream().allMatch(k -> k instanceof Str);
        if (allStrings) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            graph.forEach((k, v) -> fields.put(((Str) k).value(), v));
            return new Rec(fields);
        }
        int n = graph.size();
        List<TlaValue> elems = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            TlaValue v = graph.get(new Int(i));
            if (v == null) {
                return new Fun(graph);
            }
            elems.add(v);
        }
        return new Seq(elems);
    }

    /** The graph of a function-like value (Seq, Rec, Fun), or null for anything else. */
    static Map<TlaValue, TlaValue> graph(TlaValue v) {
        Map<TlaValue, TlaValue> g = new LinkedHashMap<>();
        if (v instanceof Seq s) {
            for (int i = 0; i < s.elements().size(); i++) {
                g.put(new Int(i + 1), s.elements().get(i));
            }
        } else if (v instanceof Rec r) {
            r.fields().forEach((k, x) -> g.put(new Str(k), x));
        } else if (v instanceof Fun f) {
            g.putAll(f.map());
        } else {
            return null;
        }
        return g;
    }
}
