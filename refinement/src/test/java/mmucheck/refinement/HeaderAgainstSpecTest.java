package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import mmucheck.cli.Main;
import mmucheck.refinement.check.SpecConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 15: a log header is validated against the MMU spec's declared constants and ASSUMEs
 * (TLC's evaluator checks neither), and a NUL byte, raw or escaped, is bad input on its line.
 */
class HeaderAgainstSpecTest {
    private static final Path SPEC = Path.of(System.getProperty("mmucheck.root"), "spec", "tla");
    @TempDir
    Path tmp;

    private String[] run(byte[] log) throws IOException {
        Path p = tmp.resolve("log.ndjson");
        Files.write(p, log);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"refine", p.toString()}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new String[] {Integer.toString(code), out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8)};
    }

    private static byte[] log(String from, String to) throws IOException {
        String s = Files.readString(Toy.log("mmu-tlb-fill.ndjson"));
        assertTrue(s.contains(from), from);
        return s.replaceFirst(java.util.regex.Pattern.quote(from), java.util.regex.Matcher.quoteReplacement(to))
                .getBytes(StandardCharsets.ISO_8859_1);
    }

    @Test
    void theUnchangedLogRefines() throws IOException {
        String[] r = run(log("\"seed\":1", "\"seed\":1"));
        assertEquals("0", r[0], r[2]);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "\"MixedSeed\":0|\"MixedSeed\":32768|header constant MixedSeed = 32768 is outside its domain 0..32767 (ASSUME at Scenarios.tla:363)",
        "\"MixedSeed\":0|\"MixedSeed\":-1|header constant MixedSeed = -1 is outside its domain 0..32767 (ASSUME at Scenarios.tla:363)",
        "\"cpu_flush\":\"nested\"|\"cpu_flush\":\"bogus\"|header constant cpu_flush = \"bogus\" is outside its domain \"gather\", \"nested\", \"always\" (ASSUME at MMState.tla:42)",
        "\"shadow\":\"seq\"|\"shadow\":\"Seq\"|header constant shadow = \"Seq\" is outside its domain \"seq\", \"start_only\" (ASSUME at MMState.tla:44)",
        "\"Scenario\":\"tiny-zap\"|\"Scenario\":\"S99\"|header constant Scenario = \"S99\" is outside its domain \"S1\", \"S6\", ",
        "\"MixedSeed\":0|\"MixedSeed\":0,\"Frobs\":3|header constant 'Frobs' is not declared by spec MMU (its constants: Scenario, MixedSeed, MixedLength, cpu_flush, secondary, shadow)",
        ",\"MixedSeed\":0||header lacks constants MixedSeed, MixedLength of spec MMU",
    })
    void headerConstantsOutsideTheSpecAreBadInputOnLineOne(String from, String to, String message) throws IOException {
        String[] r = run(log(from, to == null ? "" : to));
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals("", r[1]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].startsWith("mmucheck refine: " + tmp.resolve("log.ndjson") + ":1: " + message), r[2]);
    }

    @Test
    void theSpecsConstantsAndDomainsAreReadFromItsText() throws IOException {
        SpecConstants c = SpecConstants.read(SPEC, "MMU");
        assertEquals(java.util.List.of("Scenario", "MixedSeed", "MixedLength", "cpu_flush", "secondary", "shadow"), c.declared());
        assertEquals("0..32767", c.domain("MixedSeed").shown());
        assertTrue(c.domain("Scenario").contains("mixed"));
        assertTrue(c.domain("Scenario").contains("andrea-cow"));
        assertEquals(null, c.check(Map.of("Scenario", "S1", "MixedSeed", 0L, "MixedLength", 2L, "cpu_flush", "gather",
                "secondary", "v4_15", "shadow", "seq")));
        // KernelView declares its own constants and has no ASSUME on them
        SpecConstants k = SpecConstants.read(SPEC, "KernelView");
        assertEquals(java.util.List.of("Cpus", "cpu_flush"), k.declared());
        assertEquals(null, k.domain("cpu_flush"));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "1|\"impl\":\"hand|\"impl\":\"ha\\u0000nd|1",    // escaped, in a field nobody reads
        "1|\"impl\":\"hand|\"impl\":\"ha<NUL>nd|1",       // raw, in the header
        "2|{\"seq\":0|<NUL>{\"seq\":0|1",                 // raw, first byte: Jackson would guess UTF-16
        "3|\"agent\":\"|\"agent\":\"c\\u0000|1",          // escaped, in a step line the fast path takes
    })
    void aNulByteRawOrEscapedIsBadInputOnItsLine(int line, String from, String to, int ignored) throws IOException {
        String s = Files.readString(Toy.log("mmu-tlb-fill.ndjson"));
        String[] lines = s.split("\n", -1);
        if (!lines[line - 1].contains(from)) {
            lines[line - 1] = lines[line - 1].replaceFirst("^\\{", "{" + from + "x\",");
        }
        lines[line - 1] = lines[line - 1].replaceFirst(java.util.regex.Pattern.quote(from),
                java.util.regex.Matcher.quoteReplacement(to.replace("<NUL>", "\0")));
        String[] r = run(String.join("\n", lines).getBytes(StandardCharsets.ISO_8859_1));
        assertEquals("2", r[0], r[1] + r[2]);
        assertEquals(1, r[2].lines().count(), r[2]);
        assertTrue(r[2].startsWith("mmucheck refine: " + tmp.resolve("log.ndjson") + ":" + line
                + ": control character U+0000 (NUL) at byte "), r[2]);
        assertTrue(r[2].endsWith(" (not allowed in a log line, raw or escaped)\n"), r[2]);
    }
}
