package mmucheck.refinement.tlc;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import tla2sany.semantic.OpDeclNode;
import tlc2.tool.TLCState;

/**
 * Which predicates were true on which values: "conjunct c held where its variables had these
 * values". A predicate's value depends only on the values it reads, so a fact recalled is as
 * good as an evaluation. Values are compared by identity (see ValueKey).
 *
 * <p>On the fast path the reader numbers each variable's Value objects (FastLines.ids), and a
 * conjunct reading at most four values is keyed by their numbers packed in one long, in an
 * open-addressed table of longs: no allocation and no hashing of objects, which made a
 * recalled fact cost more than some evaluations. Longer keys are the ids in an array, and
 * without ids (states the fast path did not read) ValueKeys, in a hash set.
 * Bounded: at {@code 2^log2Capacity / 2} facts of either kind, all are forgotten at once.
 *
 * <p>Use: {@link #known}, evaluate if not, then {@link #learn} after a true result; learn
 * records the key of the last {@code known} call.
 */
final class TrueFacts {
    /** No packed key: some id missing or too large for its share of the 63 bits. */
    static final long NONE = -1L;
    private static final int MAX_PACKED = 4;

    private final int[] tags;
    private final long[] keys;
    private final int mask;
    private int size;
    /** Keys too long to pack: IdsKey when the ids are known, else ValueKey. */
    private final Set<Object> byValue = new HashSet<>();
    private long hits;

    private int lastTag;
    private long lastKey = NONE;
    private Object lastValueKey;

    TrueFacts(int log2Capacity) {
        tags = new int[1 << log2Capacity];
        keys = new long[1 << log2Capacity];
        mask = (1 << log2Capacity) - 1;
    }

    /**
     * The ids of {@code deps} in t, then in s when sIds is given, packed into one long with an
     * equal share of bits each; NONE when an id array is missing or an id does not fit.
     */
    static long pack(int[] deps, int[] tIds, int[] sIds) {
        if (tIds == null) {
            return NONE;
        }
        int m = sIds == null ? deps.length : 2 * deps.length;
        if (m == 0 || m > MAX_PACKED) {
            return NONE;
        }
        int bits = Math.min(Integer.SIZE - 1, 63 / m); // ids are non-negative ints
        long key = 0;
        for (int d : deps) {
            int id = tIds[d];
            if (id >= 1L << bits) {
                return NONE;
            }
            key = key << bits | id;
        }
        if (sIds != null) {
            for (int d : deps) {
                int id = sIds[d];
                if (id >= 1L << bits) {
                    return NONE;
                }
                key = key << bits | id;
            }
        }
        return key;
    }

    /**
     * Whether predicate {@code tag} (a number, and the object it stands for) is known true where
     * {@code deps} have their values in t (and s, when s is given: an action's conjunct).
     * {@code tIds}, {@code sIds}: the states' value ids, or null when unknown.
     */
    boolean known(int tag, Object tagObject, int[] deps, OpDeclNode[] vars, TLCState t, TLCState s,
            int[] tIds, int[] sIds) {
        lastTag = tag;
        lastKey = s != null && sIds == null ? NONE : pack(deps, tIds, sIds);
        if (lastKey != NONE) {
            lastValueKey = null;
            if (find(tag, lastKey) >= 0) {
                hits++;
                return true;
            }
            return false;
        }
        lastValueKey = tIds != null && (s == null || sIds != null) ? IdsKey.of(tag, deps, tIds, sIds)
                : ValueKey.of(tagObject, deps, vars, t, s);
        if (byValue.contains(lastValueKey)) {
            hits++;
            return true;
        }
        return false;
    }

    /** Records that the predicate of the last {@link #known} call is true there. */
    void learn() {
        int tag = lastTag;
        long key = lastKey;
        Object valueKey = lastValueKey;
        if (key != NONE) {
            if (size >= tags.length / 2) {
                clear();
            }
            int i = slot(tag, key);
            while (tags[i] != 0) {
                i = (i + 1) & mask;
            }
            tags[i] = tag + 1;
            keys[i] = key;
            size++;
        } else if (valueKey != null) {
            if (byValue.size() >= tags.length / 2) {
                clear();
            }
            byValue.add(valueKey);
        }
    }

    private int find(int tag, long key) {
        for (int i = slot(tag, key); tags[i] != 0; i = (i + 1) & mask) {
            if (tags[i] == tag + 1 && keys[i] == key) {
                return i;
            }
        }
        return -1;
    }

    private int slot(int tag, long key) {
        long h = (key ^ (long) tag * 0x9E3779B97F4A7C15L) * 0xC2B2AE3D27D4EB4FL;
        return (int) (h >>> 40) & mask;
    }

    void clear() {
        Arrays.fill(tags, 0);
        size = 0;
        byValue.clear();
        lastKey = NONE;
        lastValueKey = null;
    }

    /** A predicate's tag and the value ids of what it reads, when they do not pack into a long. */
    private static final class IdsKey {
        private final int tag;
        private final int[] ids;
        private final int hash;

        private IdsKey(int tag, int[] ids) {
            this.tag = tag;
            this.ids = ids;
            this.hash = 31 * tag + Arrays.hashCode(ids);
        }

        static IdsKey of(int tag, int[] deps, int[] tIds, int[] sIds) {
            int[] ids = new int[sIds == null ? deps.length : 2 * deps.length];
            for (int i = 0; i < deps.length; i++) {
                ids[i] = tIds[deps[i]];
                if (sIds != null) {
                    ids[deps.length + i] = sIds[deps[i]];
                }
            }
            return new IdsKey(tag, ids);
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof IdsKey k && k.hash == hash && k.tag == tag && Arrays.equals(k.ids, ids);
        }
    }

    /** Facts recalled since {@link #resetHits} (a statistic). */
    long hits() {
        return hits;
    }

    void resetHits() {
        hits = 0;
    }
}
