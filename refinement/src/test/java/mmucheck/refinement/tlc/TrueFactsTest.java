package mmucheck.refinement.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The table of facts keyed by packed value ids (the ValueKey fallback needs TLC states). */
class TrueFactsTest {
    @Test
    void packedKeysAreDistinctPerTupleAndRefuseWhatDoesNotFit() {
        int[] deps = {0, 2};
        Set<Long> keys = new HashSet<>();
        for (int a = 0; a < 40; a++) {
            for (int b = 0; b < 40; b++) {
                keys.add(TrueFacts.pack(deps, new int[] {a, 99, b}, null));
            }
        }
        assertEquals(1600, keys.size());
        // With s's ids too: four ids of 15 bits each.
        assertNotEquals(TrueFacts.pack(deps, new int[] {1, 0, 2}, new int[] {3, 0, 4}),
                TrueFacts.pack(deps, new int[] {3, 0, 4}, new int[] {1, 0, 2}));
        assertEquals(TrueFacts.NONE, TrueFacts.pack(deps, new int[] {1 << 15, 0, 0}, new int[] {0, 0, 0}));
        assertNotEquals(TrueFacts.NONE, TrueFacts.pack(deps, new int[] {(1 << 15) - 1, 0, 0}, new int[] {0, 0, 0}));
        assertEquals(TrueFacts.NONE, TrueFacts.pack(new int[] {0, 1, 2}, new int[] {0, 0, 0}, new int[] {0, 0, 0}));
        assertEquals(TrueFacts.NONE, TrueFacts.pack(deps, null, null));
        // One id: any int (no shift past the sign bit).
        assertEquals((long) Integer.MAX_VALUE, TrueFacts.pack(new int[] {0}, new int[] {Integer.MAX_VALUE}, null));
        assertEquals(7L, TrueFacts.pack(new int[] {0}, new int[] {7}, null));
        assertEquals(TrueFacts.NONE, TrueFacts.pack(new int[0], new int[] {0}, null));
    }

    @Test
    void agreesWithASetOfFactsAndForgetsEverythingWhenHalfFull() {
        TrueFacts f = new TrueFacts(8); // 256 slots: forgets all at 128 facts
        Set<List<Integer>> model = new HashSet<>();
        Random r = new Random(7);
        int[] deps = {0};
        int learned = 0;
        int recalled = 0;
        for (int i = 0; i < 20_000; i++) {
            int tag = r.nextInt(5);
            int id = r.nextInt(60);
            boolean known = f.known(tag, null, deps, null, null, null, new int[] {id}, null);
            List<Integer> fact = List.of(tag, id);
            if (known) {
                assertTrue(model.contains(fact), "recalled a fact never learned: " + fact);
                recalled++;
            } else if (r.nextBoolean()) {
                if (model.size() >= 128) {
                    model.clear();
                }
                f.learn();
                model.add(fact);
                learned++;
            }
            // Learned and not forgotten since: recalled.
            if (model.contains(fact)) {
                assertTrue(f.known(tag, null, deps, null, null, null, new int[] {id}, null), fact.toString());
            }
        }
        assertTrue(learned > 1000 && recalled > 1000, learned + " learned, " + recalled + " recalled");
        f.clear();
        assertFalse(f.known(0, null, deps, null, null, null, new int[] {0}, null));
    }

    @Test
    void tagsKeepFactsApart() {
        TrueFacts f = new TrueFacts(6);
        int[] deps = {0};
        assertFalse(f.known(1, null, deps, null, null, null, new int[] {5}, null));
        f.learn();
        for (int t : new int[] {0, 1, 2, 1_000_000}) {
            assertEquals(t == 1, f.known(t, null, deps, null, null, null, new int[] {5}, null), "tag " + t);
        }
    }
}
