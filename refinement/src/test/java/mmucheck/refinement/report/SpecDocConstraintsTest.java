package mmucheck.refinement.report;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * spec-doc shows a model's CONSTRAINT and ACTION_CONSTRAINT as constraints, not as actions or
 * invariants: named by a cfg of spec/models (a commented-out one is not), or by the module's
 * own comments, as MMU.tla names EvictionFree. Golden: golden/spec-doc-constraints.html.
 */
class SpecDocConstraintsTest {
    @Test
    void constraintsAreShownAsConstraints(@TempDir Path root) throws Exception {
        Path tla = Files.createDirectories(root.resolve("spec/tla"));
        Files.writeString(tla.resolve("MMU.tla"), """
                ---- MODULE MMU ----
                (* A module with one action and three constraints. *)
                EXTENDS Properties
                VARIABLE x
                \\* One step up.
                step_up == x' = x + 1
                \\* Steps that stay small (ACTION_CONSTRAINT Small in the models).
                Small == x' < 3
                \\* Named only in this comment: ACTION_CONSTRAINT Calm.
                Calm == x' # x + 5
                \\* A state bound.
                Bounded == x < 5
                ====
                """);
        Files.writeString(tla.resolve("Properties.tla"), """
                ---- MODULE Properties ----
                (* Properties. *)
                \\* x never goes negative.
                NonNegative == x >= 0
                ====
                """);
        Files.writeString(tla.resolve("KernelView.tla"), """
                ---- MODULE KernelView ----
                (* Empty. *)
                ====
                """);
        Path models = Files.createDirectories(root.resolve("spec/models"));
        Files.writeString(models.resolve("m.cfg"), """
                INIT Init
                NEXT Next
                CONSTRAINT Bounded
                ACTION_CONSTRAINT Small
                \\* CONSTRAINT NonNegative
                INVARIANT NonNegative
                """);
        Files.writeString(models.resolve("manifest.json"), "{\"models\": []}\n");
        Files.createDirectories(root.resolve("impl/src/main/java"));
        Golden.assertGolden("spec-doc-constraints.html", SpecDoc.render(root, root.resolve("doc")));
    }
}
