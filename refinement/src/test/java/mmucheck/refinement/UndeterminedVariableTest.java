package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TLC's isValid accepts an action that forgets UNCHANGED y (any y' passes); the checker must
 * not: a spec whose inc_x forgets y, and a log whose inc_x step changes y.
 */
class UndeterminedVariableTest {
    @TempDir
    Path tmp;

    @Test
    void actionThatForgetsUnchangedDoesNotLetTheLogChangeTheVariable() throws Exception {
        Files.writeString(tmp.resolve("Leaky.tla"), """
                ---- MODULE Leaky ----
                EXTENDS Naturals
                VARIABLES x, y
                Init == x = 0 /\\ y = 0
                inc_x == x' = x + 1
                inc_y == y' = y + 1 /\\ UNCHANGED x
                Next == inc_x \\/ inc_y
                ====
                """);
        Path log = tmp.resolve("leaky.ndjson");
        Files.writeString(log, """
                {"format":"mmucheck-trace","version":1,"spec":"Leaky","constants":{},"mode":"full"}
                {"seq":0,"action":"Init","state":{"x":0,"y":0}}
                {"seq":1,"action":"inc_y","state":{"x":0,"y":1}}
                {"seq":2,"action":"inc_x","state":{"x":1,"y":7}}
                {"end":"completed","steps":2,"observed":[]}
                """);
        Verdict v = RefinementChecker.checkFile(log, RefinementChecker.Options.defaults().withSpecDir(tmp));
        assertEquals(Verdict.Kind.DIVERGES, v.kind(), v.message());
        assertEquals(4, v.line());
        assertTrue(v.message().contains("inc_x does not determine variable y"), v.message());
        assertEquals("y", v.diagnosis().differs().get(0).variable());
    }
}
