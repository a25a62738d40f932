package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Seeded fuzzing of the smallest committed trace (issue 18): a few hundred mutants, each with one
 * line damaged in one of {@link FtraceMutations#MALFORMED_KINDS}. None may be accepted, none may
 * end in an exception, and every error names the damaged line. Then mutants that stay well-formed
 * (a line dropped, duplicated, moved) go through the translator, which may reject them only with
 * a line too.
 */
class FtraceFuzzTest {
    private static final long SEED = 20261203L;
    private static final int MUTANTS = 420;
    private static final int LINES = 700; // the zap trace's first lines: its first gathers, flushes and frees

    private static List<String> small() {
        List<String> t = FtraceInputTest.text(KernelTraces.ZAP);
        return new ArrayList<>(t.subList(0, LINES));
    }
    private static final Pattern WHERE = Pattern.compile("^" + Pattern.quote(FtraceInputTest.NAME) + ":(\\d+): .+");

    @Test
    void noMalformedMutantIsAcceptedAndEachErrorNamesItsLine() {
        List<String> text = small();
        Random rnd = new Random(SEED);
        Map<String, Integer> rejected = new TreeMap<>();
        int made = 0;
        for (int tries = 0; made < MUTANTS && tries < MUTANTS * 20; tries++) {
            String kind = FtraceMutations.MALFORMED_KINDS.get(rnd.nextInt(FtraceMutations.MALFORMED_KINDS.size()));
            FtraceMutations.TextMutant m = FtraceMutations.malformed(text, kind, rnd, 2);
            if (m == null) {
                continue;
            }
            made++;
            FtraceParser.Result r = FtraceInputTest.parse(m.lines(), FtraceInputTest.NAME);
            String what = kind + " at line " + m.line() + ": " + m.lines().get(m.line() - 1);
            assertFalse(r.ok(), "accepted " + what);
            Matcher w = WHERE.matcher(r.error());
            assertTrue(w.matches(), "the error names no line: " + r.error() + " (" + what + ")");
            assertEquals(m.line(), Integer.parseInt(w.group(1)), r.error() + " (" + what + ")");
            assertFalse(r.error().contains("Exception"), r.error());
            rejected.merge(kind, 1, Integer::sum);
        }
        assertEquals(MUTANTS, made);
        assertEquals(FtraceMutations.MALFORMED_KINDS.size(), rejected.size(), "every kind was drawn: " + rejected);
    }

    @Test
    void wellFormedMutantsTranslateOrFailNamingALine() {
        List<String> text = small();
        Random rnd = new Random(SEED + 1);
        int first = 0;
        while (text.get(first).startsWith("#")) {
            first++;
        }
        int translated = 0;
        for (int n = 0; n < 60; n++) {
            List<String> t = new ArrayList<>(text);
            int k = first + rnd.nextInt(t.size() - first);
            switch (rnd.nextInt(3)) {
                case 0 -> t.remove(k);
                case 1 -> t.add(k, t.get(k)); // the same event twice (same timestamp: allowed)
                default -> {
                    // an event moved a few lines later, its timestamp moved with the line: out of order
                    String l = t.remove(k);
                    t.add(Math.min(t.size(), k + 1 + rnd.nextInt(5)), l);
                }
            }
            FtraceParser.Result r = FtraceInputTest.parse(t, FtraceInputTest.NAME);
            if (!r.ok()) {
                assertTrue(WHERE.matcher(r.error()).matches(), r.error());
                continue;
            }
            KernelTranslator.Translation tr = KernelTranslator.translate(r.events(), null, FtraceInputTest.NAME);
            if (!tr.ok()) {
                assertTrue(WHERE.matcher(tr.error()).matches(), tr.error());
            } else {
                assertNotNull(tr.stats());
                translated++;
            }
        }
        assertTrue(translated > 0, "some mutants stay well-formed");
    }
}
