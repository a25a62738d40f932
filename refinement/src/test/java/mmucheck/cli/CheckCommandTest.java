package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import mmucheck.refinement.report.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code check} end to end on the toy spec (real TLC runs, about a second each). */
class CheckCommandTest {
    private static final Path TOY = Path.of("src/test/resources/toyroot");
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int check(Path root, String... args) throws UsageException {
        return new CheckCommand("check", "", root).run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private int main(Path root, String... args) {
        // Through Main's dispatch, so usage errors come out as Main prints them.
        return Main.run(java.util.Map.of("check", new CheckCommand("check", "", root)), prepend("check", args),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private static String[] prepend(String first, String... rest) {
        String[] a = new String[rest.length + 1];
        a[0] = first;
        System.arraycopy(rest, 0, a, 1, rest.length);
        return a;
    }

    private static String usage() {
        return Cli.usageLine("check", new CheckCommand("check", "", TOY)) + "\n";
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void violationFoundExitsOneEvenWhenTheManifestExpectsItAndDrawsLanes() throws Exception {
        assertEquals(ExitCode.VIOLATION, check(TOY, "toy_stale", "toy_deadlock"));
        // Seconds vary from run to run; everything else is pinned.
        Golden.assertGolden("check_toy.txt", out().replaceAll("(?m)  \\s*\\d+\\.\\d(  ok)", "  X.X$1"));
        assertTrue(err().contains("check: [1/2] toy_stale (unit) ..."), err());
        assertTrue(err().contains("check: [2/2] toy_deadlock: deadlock, 90 distinct states, depth 5"), err());
    }

    @Test
    void jsonHasTheDocumentedFields() throws Exception {
        assertEquals(ExitCode.OK, check(TOY, "--json", "toy_safe"));
        JsonNode m = new ObjectMapper().readTree(out()).get("models").get(0);
        assertEquals("toy_safe", m.get("name").asText());
        assertEquals("toy", m.get("scenario").asText());
        assertEquals("before_unlock", m.get("variant").get("cpu_flush").asText());
        assertEquals("holds", m.get("expected").asText());
        assertEquals("holds", m.get("actual").asText());
        assertEquals(179, m.get("distinct").asLong());
        assertEquals(9, m.get("depth").asInt());
        assertTrue(m.get("seconds").asDouble() > 0);
    }

    @Test
    void aVerdictThatDiffersFromTheManifestExitsThree(@TempDir Path tmp) throws Exception {
        Path root = copyToy(tmp);
        Path mf = root.resolve("spec/models/manifest.json");
        Files.writeString(mf, Files.readString(mf).replace("\"distinct\": 179, \"depth\": 9, \"tier\": \"unit\"",
                "\"distinct\": 180, \"depth\": 9, \"tier\": \"unit\""));
        assertEquals(ExitCode.MISMATCH, check(root, "toy_safe"));
        assertTrue(out().contains("NO: distinct 180 expected"), out());
        assertTrue(out().contains("0 of 1 models match the manifest."), out());
    }

    @Test
    void specErrorIsOneLineWithFileAndLineAndExitsTwo(@TempDir Path tmp) throws Exception {
        Path root = copyToy(tmp);
        Path spec = root.resolve("spec/tla/MMU.tla");
        Files.writeString(spec, Files.readString(spec).replace("/\\ lock' = c", "/\\ lock' = cc"));
        assertEquals(ExitCode.USAGE, check(root, "toy_safe"));
        assertTrue(err().endsWith("mmucheck check: spec/tla/MMU.tla:29: Unknown operator: `cc'.\n"), err());
    }

    @Test
    void usageErrors(@TempDir Path tmp) throws Exception {
        assertEquals(ExitCode.USAGE, main(TOY, "nosuch"));
        assertEquals("mmucheck check: no model 'nosuch' in spec/models/manifest.json (a model of your own: --cfg FILE"
                + " or --scenario S --variant K=V,...)\n", err()); // bad input: no usage line
        err.reset();
        assertEquals(ExitCode.USAGE, main(TOY, "--workers", "x"));
        assertEquals("mmucheck check: --workers needs a number, not 'x'\n" + usage(), err());
        err.reset();
        assertEquals(ExitCode.USAGE, main(TOY, "--frobnicate"));
        assertEquals("mmucheck check: unknown option '--frobnicate'\n" + usage(), err());
        err.reset();
        Path root = copyToy(tmp);
        Files.writeString(root.resolve("spec/models/manifest.json"), "{\"spec\":\"MMU\",\"models\":[{\"name\":\"x\"}]}");
        assertEquals(ExitCode.USAGE, main(root, "x"));
        assertEquals("mmucheck check: spec/models/manifest.json: models[0] (x): field 'cfg' must be a non-empty string\n",
                err());
    }

    private static Path copyToy(Path tmp) throws IOException {
        try (Stream<Path> s = Files.walk(TOY)) {
            for (Path p : s.sorted(Comparator.naturalOrder()).toList()) {
                Path q = tmp.resolve(TOY.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(q);
                } else {
                    Files.copy(p, q);
                }
            }
        }
        return tmp;
    }
}
