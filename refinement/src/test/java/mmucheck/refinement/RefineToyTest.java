package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.bench.ToyWalk;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The in-process checker on the toy spec: verdicts, diagnosis, partial logs, golden output. */
class RefineToyTest {
    @TempDir
    Path tmp;

    @Test
    void handWrittenLogRefinesAndPrintsOneLine() throws Exception {
        Toy.Run r = Toy.cli("refine", Toy.log("refines.ndjson").toString());
        assertEquals(0, r.code(), r.err());
        assertEquals(Toy.golden("refines.txt"), r.out());
    }

    @Test
    void tlbFinishThatForgetsAFlushDivergesWithDiagnosis() throws Exception {
        Toy.Run r = Toy.cli("refine", Toy.log("diverges.ndjson").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(Toy.golden("diverges.txt"), r.out().replace(Toy.log("diverges.ndjson").toString(), "LOG"));
        Verdict v = Toy.check(Toy.log("diverges.ndjson"));
        assertEquals(Verdict.Kind.DIVERGES, v.kind());
        assertEquals(8 - 1, v.line());
        assertEquals(5, v.seq());
        assertEquals("tlb_finish", v.action());
        assertTrue(v.diagnosis().conjunct().startsWith("tlb' = IF Bug"), v.diagnosis().conjunct());
        assertEquals("tlb", v.diagnosis().differs().get(0).variable());
        assertTrue(v.diagnosis().enabled().contains("tlb_finish(c = \"c0\")"), v.diagnosis().enabled().toString());
    }

    @Test
    void viaTlcGivesTheSameDiagnosisOfTheStepTlcCannotTake() throws Exception {
        Toy.Run r = Toy.cli("refine", Toy.log("diverges.ndjson").toString(), "--via-tlc");
        assertEquals(1, r.code(), r.err());
        assertEquals(Toy.golden("diverges-via-tlc.txt"), r.out());
        // The same diagnosis and steps as the in-process route; only the message adds TLC's words.
        String inProcess = Toy.golden("diverges.txt");
        String diagnosis = inProcess.substring(inProcess.indexOf("\n  false conjunct"), inProcess.lastIndexOf("\n\n"));
        String tlcOut = r.out();
        assertEquals(diagnosis, tlcOut.substring(tlcOut.indexOf("\n  false conjunct"), tlcOut.lastIndexOf("\n\n")));
    }

    @Test
    void divergenceAsJson() throws Exception {
        Toy.Run r = Toy.cli("refine", Toy.log("diverges.ndjson").toString(), "--json");
        assertEquals(1, r.code());
        JsonNode j = new ObjectMapper().readTree(r.out());
        assertEquals("diverges", j.get("verdict").asText());
        assertEquals(7, j.get("line").asInt());
        assertEquals(5, j.get("seq").asInt());
        assertEquals("tlb_finish", j.get("action").asText());
        assertEquals("\"c0\"", j.get("args").get("c").asText());
        assertEquals("tlb", j.get("diagnosis").get("differs").get(0).get("variable").asText());
        assertTrue(j.get("diagnosis").get("conjunct").asText().contains("tlb'"));
        assertTrue(j.get("diagnosis").get("enabled").size() > 0);
        assertEquals(Toy.golden("diverges.json"), r.out().replace(Toy.log("diverges.ndjson").toString(), "LOG"));
    }

    @Test
    void sameStepsUnderTheBugConstantViolateNoUseAfterFree() throws Exception {
        Toy.Run r = Toy.cli("refine", Toy.log("violates.ndjson").toString());
        assertEquals(1, r.code(), r.err());
        assertEquals(Toy.golden("violates.txt"), r.out());
    }

    @Test
    void stutterThatChangesAVariableDiverges() {
        Verdict v = Toy.check(Toy.log("stutter-changes.ndjson"));
        assertEquals(Verdict.Kind.DIVERGES, v.kind());
        assertEquals(6, v.line());
        assertEquals("free", v.diagnosis().differs().get(0).variable());
    }

    @Test
    void firstStateThatIsNotInitialDiverges() {
        Verdict v = Toy.check(Toy.log("bad-init.ndjson"));
        assertEquals(Verdict.Kind.DIVERGES, v.kind(), v.message());
        assertEquals(2, v.line());
        assertEquals(0, v.seq());
    }

    @Test
    void longRandomWalksRefineInFullAndPartialMode() throws Exception {
        for (long seed = 1; seed <= 3; seed++) {
            ToyWalk.Config c = ToyWalk.Config.of(3000, seed);
            Verdict full = Toy.check(Toy.walk(c, tmp, "full" + seed));
            assertEquals(Verdict.Kind.REFINES, full.kind(), full.message());
            assertEquals(3000, full.steps());
            Verdict part = Toy.check(Toy.walk(c.partial(true), tmp, "part" + seed));
            assertEquals(Verdict.Kind.REFINES, part.kind(), part.message());
            assertEquals(0, part.ambiguity().ambiguousSteps());
        }
    }

    @Test
    void injectedFaultsDivergeAtTheInjectedStep() throws Exception {
        for (boolean partial : new boolean[] {false, true}) {
            for (ToyWalk.Fault f : new ToyWalk.Fault[] {ToyWalk.Fault.EXTRA_CHANGE, ToyWalk.Fault.DROPPED_STEP}) {
                ToyWalk.Config c = ToyWalk.Config.of(400, 7).partial(partial).fault(f, 200);
                Verdict v = Toy.check(Toy.walk(c, tmp, f + "-" + partial));
                assertEquals(Verdict.Kind.DIVERGES, v.kind(), f + " " + v.message());
                // A dropped step shows at the next logged step, which takes the dropped seq
                // (the walk drops the first do_fault from step 200 on).
                assertTrue(v.seq() >= 200 && v.seq() < 230, f + " partial=" + partial + " seq " + v.seq());
                if (f == ToyWalk.Fault.EXTRA_CHANGE) {
                    assertEquals(200, v.seq());
                }
                assertNotNull(v.diagnosis());
            }
        }
    }

    @Test
    void buggyVariantWalkIsReportedAsTheInvariantItBreaks() throws Exception {
        Verdict v = Toy.check(Toy.walk(ToyWalk.Config.of(2000, 3).bug(true), tmp, "bug"));
        assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
        assertEquals("NoUseAfterFree", v.invariant());
        assertEquals("tlb_finish", v.action());
    }

    @Test
    void internalStepsBridgeAGapInAPartialLog() throws Exception {
        Path log = Toy.walk(ToyWalk.Config.of(300, 11).partial(true).fault(ToyWalk.Fault.DROPPED_STEP, 150), tmp, "gap");
        Verdict strict = Toy.check(log);
        assertEquals(Verdict.Kind.DIVERGES, strict.kind());
        Verdict k1 = RefinementChecker.checkFile(log, Toy.options().withPartial(1000, 1));
        assertEquals(Verdict.Kind.REFINES, k1.kind(), k1.message());
        assertTrue(k1.ambiguity().maxFrontier() >= 1);
    }

    @Test
    void internalStepsBridgeAGapInAFullLogToo() throws Exception {
        Path log = Toy.walk(ToyWalk.Config.of(200, 12).fault(ToyWalk.Fault.DROPPED_STEP, 100), tmp, "fullgap");
        assertEquals(Verdict.Kind.DIVERGES, Toy.check(log).kind());
        Verdict k1 = RefinementChecker.checkFile(log, Toy.options().withPartial(1000, 1));
        assertEquals(Verdict.Kind.REFINES, k1.kind(), k1.message());
    }

    @Test
    void frontierOverItsCapIsAClearFailure() throws Exception {
        Path log = Toy.walk(ToyWalk.Config.of(50, 5).partial(true), tmp, "cap");
        Toy.Run r = Toy.cli("refine", log.toString(), "--internal-steps", "3", "--max-frontier", "4");
        assertEquals(2, r.code());
        assertTrue(r.err().contains("more than 4 candidate states"), r.err());
        assertEquals(1, r.err().lines().count(), r.err());
    }

    @Test
    void unloggedVariablesFreeMakesAPartialLogAmbiguous() throws Exception {
        // Logging only pte: with unlogged variables left free, tlb_fill and friends are invisible.
        Path log = tmp.resolve("pte-only.ndjson");
        java.util.List<String> lines = Files.readAllLines(Toy.log("refines.ndjson"));
        lines.set(0, lines.get(0).replace("\"mode\":\"full\"", "\"mode\":\"partial\""));
        for (int i = 2; i < lines.size() - 1; i++) {
            lines.set(i, lines.get(i).replaceAll(",\"tlb\".*\\}\\}$", "}}"));
        }
        Files.write(log, lines);
        Verdict v = RefinementChecker.checkFile(log, Toy.options().withUnloggedUnchanged(false));
        assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
    }

    @Test
    void aLogsAmbiguityCountsStartAfreshWhicheverRouteReadsItsFirstState() throws Exception {
        Path gap = Toy.walk(ToyWalk.Config.of(300, 11).partial(true).fault(ToyWalk.Fault.DROPPED_STEP, 150), tmp, "gap");
        try (RefinementChecker c = new RefinementChecker(Toy.options().withPartial(1000, 1))) {
            Verdict first = c.check(gap);
            assertEquals(Verdict.Kind.REFINES, first.kind(), first.message());
            assertTrue(first.ambiguity().ambiguousSteps() > 0, first.ambiguity().toString());
            // The next log's first state goes through the fast reader (Evaluator.fastInit): its
            // counts must be what a fresh checker reports, not added to the last log's.
            Path clean = Toy.walk(ToyWalk.Config.of(100, 5).partial(true), tmp, "clean");
            Verdict next = c.check(clean);
            Verdict alone = RefinementChecker.checkFile(clean, Toy.options().withPartial(1000, 1));
            assertEquals(Verdict.Kind.REFINES, next.kind(), next.message());
            assertEquals(alone.ambiguity(), next.ambiguity());
            assertTrue(next.ambiguity().ambiguousSteps() < first.ambiguity().ambiguousSteps(),
                    next.ambiguity() + " after " + first.ambiguity());
        }
    }
}
