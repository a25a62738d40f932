package mmucheck.spec.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mmucheck.spec.trace.Step;
import mmucheck.spec.value.TlaParser;
import mmucheck.spec.value.TlaValue;
import org.junit.jupiter.api.Test;

/** The -tool output parser on real TLC 2.18 output captured from the toy spec (src/test/resources/tlc-output). */
class VerdictReaderTest {
    private static final Path RES = Path.of("src/test/resources");

    private static Verdict read(String fixture, String specDir, String cfg, List<String> props) throws Exception {
        String text = Files.readString(RES.resolve("tlc-output").resolve(fixture));
        var ctx = new VerdictReader.Context(RES.resolve(specDir), RES.resolve(cfg), props, RES);
        return VerdictReader.read(TlcOutput.parse(text), ctx, 1.5);
    }

    private static Verdict toy(String fixture, String cfg) throws Exception {
        return read(fixture, "toy/tla", "toy/models/" + cfg, List.of());
    }

    @Test
    void holds() throws Exception {
        Verdict v = toy("toy_safe.out", "toy_safe.cfg");
        assertEquals("holds", v.result());
        assertEquals(179, v.distinct());
        assertEquals(436, v.generated());
        assertEquals(9, v.depth());
        assertNull(v.counterexample());
        assertEquals(1.5, v.seconds());
    }

    @Test
    void invariantViolationWithTrace() throws Exception {
        Verdict v = toy("toy_stale.out", "toy_stale.cfg");
        assertEquals("violates:NoStaleAfterReturn", v.result());
        assertEquals("NoStaleAfterReturn", v.violated());
        assertEquals(66, v.distinct());
        assertEquals(123, v.generated());
        assertEquals(5, v.depth());
        List<Step> steps = v.counterexample().steps();
        assertEquals(List.of("Init", "spin_lock", "tlb_fill", "zap_pte_range", "spin_unlock"),
                steps.stream().map(Step::action).toList());
        Step last = steps.get(4);
        assertEquals(TlaValue.of("none"), last.state().get("lock"));
        assertEquals(TlaParser.parse("[cpu0 |-> <<1, 0>>, cpu1 |-> <<0, 0>>]"), last.state().get("tlb"));
        assertEquals(TlaParser.parse("(0 :> 0 @@ 1 :> 0 @@ 2 :> 1)"), last.state().get("refcount"));
        assertEquals(8, last.state().size());
        assertFalse(v.counterexample().stutters());
    }

    @Test
    void deadlock() throws Exception {
        Verdict v = toy("toy_deadlock.out", "toy_deadlock.cfg");
        assertEquals("deadlock", v.result());
        assertEquals(90, v.distinct());
        assertEquals(5, v.depth());
        assertEquals(5, v.counterexample().steps().size());
        assertTrue(v.isViolation());
    }

    @Test
    void livenessNamesTheCfgPropertyAndEndsInStuttering() throws Exception {
        Verdict v = read("toy_liveness.out", "toy/tla", "toy/models/toy_liveness.cfg", List.of("AllReturn"));
        assertEquals("violates:AllReturn", v.result());
        assertEquals(179, v.distinct());
        assertEquals(9, v.depth()); // no search-depth message: the last progress level
        assertEquals(8, v.counterexample().steps().size());
        assertTrue(v.counterexample().stutters());
    }

    @Test
    void initialStateViolation() throws Exception {
        Verdict v = toy("toy_init_violation.out", "toy_stale.cfg");
        assertEquals("violates:LockHeld", v.result());
        assertEquals(0, v.distinct()); // TLC stops before it prints any statistics
        assertEquals(1, v.depth());
        assertEquals(1, v.counterexample().steps().size());
        assertEquals(TlaValue.of("none"), v.counterexample().steps().get(0).state().get("lock"));
    }

    @Test
    void actionPropertyViolation() throws Exception {
        Verdict v = toy("toy_action_property.out", "toy_stale.cfg");
        assertEquals("violates:StepProp", v.result());
        assertEquals("spin_lock", v.counterexample().steps().get(1).action());
    }

