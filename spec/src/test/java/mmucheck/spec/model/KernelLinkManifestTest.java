package mmucheck.spec.model;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The link between KernelView and the protocol spec (spec/tla/KernelLink.tla, issue 13): its
 * claims, as manifest entries of the unit tier, so that {@link ManifestModelsTest} runs each with
 * TLC and asserts its verdict and state counts on every build; and the manifest's per-model
 * {@code spec} field that names KernelLink as their top module.
 */
class KernelLinkManifestTest {
    @TempDir
    Path dir;

    /** model -> the verdict it claims (the comment of each says which claim). */
    private static final Map<String, String> CLAIMS = Map.of(
            // no false alarm: the fixed protocol's kernel events are KernelView steps, no invariant fails
            "link_S1_nested", "holds",
            // the buggy variant is caught, by the harm invariant (the one restating the fix fails in the same state)
            "link_S1_gather", "violates:ZappedPageUnreachableAfterReturn",
            // soundness: every protocol harm on the buggy variant raises a KernelView alarm
            "link_S1_gather_sound", "holds",
            // without the nested-flush invariant (KernelView set to "gather") the harm invariant still catches the race
            "link_S1_gather_kvgather", "violates:ZappedPageUnreachableAfterReturn",
            // a finding: ksmd's notifier bracket lies outside every context KernelView allows
            "link_andrea_ksm_under_ptl", "violates:NotifierPaired");

    @Test
    void theLinkClaimsAreUnitModelsOfKernelLink() throws Exception {
        Path root = Path.of(System.getProperty("mmucheck.root", ".."));
        Manifest m = Manifest.read(root.resolve("spec/models/manifest.json"));
        assertAll(CLAIMS.entrySet().stream().map(c -> () -> {
            ModelEntry e = m.model(c.getKey()).orElseThrow(() -> new AssertionError("no model " + c.getKey()));
            assertEquals(c.getValue(), e.expected(), e.name());
            assertEquals("KernelLink", m.specOf(e), e.name());
            assertEquals(ModelEntry.Tier.UNIT, e.tier(), e.name());
        }));
        assertEquals("MMU", m.specOf(m.model("S1_gather").orElseThrow()));
    }

    @Test
    void aBadSpecFieldIsOneLine() throws Exception {
        Files.writeString(dir.resolve("a.cfg"), "SPECIFICATION LinkSpec\n");
        Path f = dir.resolve("manifest.json");
        Files.writeString(f, "{\"spec\":\"MMU\",\"models\":[{\"name\":\"a\",\"cfg\":\"a.cfg\",\"scenario\":\"S1\","
                + "\"variant\":{},\"expected\":\"holds\",\"distinct\":1,\"depth\":1,\"tier\":\"unit\",\"spec\":\"Kernel Link\"}]}");
        String msg = assertThrows(BadInputException.class, () -> Manifest.read(f)).getMessage();
        assertEquals(f + ": models[0] (a): field 'spec' must name a module (letters, digits, '_')", msg);
    }
}
