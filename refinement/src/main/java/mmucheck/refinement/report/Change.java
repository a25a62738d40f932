package mmucheck.refinement.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import mmucheck.spec.value.TlaValue;

/**
 * One shortened difference between two states, e.g. {@code pte[1]: present P1 rw -> none} or
 * {@code tlb[cpu0][1] = P1}. Functions are followed down to the entries that changed; a record
 * of plain fields (a PTE, a page) is one leaf shown compactly.
 *
 * @param path where, e.g. {@code tlb[cpu0][1]}; the first segment is the variable
 * @param old the value before, null when the entry is new
 * @param now the value after, null when the entry is gone
 */
record Change(String var, String path, TlaValue old, TlaValue now) {
    /** Keys that name agents: a record keyed by them is a function over agents, not a struct. */
    private static final Pattern AGENT = Pattern.compile("(cpu|dev|vcpu|t|thread|kthread|dev_thread)\\d+");

    static List<Change> diff(Map<String, TlaValue> before, Map<String, TlaValue> after) {
        List<Change> out = new ArrayList<>();
        for (var e : after.entrySet()) {
            TlaValue b = before.get(e.getKey());
            if (b == null) {
                out.add(new Change(e.getKey(), e.getKey(), null, e.getValue()));
            } else if (!b.equals(e.getValue())) {
                diff(e.getKey(), e.getKey(), b, e.getValue(), out);
            }
        }
        return out;
    }

    private static void diff(String var, String path, TlaValue a, TlaValue b, List<Change> out) {
        if (isMap(a) && isMap(b)) {
            Map<TlaValue, TlaValue> ga = TlaValue.graph(a);
            Map<TlaValue, TlaValue> gb = TlaValue.graph(b);
            boolean fields = a instanceof TlaValue.Rec && !agentKeyed((TlaValue.Rec) a);
            for (var e : gb.entrySet()) {
                TlaValue x = ga.get(e.getKey());
                String sub = fields ? path + "." + key(e.getKey()) : path + "[" + key(e.getKey()) + "]";
                if (x == null) {
                    out.add(new Change(var, sub, null, e.getValue()));
                } else if (!x.equals(e.getValue())) {
                    diff(var, sub, x, e.getValue(), out);
                }
            }
            for (var e : ga.entrySet()) {
                if (!gb.containsKey(e.getKey())) {
                    out.add(new Change(var, fields ? path + "." + key(e.getKey()) : path + "[" + key(e.getKey()) + "]",
                            e.getValue(), null));
                }
            }
            return;
        }
        if (a instanceof TlaValue.Rec ra && b instanceof TlaValue.Rec rb && ra.fields().keySet().equals(rb.fields().keySet())
                && !agentKeyed(ra) && !empty(a) && !empty(b)) {
            // A flat record: a changed kind (a string field) or most fields changed reads best
            // whole ("present f=1 w -> none"); one counter moving reads best alone (loc.va: 0 -> 1).
            List<String> changed = ra.fields().keySet().stream()
                    .filter(k -> !ra.get(k).equals(rb.get(k))).toList();
            boolean kind = changed.stream().anyMatch(k -> ra.get(k) instanceof TlaValue.Str);
            if (!kind && changed.size() * 2 < ra.fields().size()) {
                for (String k : changed) {
                    out.add(new Change(var, path + "." + k, ra.get(k), rb.get(k)));
                }
                return;
            }
        }
        out.add(new Change(var, path, a, b));
    }

    /** An empty slot: 0, FALSE, the empty set or sequence, or a record of only those (a TLB entry with f = 0). */
    static boolean empty(TlaValue v) {
        if (v instanceof TlaValue.Int i) {
            return i.value() == 0;
        }
        if (v instanceof TlaValue.Bool b) {
            return !b.value();
        }
        if (v instanceof TlaValue.Set s) {
            return s.elements().isEmpty();
        }
        if (v instanceof TlaValue.Seq s) {
            return s.elements().isEmpty();
        }
        if (v instanceof TlaValue.Rec r && !agentKeyed(r) && flat(r)) {
            return r.fields().values().stream().allMatch(Change::empty);
        }
        return false;
    }

