package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import mmucheck.spec.tlc.TlcOutput;
import mmucheck.spec.tlc.Verdict;
import mmucheck.spec.tlc.VerdictReader;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaParser;
import mmucheck.spec.value.TlaValue;
import org.junit.jupiter.api.Test;

/** Representation tests: the text of counterexample diagrams is pinned by golden files. */
class LaneDiagramTest {

    static Verdict fixture(String name, List<String> props) throws Exception {
        String text = Files.readString(Path.of("src/test/resources/tlc-output", name + ".out"));
        var ctx = new VerdictReader.Context(Path.of("spec/tla"), Path.of("spec/models/" + name + ".cfg"), props, null);
        return VerdictReader.read(TlcOutput.parse(text), ctx, 0);
    }

    private static String render(Verdict v, String model, int width) {
        Trace t = v.counterexample();
        boolean temporal = t.stutters() || t.loopsBackTo() >= 0;
        return new LaneDiagram(width).render("Counterexample for " + model + ": " + v.result(), t,
                Endings.forResult(v.result(), t, temporal));
    }

    @Test
    void toyStaleTranslation120() throws Exception {
        String s = render(fixture("toy_stale", List.of()), "toy_stale", 120);
        Golden.assertGolden("toy_stale.120.txt", s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 120));
    }

    @Test
    void toyStaleTranslation80() throws Exception {
        String s = render(fixture("toy_stale", List.of()), "toy_stale", 80);
        Golden.assertGolden("toy_stale.80.txt", s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 80));
    }

    /** S1 (concurrent MADV_DONTNEED, cpu_flush=gather): should read like the linux-mm CPU0 | CPU1 diagram. */
    @Test
    void s1GatherStaleTlbAfterMadvDontneed() throws Exception {
        Verdict v = fixture("S1_gather", List.of());
        assertEquals("violates:NoStaleAfterReturn", v.result());
        Trace t = v.counterexample();
        String s = new LaneDiagram(120).render("Counterexample for S1_gather", t, Endings.forResult(v.result(), t, false,
                "When MADV_DONTNEED returns, a TLB still maps a page its own zap_pte_range() saw unmapped."));
        Golden.assertGolden("S1_gather.120.txt", s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 120));
        assertTrue(s.contains("[tlb[cpu0][1] = f=1 w]"), s);
        Golden.assertGolden("S1_gather.80.txt", new LaneDiagram(80).render("Counterexample for S1_gather", t,
                Endings.forResult(v.result(), t, false)));
    }

    /**
     * S6 (CoW with a shared-page-table device, secondary=range_end): should read like the trace in
     * Documentation/mm/mmu_notifier.rst: cpu1 writes A then B, the device reads new B and old A.
     */
    @Test
    void s6RangeEndDeviceSeesStoresOutOfOrder() throws Exception {
        Verdict v = fixture("S6_range_end", List.of());
        assertEquals("violates:Coherence", v.result());
        Trace t = v.counterexample();
        assertEquals(List.of("cpu0", "cpu1", "dev0"), Agents.lanes(Agents.attribute(t)));
        String s = new LaneDiagram(120).render("Counterexample for S6_range_end", t, Endings.forResult(v.result(), t,
                false, "An agent read older contents at va than a store it had already seen."));
        Golden.assertGolden("S6_range_end.120.txt", s);
        assertTrue(s.lines().allMatch(l -> l.length() <= 120));
        assertTrue(s.contains("[iotlb[dev0][1] = f=1]"), s);
    }

    @Test
    void laneWidthsFollowTheirContent() {
        assertEquals(List.of(10, 20), java.util.Arrays.stream(LaneDiagram.widths(new int[] {10, 20}, 30)).boxed().toList());
        assertEquals(List.of(15, 25), java.util.Arrays.stream(LaneDiagram.widths(new int[] {10, 20}, 40)).boxed().toList());
        assertEquals(List.of(10, 25, 25), java.util.Arrays.stream(LaneDiagram.widths(new int[] {10, 40, 50}, 60)).boxed().toList());
    }

    @Test
    void toyDeadlock() throws Exception {
        Golden.assertGolden("toy_deadlock.120.txt", render(fixture("toy_deadlock", List.of()), "toy_deadlock", 120));
    }

    @Test
    void toyLivenessEndsStuttering() throws Exception {
        String s = render(fixture("toy_liveness", List.of("AllReturn")), "toy_liveness", 120);
        Golden.assertGolden("toy_liveness.120.txt", s);
        assertTrue(s.endsWith("Violated: temporal property AllReturn fails, because the behaviour stutters forever"
                + " after step 7.\n"), s);
    }

    @Test
    void agentsAreInferredFromPcThenTlb() throws Exception {
        Trace t = Agents.attribute(fixture("toy_stale", List.of()).counterexample());
        assertEquals(List.of("cpu0", "cpu0", "cpu0", "cpu0"),
                t.steps().subList(1, 5).stream().map(Step::agent).toList());
        assertEquals(List.of("cpu0"), Agents.lanes(t));
        Map<String, TlaValue> a = TlaParser.parseState("/\\ pc = [cpu0 |-> \"a\", dev0 |-> \"b\"] /\\ iotlb = [dev0 |-> {}]");
        Map<String, TlaValue> b = TlaParser.parseState("/\\ pc = [cpu0 |-> \"a\", dev0 |-> \"b\"] /\\ iotlb = [dev0 |-> {1}]");
        assertEquals(new Agents.Inferred("dev0", true), Agents.infer(a, b));
    }

    @Test
    void logStepsWithAgentsAndArgsAndSeveralLanes() throws Exception {
        Map<String, TlaValue> s0 = TlaParser.parseState("""
                /\\ pc = [cpu0 |-> "idle", cpu1 |-> "idle", dev0 |-> "idle"]
                /\\ pte = <<[kind |-> "present", frame |-> 1, rw |-> TRUE]>>
                /\\ tlb = [cpu0 |-> {}, cpu1 |-> {}]
                /\\ iotlb = [dev0 |-> {}]
                /\\ freed = {}""");
        Map<String, TlaValue> s1 = with(s0, "iotlb", "[dev0 |-> {<<1, 1>>}]");
        Map<String, TlaValue> s2 = with(with(s1, "pc", "[cpu0 |-> \"zap\", cpu1 |-> \"idle\", dev0 |-> \"idle\"]"),
                "pte", "<<[kind |-> \"none\", frame |-> 0, rw |-> FALSE]>>");
        Map<String, TlaValue> s3 = with(with(s2, "pc", "[cpu0 |-> \"done\", cpu1 |-> \"idle\", dev0 |-> \"idle\"]"),
                "freed", "{1}");
        Map<String, TlaValue> s4 = with(s3, "pc", "[cpu0 |-> \"done\", cpu1 |-> \"idle\", dev0 |-> \"store\"]");
        Trace t = Trace.of(List.of(
                new Step("Init", null, Map.of(), s0),
                new Step("iotlb_fill", "dev0", Map.of("va", TlaValue.of(1)), s1),
                new Step("zap_pte_range", "cpu0", Map.of("va", TlaValue.of(1)), s2),
                new Step("tlb_finish_mmu", "cpu0", Map.of(), s3),
                new Step("device_store", "dev0", Map.of("va", TlaValue.of(1)), s4)));
        String s = new LaneDiagram(80).render("Divergence at step 4", t,
                "Violated: NoUseAfterFree: dev0 stores to frame 1 after cpu0 freed it.");
        Golden.assertGolden("log_lanes.80.txt", s);
    }

    private static Map<String, TlaValue> with(Map<String, TlaValue> s, String var, String tla) throws Exception {
        var m = new java.util.LinkedHashMap<>(s);
        m.put(var, TlaParser.parse(tla));
        return m;
    }

    @Test
    void wrapBreaksAtSpacesAndHardBreaksLongWords() {
        assertEquals(List.of("aaa bbb", "    ccc"), LaneDiagram.wrap("aaa bbb ccc", 8, 4));
        assertEquals(List.of("abcdefgh", "    ijkl"), LaneDiagram.wrap("abcdefghijkl", 8, 4));
    }
}
