package mmucheck.refinement.log;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/** LogReader's word-at-a-time newline search against the byte-by-byte one. */
class NewlineSearchTest {
    private static int naive(byte[] b, int from, int to) {
        for (int i = from; i < to; i++) {
            if (b[i] == '\n') {
                return i;
            }
        }
        return -1;
    }

    @Test
    void findsTheFirstNewlineAtEveryOffsetAndLength() {
        // Bytes next to '\n' in value or in bit pattern, where a word trick could misfire.
        byte[] alphabet = {'\n', 0x0B, 0x09, 0x00, (byte) 0x8A, (byte) 0xFF, 0x0A ^ 0x01, 'a', '{', '"'};
        Random r = new Random(1);
        int checked = 0;
        for (int round = 0; round < 2000; round++) {
            byte[] b = new byte[r.nextInt(40)];
            for (int i = 0; i < b.length; i++) {
                // Mostly not newlines, so a search often crosses several words.
                b[i] = r.nextInt(8) == 0 ? alphabet[r.nextInt(alphabet.length)] : alphabet[1 + r.nextInt(alphabet.length - 1)];
            }
            for (int from = 0; from <= b.length; from++) {
                for (int to = from; to <= b.length; to++) {
                    String where = "from " + from + " to " + to + " in " + java.util.Arrays.toString(b);
                    assertEquals(naive(b, from, to), LogReader.indexOfNewline(b, from, to), where);
                    checked++;
                }
            }
        }
        assertEquals(true, checked > 100_000, "searches checked: " + checked);
    }
}