    /** Followed down: functions and sequences, and records unless they are a flat struct. */
    private static boolean isMap(TlaValue v) {
        if (v instanceof TlaValue.Rec r) {
            return agentKeyed(r) || !flat(r);
        }
        return v instanceof TlaValue.Seq || v instanceof TlaValue.Fun;
    }

    static boolean agentKeyed(TlaValue.Rec r) {
        return r.fields().keySet().stream().allMatch(k -> AGENT.matcher(k).matches());
    }

    private static boolean flat(TlaValue.Rec r) {
        return r.fields().values().stream().allMatch(Change::scalar);
    }

    private static boolean scalar(TlaValue v) {
        return v instanceof TlaValue.Int || v instanceof TlaValue.Bool || v instanceof TlaValue.Str
                || v instanceof TlaValue.ModelValue;
    }

    /** A key as shown in a path: strings and model values bare. */
    static String key(TlaValue k) {
        if (k instanceof TlaValue.Str s) {
            return s.value();
        }
        if (k instanceof TlaValue.ModelValue m) {
            return m.name();
        }
        return show(k);
    }

    /** The change as one short text. */
    String text() {
        if (old == null || (empty(old) && !empty(now) && !(old instanceof TlaValue.Int)
                && !(old instanceof TlaValue.Bool) && !(old instanceof TlaValue.Set))) {
            return path + " = " + show(now);
        }
        if (now == null) {
            return path + " removed (was " + show(old) + ")";
        }
        if (old instanceof TlaValue.Set so && now instanceof TlaValue.Set sn) {
            List<TlaValue> added = sn.elements().stream().filter(x -> !so.elements().contains(x)).toList();
            List<TlaValue> removed = so.elements().stream().filter(x -> !sn.elements().contains(x)).toList();
            StringBuilder sb = new StringBuilder(path).append(':');
            if (!added.isEmpty()) {
                sb.append(" +").append(show(new TlaValue.Set(added)));
            }
            if (!removed.isEmpty()) {
                sb.append(" -").append(show(new TlaValue.Set(removed)));
            }
            return sb.toString();
        }
        return path + ": " + show(old) + " -> " + show(now);
    }

    /**
     * A value shortened for a lane: strings bare; a flat record as its string fields' values,
     * the names of its TRUE flags and {@code name=value} for the rest ({@code [kind |-> "present",
     * frame |-> 1, rw |-> TRUE, dirty |-> FALSE]} is {@code present frame=1 rw}).
     */
    static String show(TlaValue v) {
        if (v instanceof TlaValue.Str s) {
            return s.value().isEmpty() ? "\"\"" : s.value();
        }
        if (v instanceof TlaValue.Rec r && !agentKeyed(r) && flat(r)) {
            if (empty(r)) {
                return "empty";
            }
            List<String> parts = new ArrayList<>();
            r.fields().forEach((k, x) -> {
                if (x instanceof TlaValue.Bool b) {
                    if (b.value()) {
                        parts.add(k);
                    }
                } else if (x instanceof TlaValue.Str s) {
                    parts.add(s.value());
                } else {
                    parts.add(k + "=" + show(x));
                }
            });
            return parts.isEmpty() ? "-" : String.join(" ", parts);
        }
        if (v instanceof TlaValue.Set s) {
            return "{" + String.join(", ", s.elements().stream().map(Change::show).toList()) + "}";
        }
        if (v instanceof TlaValue.Seq s) {
            return "<<" + String.join(", ", s.elements().stream().map(Change::show).toList()) + ">>";
        }
        if (v instanceof TlaValue.Rec r) {
            List<String> parts = new ArrayList<>();
            r.fields().forEach((k, x) -> parts.add(k + ": " + show(x)));
            return "[" + String.join(", ", parts) + "]";
        }
        if (v instanceof TlaValue.Fun f) {
            List<String> parts = new ArrayList<>();
            f.map().forEach((k, x) -> parts.add(key(k) + ": " + show(x)));
            return "(" + String.join(", ", parts) + ")";
        }
        return v.toTla();
    }
}
