package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.report.TraceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: a model in no manifest (--cfg, --scenario), artefacts under --out-dir, exit codes of TLC runs. */
class CheckOwnModelTest {
    private static final Path TOY = Path.of("src/test/resources/toyroot");
    private static final Path ROOT = Path.of(System.getProperty("mmucheck.root"));
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(Path root, String... args) {
        String[] a = new String[args.length + 1];
        a[0] = "check";
        System.arraycopy(args, 0, a, 1, args.length);
        return Main.run(java.util.Map.of("check", new CheckCommand("check", "", root)), a,
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void ownCfgIsCheckedWithNoExpectedVerdict(@TempDir Path tmp) throws Exception {
        Path cfg = tmp.resolve("my_patch.cfg");
        Files.copy(TOY.resolve("spec/models/toy_stale.cfg"), cfg);
        assertEquals(ExitCode.VIOLATION, check(TOY, "--cfg", cfg.toString()), err());
        String o = out();
        assertTrue(o.startsWith("model (yours)  scenario  variant  verdict                      distinct  depth  seconds\n"
                + "my_patch       ?         ?/?/?    violates:NoStaleAfterReturn        66      5"), o);
        assertTrue(o.contains("1 model of your own (no expected verdict: this is TLC's answer).\n"), o);
        assertFalse(o.contains("match the manifest"), o);
        assertTrue(o.contains("Counterexample for my_patch"), o);

        out.reset();
        Files.copy(TOY.resolve("spec/models/toy_safe.cfg"), tmp.resolve("safe.cfg"));
        assertEquals(ExitCode.OK, check(TOY, "--json", "--cfg", tmp.resolve("safe.cfg").toString()), err());
        JsonNode m = new ObjectMapper().readTree(out()).get("own").get(0);
        assertEquals("safe", m.get("name").asText());
        assertEquals("holds", m.get("actual").asText());
        assertEquals(179, m.get("distinct").asLong());
        assertFalse(m.has("expected"));
    }

    @Test
    void ownCfgThatIsMissingIsBadInput() {
        assertEquals(ExitCode.USAGE, check(TOY, "--cfg", "/no/such.cfg"));
        assertEquals("mmucheck check: /no/such.cfg: file not found\n", err());
    }

    /** --scenario/--variant writes the cfg a bundled model has: kvm_zap_start_only's verdict and counts exactly. */
    @Test
    void scenarioUnderAVariantIsTheBundledModelsQuestion(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("out");
        assertEquals(ExitCode.VIOLATION, check(ROOT, "--scenario", "kvm-zap", "--variant", "shadow=start_only",
                "--out-dir", dir.toString()), err());
        assertTrue(out().contains("\nkvm_zap_nested_under_ptl_start_only  kvm-zap   nested/under_ptl/start_only  violates:ShadowValid"
                + "        59      8"), out());
        String cfg = Files.readString(dir.resolve("kvm_zap_nested_under_ptl_start_only.cfg"));
        assertTrue(cfg.contains("  Scenario = \"kvm-zap\"\n  MixedSeed = 0\n  MixedLength = 2\n  cpu_flush = \"nested\"\n  secondary = \"under_ptl\"\n"
                + "  shadow = \"start_only\"\nINVARIANTS TypeOK "), cfg);
        // artefacts: TLC's -tool output, and the counterexample as lanes, HTML and ITF, and where they are
        String n = "kvm_zap_nested_under_ptl_start_only";
        assertTrue(Files.readString(dir.resolve(n + ".tlc.txt")).contains("@!@!@STARTMSG 2110:1 @!@!@"));
        assertTrue(Files.readString(dir.resolve(n + ".lanes.txt")).startsWith("Counterexample for " + n
                + " (kvm-zap, nested/under_ptl/start_only): violates:ShadowValid, 7"));
        String html = Files.readString(dir.resolve(n + ".html"));
        assertTrue(html.contains("violates:ShadowValid"), html);
        TraceFile itf = TraceFile.read(dir.resolve(n + ".itf.json"), null);
        assertEquals(8, itf.trace().steps().size());
        assertTrue(itf.ending().contains("ShadowValid"), itf.ending());
        assertTrue(err().contains("check: artefacts in " + dir + ": "), err());
        assertTrue(err().contains("check: " + n + ": wrote " + n + ".tlc.txt, " + n + ".lanes.txt, " + n + ".html, " + n
                + ".itf.json in " + dir + "\n"), err());
    }

    @Test
    void scenarioAndVariantAreCheckedAgainstTheSpecsAssumes() {
        assertEquals(ExitCode.USAGE, check(ROOT, "--scenario", "nope"));
        assertTrue(err().startsWith("mmucheck check: unknown scenario 'nope' (one of S1, S6, andrea-cow, "), err());
        err.reset();
        assertEquals(ExitCode.USAGE, check(ROOT, "--scenario", "S1", "--variant", "secondary=sometimes"));
        assertTrue(err().startsWith("mmucheck check: bad secondary 'sometimes' (one of under_ptl, range_end, after_unlock, "
                + "none, v4_15, v6_6, skip_none, by the ASSUME at MMState.tla:43)\n"), err());
        err.reset();
        assertEquals(ExitCode.USAGE, check(ROOT, "--scenario", "S1", "--variant", "colour=red"));
        assertTrue(err().startsWith("mmucheck check: unknown variant key 'colour' (constants of MMU: "), err());
        err.reset();
        assertEquals(ExitCode.USAGE, check(ROOT, "--variant", "cpu_flush=gather"));
        assertTrue(err().startsWith("mmucheck check: --variant and --mixed-seed go with --scenario S\n"), err());
    }

    /** TLC killed at its time limit: exit 4, not "bad input". */
    @Test
    void timeoutIsItsOwnExitCode() {
        assertEquals(ExitCode.TIMEOUT, check(ROOT, "S6_range_end", "--timeout", "1"));
        assertTrue(err().contains("mmucheck check: spec/models/S6_range_end.cfg: timed out after 1 s (TLC killed)\n"), err());
    }

    /** A TLC that runs out of heap: exit 5, internal error, not "bad input". */
    @Test
    void tlcOutOfMemoryIsAnInternalError() {
        int code = check(TOY, "toy_safe", "--tlc-heap", "2m");
        assertEquals(ExitCode.INTERNAL, code, err());
    }

    /**
     * docs/ask-your-own-question.md end to end: a placement added to the spec's ASSUME (nothing
     * on the Java side) is accepted by --variant, and TLC's answer is the guide's: Case A
     * violates NoUseAfterFree in 177 states, depth 9, when the gather's flush drops
     * ->invalidate_range.
     */
    @Test
    void theGuidesNewPlacementIsAcceptedAndAnswered(@TempDir Path tmp) throws Exception {
        for (String d : new String[] {"spec/tla", "spec/models"}) {
            Files.createDirectories(tmp.resolve(d));
            try (java.util.stream.Stream<Path> s = Files.list(ROOT.resolve(d))) {
                for (Path f : s.toList()) {
                    Files.copy(f, tmp.resolve(d).resolve(f.getFileName()));
                }
            }
        }
        Path mm = tmp.resolve("spec/tla/MMState.tla");
        String t = Files.readString(mm);
        String t2 = t.replace("\"v6_6\", \"skip_none\"}\nASSUME shadow", "\"v6_6\", \"skip_none\", \"cow_only\"}\nASSUME shadow")
                .replace("flush_tlb_page()\n      [] OTHER -> FALSE",
                        "flush_tlb_page()\n      [] OTHER -> secondary = \"cow_only\" /\\ site = \"cow\"");
        assertEquals(2, countDiffs(t, t2), "the guide's two edits apply");
        Files.writeString(mm, t2);
        assertEquals(ExitCode.VIOLATION, check(tmp, "--scenario", "caseA", "--variant", "secondary=cow_only"), err());
        assertTrue(out().contains("caseA_nested_cow_only_seq  caseA     nested/cow_only/seq  violates:NoUseAfterFree"
                + "       177      9"), out());
    }

    private static int countDiffs(String a, String b) {
        String[] x = a.split("\n"), y = b.split("\n");
        int n = 0;
        for (int i = 0; i < x.length; i++) {
            if (!x[i].equals(y[i])) {
                n++;
            }
        }
        return n;
    }
}
