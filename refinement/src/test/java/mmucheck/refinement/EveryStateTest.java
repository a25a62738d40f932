package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * TypeOK and the invariants hold on every logged state, whichever path checks it: a spec
 * whose TypeOK is narrower than what its actions allow, and an invariant broken by a step that
 * changes only one of the two variables it reads (its other conjuncts unchanged and skipped).
 */
class EveryStateTest {
    private static final String SPEC = """
            ---- MODULE Mini ----
            EXTENDS Naturals
            VARIABLES x, y
            TypeOK == /\\ x \\in 0..5
                      /\\ y \\in {0, 1}
            Init == x = 0 /\\ y = 0
            inc == x' = x + 1 /\\ UNCHANGED y
            flip == y' = 1 - y /\\ UNCHANGED x
            Next == inc \\/ flip
            Small == /\\ y \\in {0, 1}
                     /\\ x < 3 \\/ y = 0
            ====
            """;

    @TempDir
    Path tmp;

    private Path spec() throws Exception {
        return Toy.specDir(tmp, "Mini", SPEC, "TypeOK Small");
    }

    /** A log of the given actions from Init; returns it and the line of the last step. */
    private Path log(String name, List<String> actions) throws Exception {
        List<String> lines = new ArrayList<>();
        lines.add("{\"format\":\"mmucheck-trace\",\"version\":1,\"spec\":\"Mini\",\"constants\":{},\"mode\":\"full\"}");
        int x = 0;
        int y = 0;
        lines.add("{\"seq\":0,\"action\":\"Init\",\"state\":{\"x\":0,\"y\":0}}");
        for (int i = 0; i < actions.size(); i++) {
            if (actions.get(i).equals("inc")) {
                x++;
            } else {
                y = 1 - y;
            }
            lines.add("{\"seq\":" + (i + 1) + ",\"action\":\"" + actions.get(i) + "\",\"state\":{\"x\":" + x
                    + ",\"y\":" + y + "}}");
        }
        lines.add("{\"end\":\"completed\",\"steps\":" + actions.size() + "}");
        Path p = tmp.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    @Test
    void typeOkIsCheckedOnEveryStateBothWays() throws Exception {
        Path log = log("type.ndjson", List.of("inc", "inc", "inc", "inc", "inc", "inc", "inc"));
        for (boolean fast : new boolean[] {true, false}) {
            Verdict v = RefinementChecker.checkFile(log,
                    RefinementChecker.Options.defaults().withSpecDir(spec()).withFastPath(fast));
            assertEquals(Verdict.Kind.BAD_INPUT, v.kind(), v.message());
            assertEquals(8, v.line(), "seq 6 (x = 6) is on line 8");
            assertEquals("value outside the model's sets: x \\in 0..5 is false", v.message());
        }
    }

    @Test
    void anInvariantBrokenByAStepThatChangesOneOfItsVariablesIsFound() throws Exception {
        // x reaches 3 with y = 0 (Small holds); then flip changes only y: Small's last conjunct fails.
        Path log = log("inv.ndjson", List.of("inc", "flip", "flip", "inc", "inc", "flip", "inc"));
        try (RefinementChecker c = new RefinementChecker(RefinementChecker.Options.defaults().withSpecDir(spec()))) {
            Verdict v = c.check(log);
            assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
            assertEquals("Small", v.invariant());
            assertEquals(6L, v.seq());
            assertTrue((Long) c.lastStats().get("conjunctsSkipped") > 0, c.lastStats().toString());
        }
        Path ok = log("ok.ndjson", List.of("inc", "flip", "flip", "inc", "inc", "inc"));
        Verdict v = RefinementChecker.checkFile(ok, RefinementChecker.Options.defaults().withSpecDir(spec()));
        assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
    }
}