    @Test
    void parseErrorIsOneLineWithFileAndLine() throws Exception {
        Verdict v = read("bad_parse.out", "bad/parse", "bad/parse/m.cfg", List.of());
        assertEquals("error", v.result());
        assertEquals("bad/parse/MMU.tla:5: parse error at column 14: encountered \"Beginning of definition\""
                + " and token \"=\"", v.error());
    }

    @Test
    void semanticError() throws Exception {
        Verdict v = read("bad_semantic.out", "bad/semantic", "bad/semantic/m.cfg", List.of());
        assertEquals("bad/semantic/MMU.tla:5: Unknown operator: `y'.", v.error());
    }

    @Test
    void evaluationErrorPointsAtTheInnermostExpression() throws Exception {
        Verdict v = read("bad_runtime.out", "bad/runtime", "bad/runtime/m.cfg", List.of());
        assertEquals("error", v.result());
        assertTrue(v.error().startsWith("bad/runtime/MMU.tla:5: Attempted to apply the operator"), v.error());
        assertTrue(v.error().endsWith("Cannot cast tlc2.value.impl.StringValue to tlc2.value.impl.IntValue"),
                v.error());
        assertFalse(v.error().contains("\n"));
    }

    @Test
    void unknownInvariantInCfg() throws Exception {
        Verdict v = read("bad_cfg.out", "bad/cfg", "bad/cfg/m.cfg", List.of());
        assertEquals("bad/cfg/m.cfg: The invariant NoSuchInv specified in the configuration file is not defined"
                + " in the specification.", v.error());
    }

    @Test
    void missingCfgAndModule() throws Exception {
        assertEquals("bad/cfg/nosuch.cfg: File not found.",
                read("bad_nocfg.out", "bad/cfg", "bad/cfg/nosuch.cfg", List.of()).error());
        assertEquals("bad/cfg/NoSuch.tla: file not found",
                read("bad_nospec.out", "bad/cfg", "bad/cfg/m.cfg", List.of()).error());
        assertEquals("toy/tla/MMU.tla: cannot find module Naturals (EXTENDS or INSTANCE)",
                toy("missing_stdlib.out", "toy_stale.cfg").error());
    }

    @Test
    void truncatedOutputIsAnErrorNotAHang() throws Exception {
        String text = Files.readString(RES.resolve("tlc-output/toy_stale.out"));
        String cut = text.substring(0, text.indexOf("Invariant NoStaleAfterReturn"));
        var ctx = new VerdictReader.Context(RES.resolve("toy/tla"), RES.resolve("toy/models/toy_stale.cfg"), List.of(), RES);
        Verdict v = VerdictReader.read(TlcOutput.parse(cut), ctx, 0);
        assertEquals("error", v.result());
        assertTrue(v.error().startsWith("toy/models/toy_stale.cfg: TLC's output ended in the middle of a message"),
                v.error());
        String noVerdict = text.substring(0, text.indexOf("@!@!@STARTMSG 2110"));
        v = VerdictReader.read(TlcOutput.parse(noVerdict), ctx, 0);
        assertTrue(v.error().startsWith("toy/models/toy_stale.cfg: TLC ended without a verdict"), v.error());
    }

    @Test
    void actionNames() {
        assertEquals("Init", VerdictReader.actionName("<Initial predicate>"));
        assertEquals("zap_pte_range", VerdictReader.actionName("<zap_pte_range line 34, col 5 to line 39, col 43 of module MMU>"));
    }

    @Test
    void nestedMessages() {
        TlcOutput o = TlcOutput.parse("@!@!@STARTMSG 1000:1 @!@!@\nouter\n: @!@!@STARTMSG 5001:0 @!@!@\ninner\n"
                + "@!@!@ENDMSG 5001 @!@!@\n@!@!@ENDMSG 1000 @!@!@\nloose text\n");
        assertEquals(1, o.messages().size());
        assertEquals("outer\n", o.messages().get(0).body());
        assertEquals(5001, o.messages().get(0).nested().get(0).code());
        assertEquals("loose text\n", o.loose());
    }
}
