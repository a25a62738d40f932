package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mmucheck.cli.Main;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.viatlc.TlcCliRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The real spec (spec/tla/MMU.tla, scenario tiny-zap, cpu_flush=nested, under_ptl, seq):
 * a hand-made initial state plus one tlb_fill, the same step with the wrong permission, and a
 * 60-step walk (made by a TLC random walk of the spec) checked by both routes.
 */
class MmuSpecTest {
    @TempDir
    Path tmp;

    private static Verdict check(Path log) {
        return RefinementChecker.checkFile(log, RefinementChecker.Options.defaults());
    }

    @Test
    void initialStatePlusTlbFillRefines() {
        Verdict v = check(Toy.log("mmu-tlb-fill.ndjson"));
        assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
        assertEquals(1, v.steps());
    }

    @Test
    void tlbFillWithTheWrongPermissionDiverges() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"refine", Toy.log("mmu-tlb-fill-diverges.ndjson").toString()},
                new PrintStream(out, true, StandardCharsets.UTF_8), System.err);
        assertEquals(1, code);
        assertEquals(Toy.golden("mmu-tlb-fill-diverges.txt"), out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void sixtyStepWalkRefinesByBothRoutes() {
        Verdict ours = check(Toy.log("mmu-walk.ndjson"));
        assertEquals(Verdict.Kind.REFINES, ours.kind(), ours.message());
        assertEquals(60, ours.steps());
        Verdict tlc = TlcCliRoute.check(Toy.log("mmu-walk.ndjson"), RefinementChecker.Options.defaults());
        assertEquals(Verdict.Kind.REFINES, tlc.kind(), tlc.message());
    }

    @Test
    void walkWithAStepLeftOutDivergesThere() throws Exception {
        List<String> lines = Files.readAllLines(Toy.log("mmu-walk.ndjson"));
        // Drop seq 15 (zap_pte_range) and renumber, so seq 15 is now the step after it.
        lines.remove(16);
        for (int i = 16; i < lines.size() - 1; i++) {
            lines.set(i, lines.get(i).replaceFirst("\"seq\":\\d+", "\"seq\":" + (i - 1)));
        }
        lines.set(lines.size() - 1, lines.get(lines.size() - 1).replace("\"steps\":60", "\"steps\":59"));
        Path log = tmp.resolve("dropped.ndjson");
        Files.write(log, lines);
        Verdict v = check(log);
        assertEquals(Verdict.Kind.DIVERGES, v.kind(), v.message());
        assertEquals(15, v.seq());
        assertTrue(v.diagnosis().enabled().stream().anyMatch(s -> s.startsWith("zap_pte_range")),
                v.diagnosis().enabled().toString());
        // TLC's own route finds the same step, and carries the same diagnosis (computed in process).
        Verdict tlc = TlcCliRoute.check(log, RefinementChecker.Options.defaults());
        assertEquals(Verdict.Kind.DIVERGES, tlc.kind(), tlc.message());
        assertEquals(15, tlc.seq());
        assertEquals(v.action(), tlc.action());
        assertEquals(v.diagnosis(), tlc.diagnosis());
    }
}
