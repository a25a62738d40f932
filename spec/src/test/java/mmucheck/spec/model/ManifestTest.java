package mmucheck.spec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestTest {
    @TempDir
    Path dir;

    private static final String GOOD = """
            {"name":"S1_gather","cfg":"S1_gather.cfg","scenario":"S1",
             "variant":{"cpu_flush":"gather","secondary":"under_ptl","shadow":"seq"},
             "expected":"violates:NoStaleAfterReturn","distinct":1234,"depth":21,"tier":"unit","explain":"one line"}""";

    private String error(String models) throws Exception {
        Files.writeString(dir.resolve("S1_gather.cfg"), "SPECIFICATION Spec\n");
        Path f = dir.resolve("manifest.json");
        Files.writeString(f, "{\"spec\":\"MMU\",\"models\":[" + models + "]}");
        return assertThrows(BadInputException.class, () -> Manifest.read(f)).getMessage()
                .replace(f.toString(), "manifest.json");
    }

    @Test
    void readsTheToyManifest() throws Exception {
        Manifest m = Manifest.read(Path.of("src/test/resources/toy/models/manifest.json"));
        assertEquals("MMU", m.spec());
        assertEquals(List.of("toy_safe", "toy_stale", "toy_deadlock", "toy_liveness"),
                m.models().stream().map(ModelEntry::name).toList());
        ModelEntry s = m.model("toy_stale").orElseThrow();
        assertEquals("violates:NoStaleAfterReturn", s.expected());
        assertEquals(66, s.distinct());
        assertEquals(ModelEntry.Tier.UNIT, s.tier());
        assertEquals("never", s.variantCell());
        assertEquals(ModelEntry.Tier.CI, m.model("toy_liveness").orElseThrow().tier());
    }

    @Test
    void readsTheDocumentedForm() throws Exception {
        Files.writeString(dir.resolve("S1_gather.cfg"), "SPECIFICATION Spec\n");
        Path f = dir.resolve("manifest.json");
        Files.writeString(f, "{\"spec\":\"MMU\",\"models\":[" + GOOD + "]}");
        ModelEntry e = Manifest.read(f).models().get(0);
        assertEquals("gather/under_ptl/seq", e.variantCell());
        assertEquals(21, e.depth());
        assertEquals("one line", e.explain());
    }

    @Test
    void eachProblemIsOneLineNamingTheField() throws Exception {
        assertEquals("manifest.json: models[0] (S1_gather): field 'distinct' must be a non-negative integer"
                + " (or -1: not measured)", error(GOOD.replace("1234", "\"many\"")));
        assertEquals("manifest.json: models[0] (S1_gather): field 'depth' must be a non-negative integer"
                + " (or -1: not measured)", error(GOOD.replace("21", "-2")));
        assertEquals("manifest.json: models[0] (S1_gather): field 'tier' must be unit, ci or bench, not 'nightly'",
                error(GOOD.replace("\"unit\"", "\"nightly\"")));
        assertEquals("manifest.json: models[0] (S1_gather): field 'expected' must be holds, deadlock or"
                + " violates:<Name>, not 'broken'", error(GOOD.replace("violates:NoStaleAfterReturn", "broken")));
        assertEquals("manifest.json: models[0]: field 'name' must be a non-empty string",
                error(GOOD.replace("\"name\":\"S1_gather\",", "")));
        assertEquals("manifest.json: models[1] (S1_gather): field 'name' repeats an earlier model",
                error(GOOD + "," + GOOD));
        assertEquals("manifest.json: models[0] (S1_gather): field 'variant.shadow' must be a string",
                error(GOOD.replace("\"seq\"", "3")));
        String missing = error(GOOD.replace("\"S1_gather.cfg\"", "\"S9.cfg\""));
        assertEquals("manifest.json: models[0] (S1_gather): field 'cfg': " + dir.resolve("S9.cfg") + " not found",
                missing);
    }

    @Test
    void notJsonNamesTheLine() throws Exception {
        Path f = dir.resolve("manifest.json");
        Files.writeString(f, "{\"spec\":\"MMU\",\n\"models\":[,]}");
        String msg = assertThrows(BadInputException.class, () -> Manifest.read(f)).getMessage();
        assertEquals(f + ":2: not JSON: Unexpected character (',' (code 44)): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')", msg);
        assertEquals(dir.resolve("nope.json") + ": file not found",
                assertThrows(BadInputException.class, () -> Manifest.read(dir.resolve("nope.json"))).getMessage());
    }
}
