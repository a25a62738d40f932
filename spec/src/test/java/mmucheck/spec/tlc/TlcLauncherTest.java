package mmucheck.spec.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The forked-TLC launcher: its command line, and how each kind of end comes back. */
class TlcLauncherTest {
    private static final Path TLA = Path.of("src/test/resources/toy/tla");

    private static Path tlcJar() {
        return Path.of(System.getProperty("mmucheck.tlc.jar"));
    }

    private static TlcLauncher.Fork toy(String cfg, Path work, Duration timeout) {
        return TlcLauncher.Fork.of(List.of("-XX:TieredStopAtLevel=1"), List.of(tlcJar()),
                List.of("-workers", "1", "-config", "../models/" + cfg, "MMU"), TLA, work, timeout);
    }

    @Test
    void commandLineGivesEveryForkThePrivateDirectoriesAndUtf8() {
        TlcLauncher.Fork f = TlcLauncher.Fork.of(List.of("-Xss8m"), List.of(Path.of("/x/tlc.jar"), Path.of("/x/own")),
                List.of("-workers", "1", "Spec"), Path.of("/d"), Path.of("/w"), Duration.ofSeconds(1))
                .withJavaBinary(Path.of("/jdk/bin/java"));
        assertEquals(List.of("/jdk/bin/java", "-Xss8m", "-Djava.io.tmpdir=/w/tmp", "-Dfile.encoding=UTF-8", "-cp",
                "/x/tlc.jar:/x/own", "tlc2.TLC", "-metadir", "/w/meta", "-workers", "1", "Spec"), TlcLauncher.command(f));
    }

    @Test
    void aViolationExitsWithTlcsStatusAndItsOutput(@TempDir Path work) {
        List<String> lines = new ArrayList<>();
        TlcLauncher.Result r = TlcLauncher.run(toy("toy_stale.cfg", work, Duration.ofMinutes(2)).withOnLine(lines::add));
        assertEquals(TlcLauncher.Status.EXITED, r.status(), r.output());
        assertEquals(12, r.exitCode()); // EC.ExitStatus.VIOLATION_SAFETY
        assertEquals(TlcLauncher.TlcStatus.VIOLATION, r.tlcStatus());
        assertTrue(r.output().contains("Invariant NoStaleAfterReturn is violated"), r.output());
        assertEquals(r.output(), String.join("\n", lines) + "\n");
        assertNull(r.failure(Duration.ofMinutes(2)));
        assertTrue(Files.isDirectory(work.resolve("tmp")) && Files.isDirectory(work.resolve("meta")));
    }

    @Test
    void aTimeoutKillsTheChildAndIsItsOwnStatus(@TempDir Path work) {
        TlcLauncher.Result r = TlcLauncher.run(toy("toy_safe.cfg", work, Duration.ofMillis(200)));
        assertEquals(TlcLauncher.Status.TIMED_OUT, r.status());
        assertEquals(-1, r.exitCode());
        assertNull(r.tlcStatus());
        assertEquals("timed out after 0.2 s (TLC killed)", r.failure(Duration.ofMillis(200)));
    }

    @Test
    void aJvmThatCannotStartIsNotStarted(@TempDir Path work) {
        TlcLauncher.Result r = TlcLauncher.run(toy("toy_safe.cfg", work, Duration.ofSeconds(5))
                .withJavaBinary(work.resolve("no-such-java")));
        assertEquals(TlcLauncher.Status.NOT_STARTED, r.status());
        assertTrue(r.failure(Duration.ofSeconds(5)).startsWith("cannot run TLC: "), r.failure(Duration.ofSeconds(5)));
    }

    @Test
    void outOfMemoryReportedByTheChildIsItsOwnStatus(@TempDir Path work) throws Exception {
        // A stand-in for the JVM: what TLC prints when the heap runs out, and TLC's system-error status.
        Path fake = work.resolve("java");
        Files.writeString(fake, "#!/bin/sh\necho 'Error: Java ran out of memory.'\n"
                + "echo 'java.lang.OutOfMemoryError: Java heap space'\nexit 153\n");
        Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
        TlcLauncher.Result r = TlcLauncher.run(toy("toy_safe.cfg", work, Duration.ofSeconds(30)).withJavaBinary(fake));
        assertEquals(TlcLauncher.Status.OUT_OF_MEMORY, r.status());
        assertEquals(153, r.exitCode());
        assertEquals(TlcLauncher.TlcStatus.ERROR, r.tlcStatus());
    }

    @Test
    void tlcsExitStatusesByKind() {
        assertEquals(TlcLauncher.TlcStatus.SUCCESS, TlcLauncher.statusOf(0));
        assertEquals(TlcLauncher.TlcStatus.VIOLATION, TlcLauncher.statusOf(11));
        assertEquals(TlcLauncher.TlcStatus.VIOLATION, TlcLauncher.statusOf(14));
        assertEquals(TlcLauncher.TlcStatus.EVALUATION_FAILURE, TlcLauncher.statusOf(75));
        assertEquals(TlcLauncher.TlcStatus.PARSE_ERROR, TlcLauncher.statusOf(150));
        assertEquals(TlcLauncher.TlcStatus.PARSE_ERROR, TlcLauncher.statusOf(151));
        assertEquals(TlcLauncher.TlcStatus.ERROR, TlcLauncher.statusOf(153));
        assertEquals(TlcLauncher.TlcStatus.ERROR, TlcLauncher.statusOf(255));
        assertEquals(TlcLauncher.TlcStatus.ERROR, TlcLauncher.statusOf(1));
    }
}
