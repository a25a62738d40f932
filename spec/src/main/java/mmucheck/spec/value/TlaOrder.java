package mmucheck.spec.value;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** A total order on values, so sets and function domains have one canonical order. */
final class TlaOrder {
    private TlaOrder() {}

    static int compare(TlaValue a, TlaValue b) {
        int ka = rank(a);
        int kb = rank(b);
        if (ka != kb) {
            return Integer.compare(ka, kb);
        }
        if (a instanceof TlaValue.Int x) {
            return Long.compare(x.value(), ((TlaValue.Int) b).value());
        }
        if (a instanceof TlaValue.Bool x) {
            return Boolean.compare(x.value(), ((TlaValue.Bool) b).value());
        }
        if (a instanceof TlaValue.Str x) {
            return x.value().compareTo(((TlaValue.Str) b).value());
        }
        if (a instanceof TlaValue.ModelValue x) {
            return x.name().compareTo(((TlaValue.ModelValue) b).name());
        }
        if (a instanceof TlaValue.Set x) {
            return compareLists(x.elements(), ((TlaValue.Set) b).elements());
        }
        if (a instanceof TlaValue.Seq x) {
            return compareLists(x.elements(), ((TlaValue.Seq) b).elements());
        }
        // Records and other functions: compare their graphs in key order.
        return compareGraphs(new java.util.TreeMap<>(TlaValue.graph(a)), new java.util.TreeMap<>(TlaValue.graph(b)));
    }

    private static int rank(TlaValue v) {
        if (v instanceof TlaValue.Bool) return 0;
        if (v instanceof TlaValue.Int) return 1;
        if (v instanceof TlaValue.Str) return 2;
        if (v instanceof TlaValue.ModelValue) return 3;
        if (v instanceof TlaValue.Set) return 4;
        if (v instanceof TlaValue.Seq) return 5;
        if (v instanceof TlaValue.Rec) return 6;
        return 7;
    }

    private static int compareLists(List<TlaValue> a, List<TlaValue> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int c = compare(a.get(i), b.get(i));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.size(), b.size());
    }

    private static int compareGraphs(Map<TlaValue, TlaValue> a, Map<TlaValue, TlaValue> b) {
        Iterator<Map.Entry<TlaValue, TlaValue>> ia = a.entrySet().iterator();
        Iterator<Map.Entry<TlaValue, TlaValue>> ib = b.entrySet().iterator();
        while (ia.hasNext() && ib.hasNext()) {
            Map.Entry<TlaValue, TlaValue> ea = ia.next();
            Map.Entry<TlaValue, TlaValue> eb = ib.next();
            int c = compare(ea.getKey(), eb.getKey());
            if (c == 0) {
                c = compare(ea.getValue(), eb.getValue());
            }
            if (c != 0) {
                return c;
            }
        }
        return Boolean.compare(ia.hasNext(), ib.hasNext());
    }
}
