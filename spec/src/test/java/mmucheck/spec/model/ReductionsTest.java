package mmucheck.spec.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import mmucheck.spec.tlc.ModelRunner;
import mmucheck.spec.tlc.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * The reductions the bench-tier models may use, run on small models whose verdicts the manifest
 * records: ACTION_CONSTRAINT EvictionFree (no spontaneous TLB/IOTLB evictions) and VIEW
 * NoClockView (the ghost clock left out of fingerprints) keep every verdict; the counts are
 * pinned. EvictionFree cuts states (S1_nested 2,847 to 2,483); NoClockView cuts none here: the
 * clock is a function of the rest of the state in these models (a store's stamp stays in mem).
 */
class ReductionsTest {
    @TempDir
    Path dir;

    /** model, reduction line, distinct states with it (the verdict is the manifest's). */
    private static final Object[][] CASES = {
            {"S1_gather", "ACTION_CONSTRAINT EvictionFree", 1336L},
            {"S1_gather", "VIEW NoClockView", 1407L},
            {"tiny_mprotect_none", "ACTION_CONSTRAINT EvictionFree", 398L},
            {"tiny_mprotect_none", "VIEW NoClockView", 599L},
            {"tiny_madv_free", "ACTION_CONSTRAINT EvictionFree", 378L},
            {"tiny_madv_free", "VIEW NoClockView", 432L},
    };

    @TestFactory
    Stream<DynamicTest> reductionsKeepTheVerdicts() throws Exception {
        Path root = Path.of(System.getProperty("mmucheck.root", ".."));
        Path manifestFile = root.resolve("spec/models/manifest.json");
        assumeTrue(Files.isRegularFile(manifestFile), "no bundled manifest");
        ModelRunner.Config c = ModelRunner.Config.fromSystemProperties();
        assumeTrue(c != null, "TLC's jar (mmucheck.tlc.jar) is not there");
        Manifest manifest = Manifest.read(manifestFile);
        // a private copy of the modules, with each reduced cfg beside them
        Path spec = Files.createDirectories(dir.resolve("tla"));
        try (Stream<Path> s = Files.list(root.resolve("spec/tla"))) {
            for (Path p : s.filter(p -> p.toString().endsWith(".tla")).toList()) Files.copy(p, spec.resolve(p.getFileName()));
        }
        ModelRunner runner = new ModelRunner(c.withWorkers(1).withQuickJit(true));
        return Stream.of(CASES).map(k -> DynamicTest.dynamicTest(k[0] + " with " + k[1], () -> {
            ModelEntry m = manifest.model((String) k[0]).orElseThrow();
            Path cfg = spec.resolve(k[0] + "_" + ((String) k[1]).split(" ")[0] + ".cfg");
            Files.writeString(cfg, Files.readString(manifest.cfgPath(m)) + k[1] + "\n");
            Verdict v = runner.run(spec, manifest.spec(), cfg);
            assertEquals(m.expected(), v.shown(), "verdict");
            assertEquals((long) k[2], v.distinct(), "distinct states");
        }));
    }
}
