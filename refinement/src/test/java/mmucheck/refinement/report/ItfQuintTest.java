package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 17 item 6: the ITF mmucheck writes, read by Quint's ITF reader (npm
 * {@code @informalsystems/quint}, installed by .ci/run under ~/.cache/mmucheck-quint, or
 * MMUCHECK_QUINT_DIR): every variable has one shape in every state of every model (pc, tlb,
 * iotlb ... as maps, iotlb too where a model has no device), and the params are set.
 */
class ItfQuintTest {
    private static final Path RES = Path.of("src/test/resources");

    static Path quint() {
        String env = System.getenv("MMUCHECK_QUINT_DIR");
        return env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "mmucheck-quint", "node_modules", "@informalsystems", "quint");
    }

    @Test
    void quintReadsEveryModelsTraceWithOneShapePerVariable(@TempDir Path tmp) throws Exception {
        Path q = quint();
        Assumptions.assumeTrue(Files.isRegularFile(q.resolve("dist/src/itf.js")),
                "Quint's ITF reader is not installed at " + q + " (.ci/run installs it; or set MMUCHECK_QUINT_DIR)");
        Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/node")) || Files.isExecutable(Path.of("/usr/local/bin/node")),
                "node is not installed");
        Path spec = Path.of(System.getProperty("mmucheck.root"), "spec", "tla");
        List<String> cmd = new ArrayList<>(List.of("node", RES.resolve("itf/quint-shapes.js").toString(), q.toString()));
        // traces of the current spec: a TLC counterexample with no device (iotlb printed <<>>), an
        // implementation log with one (iotlb a record by TLC's reading) and a walk of the MMU spec
        for (String f : List.of("tlc-output/S1_gather.plain-difftrace.out", "itf/andrea-migration-seed3.ndjson",
                "logs/mmu-walk.ndjson")) {
            TraceFile tf = TraceFile.read(RES.resolve(f), spec);
            Path itf = tmp.resolve(Path.of(f).getFileName() + ".itf.json");
            Files.writeString(itf, ItfTrace.toJson(tf.trace(), tf.ending(), tf.params()));
            // and back: the same trace as TLC compares it
            assertEquals(tf.trace(), TraceFile.read(itf, spec).trace(), f);
            cmd.add(itf.toString());
        }
        TraceFile s1 = TraceFile.read(RES.resolve("tlc-output/S1_gather.out"), spec);
        assertEquals("{Scenario=\"S1\", MixedSeed=0, MixedLength=2, cpu_flush=\"gather\", secondary=\"under_ptl\", shadow=\"seq\"}",
                s1.params().toString().replace("Str[value=", "").replace("Int[value=", "").replace("]", ""));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "node took over 60 s");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
        Golden.assertGolden("itf/quint-shapes.txt", out);
    }
}
