package mmucheck.refinement.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.OpDeclNode;
import tlc2.tool.TLCState;
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
 * JDK values as LogReader decodes them (Long, Boolean, String, List, Set, Map, one-element
 * String[] for a model value) into TLC values and states, for lines the fast reader did not
 * take. A failure is a String saying why the JSON value has no TLA+ meaning.
 */
final class JdkValues {
    private final LoadedSpec spec;
    /** Per variable, the last logged JDK value and its TLC value: most steps change few variables. */
    private Object[] lastJdk;
    private Value[] lastValue;

    JdkValues(LoadedSpec spec) {
        this.spec = spec;
    }

    /** Forgets the last values (benchmarks: no credit for a log seen before). */
    void reset() {
        lastJdk = null;
        lastValue = null;
    }

    /** A full state, or (with base) base overridden by the logged variables; or an error. */
    Object toState(Map<String, Object> state, TLCState base) {
        OpDeclNode[] vars = spec.vars;
        TLCState t = base == null ? TLCState.Empty.createEmpty() : base.copy();
        if (lastJdk == null) {
            lastJdk = new Object[vars.length];
            lastValue = new Value[vars.length];
        }
        for (Map.Entry<String, Object> e : state.entrySet()) {
            Integer idx = spec.varIndex.get(e.getKey());
            if (idx == null) {
                return "'" + e.getKey() + "' is not a variable of spec " + spec.module;
            }
            Object jdk = e.getValue();
            Value val;
            if (jdk.equals(lastJdk[idx])) {
                val = lastValue[idx];
            } else {
                Object v = toValue(jdk, e.getKey());
                if (v instanceof String) {
                    return v;
                }
                val = (Value) v;
                lastJdk[idx] = jdk;
                lastValue[idx] = val;
            }
            t.bind(vars[idx].getName(), val);
        }
        if (base == null && state.size() != vars.length) {
            List<String> missing = new ArrayList<>();
            for (OpDeclNode v : vars) {
                if (!state.containsKey(v.getName().toString())) {
                    missing.add(v.getName().toString());
                }
            }
            missing.sort(null);
            return "state lacks variable(s) " + String.join(", ", missing);
        }
        return t;
    }

    /** A TLC value, or a String describing why the JSON value has no TLA+ meaning. */
    static Object toValue(Object o, String where) {
        if (o instanceof Long) {
            long l = (Long) o;
            if (l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
                return "integer " + l + " in " + where + " does not fit TLC's 32-bit integers";
            }
            return IntValue.gen((int) l);
        }
        if (o instanceof Boolean) {
            return ((Boolean) o) ? BoolValue.ValTrue : BoolValue.ValFalse;
        }
        if (o instanceof String) {
            return new StringValue((String) o);
        }
        if (o instanceof String[]) {
            String name = ((String[]) o)[0];
            // Only model values the cfg declared exist; making a new one would never match.
            Value mv = ModelValue.make(name);
            return mv;
        }
        if (o instanceof List) {
            List<?> l = (List<?>) o;
            Value[] elems = new Value[l.size()];
            for (int i = 0; i < elems.length; i++) {
                Object e = toValue(l.get(i), where);
                if (e instanceof String) {
                    return e;
                }
                elems[i] = (Value) e;
            }
            return new TupleValue(elems);
        }
        if (o instanceof Set) {
            Set<?> set = (Set<?>) o;
            Value[] elems = new Value[set.size()];
            int i = 0;
            for (Object x : set) {
                Object e = toValue(x, where);
                if (e instanceof String) {
                    return e;
                }
                elems[i++] = (Value) e;
            }
            return new SetEnumValue(elems, false).normalize();
        }
        if (o instanceof Map) {
            Map<?, ?> m = (Map<?, ?>) o;
            boolean record = !m.isEmpty();
            for (Object k : m.keySet()) {
                record &= k instanceof String;
            }
            Value[] vals = new Value[m.size()];
            UniqueString[] names = record ? new UniqueString[m.size()] : null;
            Value[] dom = record ? null : new Value[m.size()];
            int i = 0;
            for (Map.Entry<?, ?> e : m.entrySet()) {
                Object v = toValue(e.getValue(), where);
                if (v instanceof String) {
                    return v;
                }
                vals[i] = (Value) v;
                if (record) {
                    names[i] = UniqueString.uniqueStringOf((String) e.getKey());
                } else {
                    Object k = toValue(e.getKey(), where);
                    if (k instanceof String) {
                        return k;
                    }
                    dom[i] = (Value) k;
                }
                i++;
            }
            return record ? new RecordValue(names, vals, false).normalize()
                    : new FcnRcdValue(dom, vals, false).normalize();
        }
        return "value " + o + " in " + where + " has no TLA+ meaning";
    }
}
