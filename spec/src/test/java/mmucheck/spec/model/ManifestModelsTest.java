package mmucheck.spec.model;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import mmucheck.spec.tlc.ModelRunner;
import mmucheck.spec.tlc.Verdict;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every {@code unit}-tier model of a manifest, run through TLC: result, distinct states and depth
 * must equal the manifest exactly (a changed count is a conscious manifest edit).
 */
class ManifestModelsTest {

    private static Stream<DynamicTest> unitModels(Path specDir, Path manifestFile) throws BadInputException {
        Manifest manifest = Manifest.read(manifestFile);
        ModelRunner runner = new ModelRunner(ModelRunner.Config.fromSystemProperties().withWorkers(1).withQuickJit(true));
        return manifest.models().stream()
                .filter(m -> m.tier() == ModelEntry.Tier.UNIT)
                .map(m -> DynamicTest.dynamicTest(m.name(), () -> {
                    Verdict v = runner.run(specDir, manifest.specOf(m), manifest.cfgPath(m));
                    assertAll(m.name(),
                            () -> assertEquals(m.expected(), v.shown(), "result"),
                            () -> assertEquals(m.distinct(), v.distinct(), "distinct states"),
                            () -> assertEquals(m.depth(), v.depth(), "depth"));
                }));
    }

    @TestFactory
    Stream<DynamicTest> toyManifest() throws BadInputException {
        Path toy = Path.of("src/test/resources/toy");
        return unitModels(toy.resolve("tla"), toy.resolve("models/manifest.json"));
    }

    @TestFactory
    Stream<DynamicTest> bundledManifest() throws BadInputException {
        Path root = Path.of(System.getProperty("mmucheck.root", ".."));
        Path manifest = root.resolve("spec/models/manifest.json");
        assumeTrue(Files.isRegularFile(manifest), "no bundled manifest yet: " + manifest);
        return unitModels(root.resolve("spec/tla"), manifest);
    }
}
