package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import mmucheck.spec.value.TlaValue;
import org.junit.jupiter.api.Test;

/**
 * Issue 17 item 6: explore's seed 45 under NO_NESTED_FORCE_FLUSH (S1) diverges at tlb_finish_mmu
 * (seq 20); the lanes before it reach back to both CPUs' tlb_gather_mmu (steps 1 and 2: the
 * nested flush the bug ignores), and the log rendered later carries the divergence's mark.
 */
class MarkedTraceTest {
    private static final Path LOG = Path.of("src/test/resources/logs/S1-no-nested-force-flush-seed45.ndjson");
    private static final Path SPEC = Path.of(System.getProperty("mmucheck.root"), "spec", "tla");

    @Test
    void lanesReachBackToTheRacingAgentsOperation() throws Exception {
        TraceFile tf = TraceFile.read(LOG, SPEC);
        assertEquals(8, Math.max(0, 20 - 12)); // the old window began after both gathers
        assertEquals(0, LaneDiagram.windowStart(tf.trace(), 20, 12, 60));
        assertEquals(10, LaneDiagram.windowStart(tf.trace(), 20, 4, 10)); // bounded by max
        // a window whose agents were idle just before it stays as it is
        assertEquals(25, LaneDiagram.windowStart(tf.trace(), 28, 2, 60));
    }

    @Test
    void aDivergingLogRenderedLaterIsMarked() throws Exception {
        TraceFile tf = TraceFile.readChecked(LOG, SPEC);
        assertEquals(20, tf.mark());
        assertTrue(tf.ending().startsWith("diverges at line 22 (seq 20): tlb_finish_mmu(c = \"cpu0\"). the logged step"), tf.ending());
        assertEquals(Map.of("Scenario", TlaValue.of("S1"), "MixedSeed", TlaValue.of(0), "cpu_flush", TlaValue.of("nested"),
                "secondary", TlaValue.of("under_ptl"), "shadow", TlaValue.of("seq")), Map.copyOf(tf.params()));
        String html = HtmlTrace.render("Trace x", tf.trace(), tf.ending(), tf.params(), tf.mark());
        assertTrue(html.contains("<tr class=\"step mark\" id=\"step-20\" data-step=\"20\">"), html);
        assertEquals(1, html.split("class=\"step[^\"]*mark").length - 1);
        assertTrue(html.contains("<title>Trace x (Scenario=S1, cpu_flush=nested, secondary=under_ptl, shadow=seq): "
                + "diverges at line 22 (seq 20): tlb_finish_mmu(c = &quot;cpu0&quot;).</title>"), html);
        assertTrue(html.indexOf("id=\"verdict\"") < html.indexOf("id=\"lanes\""), "the verdict comes before the lanes");
        Golden.assertGolden("S1-seed45-marked.html", html.replace(LOG.toString(), "LOG"));
    }
}
