package mmucheck.refinement.tlc;

import tla2sany.semantic.OpDeclNode;
import tlc2.tool.TLCState;
import util.UniqueString;

/**
 * The values some variables hold in one or two states, compared by identity, with a tag (the
 * expression they are for, or null): a key for results of pure evaluations, since an
 * expression's value depends only on the values it reads. Identity suffices because the
 * reader hands a recurring value over as the very same object; equal values that are distinct
 * objects only miss.
 */
final class ValueKey {
    private final Object tag;
    private final Object[] vals;
    private final int hash;

    private ValueKey(Object tag, Object[] vals) {
        this.tag = tag;
        this.vals = vals;
        int h = System.identityHashCode(tag);
        for (Object v : vals) {
            h = 31 * h + System.identityHashCode(v);
        }
        hash = h;
    }

    /** The values of {@code deps} (variable indices) in t, then in s when s is not null. */
    static ValueKey of(Object tag, int[] deps, OpDeclNode[] vars, TLCState t, TLCState s) {
        Object[] vs = new Object[s == null ? deps.length : 2 * deps.length];
        for (int i = 0; i < deps.length; i++) {
            UniqueString n = vars[deps[i]].getName();
            vs[i] = t.lookup(n);
            if (s != null) {
                vs[deps.length + i] = s.lookup(n);
            }
        }
        return new ValueKey(tag, vs);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof ValueKey k) || k.hash != hash || k.tag != tag || k.vals.length != vals.length) {
            return false;
        }
        for (int i = 0; i < vals.length; i++) {
            if (k.vals[i] != vals[i]) {
                return false;
            }
        }
        return true;
    }
}
