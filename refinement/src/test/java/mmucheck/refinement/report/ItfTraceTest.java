package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.Map;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaValue;
import org.junit.jupiter.api.Test;

class ItfTraceTest {

    @Test
    void tlcCounterexampleRoundTripsThroughItf() throws Exception {
        Trace t = LaneDiagramTest.fixture("toy_stale", List.of()).counterexample();
        String json = ItfTrace.toJson(t);
        assertEquals(t, ItfTrace.read(json, "t.itf.json"));
        Golden.assertGolden("toy_stale.itf.json", json);
    }

    @Test
    void lassoAgentsAndArgsRoundTrip() throws Exception {
        Trace liveness = LaneDiagramTest.fixture("toy_liveness", List.of("AllReturn")).counterexample();
        assertEquals(liveness, ItfTrace.read(ItfTrace.toJson(liveness), "x"));
        Map<String, TlaValue> s = Map.of("x", TlaValue.of(1));
        Trace t = new Trace(List.of(new Step("Init", null, Map.of(), s),
                new Step("zap_pte_range", "cpu1", Map.of("va", TlaValue.of(2)), Map.of("x", TlaValue.of(2)))), 0, false);
        assertEquals(t, ItfTrace.read(ItfTrace.toJson(t), "x"));
    }

    @Test
    void readsPlainItfAndRejectsBadOnesInOneLine() throws Exception {
        Trace t = ItfTrace.read("{\"vars\":[\"x\"],\"states\":[{\"x\":{\"#bigint\":\"5\"}}]}", "f");
        assertEquals(TlaValue.of(5), t.steps().get(0).state().get("x"));
        assertEquals("Init", t.steps().get(0).action());
        assertEquals("f: states[1]: missing variable(s) x", assertThrows(BadInputException.class,
                () -> ItfTrace.read("{\"vars\":[\"x\"],\"states\":[{\"x\":1},{}]}", "f")).getMessage());
        assertEquals("f: states[0].x: not an integer: 1.5", assertThrows(BadInputException.class,
                () -> ItfTrace.read("{\"vars\":[\"x\"],\"states\":[{\"x\":1.5}]}", "f")).getMessage());
        assertEquals("f: not an ITF trace (no \"states\" array)", assertThrows(BadInputException.class,
                () -> ItfTrace.read("[]", "f")).getMessage());
    }
}
