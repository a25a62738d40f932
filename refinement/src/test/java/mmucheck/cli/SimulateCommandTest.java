package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SimulateCommandTest {
    @TempDir
    Path dir;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--out x.ndjson|mmucheck simulate: missing --scenario",
        "--scenario nope --out x|mmucheck simulate: unknown scenario 'nope' (one of S1, S6, andrea-cow, andrea-migration, andrea-swap, andrea-ksm, andrea-zap, caseA, kvm-zap, kvm-swap, tiny-zap, tiny-cow, tiny-migrate, tiny-swap, tiny-ksm, tiny-madv-free, madv-free-race, tiny-mprotect, big, cow4, big3, reclaim-mprotect, reclaim-zap, s1-dev, cow, ksm, migration, s1, s6, swap, zap, mixed)",
        "--scenario s1 --variant cpu_flush=sometimes --out x|mmucheck simulate: bad cpu_flush 'sometimes' (one of gather, nested, always)",
        "--scenario s1 --variant colour=red --out x|mmucheck simulate: unknown variant key 'colour' (cpu_flush, secondary, shadow, batched_flush)",
        "--scenario s1 --variant gather --out x|mmucheck simulate: bad variant 'gather' (want K=V, e.g. cpu_flush=gather)",
        "--scenario s1 --seed many --out x|mmucheck simulate: --seed needs a number, not 'many'",
        "--scenario s1 --steps 0 --out x|mmucheck simulate: --steps must be at least 1, not 0",
        "--scenario s1 --strategy dfs --out x|mmucheck simulate: --strategy must be random or pct, not 'dfs'",
        "--scenario s1|mmucheck simulate: missing --out",
        "--scenario s1 --out x --frobnicate|mmucheck simulate: unknown option '--frobnicate'",
        "--scenario s1 --out|mmucheck simulate: --out needs a value (FILE)",
    })
    void badArgumentsAreOneLineAndExitTwo(String args, String message) {
        assertEquals(ExitCode.USAGE, run(("simulate " + args).split(" ")));
        // the problem, then the usage line (MainTest pins the format)
        assertEquals(message + "\n" + Cli.usageLine("simulate", new SimulateCommand()) + "\n", err());
    }

    @Test
    void aMissingReplayFileIsOneLine() {
        assertEquals(ExitCode.USAGE, run("simulate", "--scenario", "s1", "--out", dir.resolve("l").toString(),
                "--replay", dir.resolve("none.choices").toString()));
        assertTrue(err().startsWith("mmucheck simulate: cannot read "), err());
        assertEquals(1, err().lines().count());
    }

    /** The log's representation is pinned: a changed encoding is a reviewed golden update. */
    @Test
    void logOfS1NestedSeed1MatchesTheGoldenFile() throws IOException {
        Path log = dir.resolve("s1.ndjson");
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "s1", "--variant", "cpu_flush=nested", "--seed", "1",
                "--out", log.toString()));
        String golden = new String(getClass().getResourceAsStream("/golden/simulate_S1_nested_seed1.ndjson").readAllBytes(),
                StandardCharsets.UTF_8);
        assertEquals(golden, Files.readString(log));
        assertEquals("S1 cpu_flush=nested,secondary=under_ptl,shadow=seq seed 1 random: completed after 34 steps, 0 observed -> "
                + log + "\n", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void theS1SeedUnderGatherFailsWithExitOne() throws IOException {
        Path log = dir.resolve("stale.ndjson");
        assertEquals(ExitCode.VIOLATION, run("simulate", "--scenario", "S1", "--variant", "cpu_flush=gather", "--seed", "108",
                "--out", log.toString()));
        List<String> lines = Files.readAllLines(log);
        assertTrue(lines.get(lines.size() - 1).startsWith("{\"end\":\"failed\","), lines.get(lines.size() - 1));
        assertTrue(lines.get(lines.size() - 1).contains("\"kind\":\"stale-read\",\"agent\":\"cpu0\",\"va\":1"));
    }

    @Test
    void recordedChoicesReplayTheSameLog() throws IOException {
        Path a = dir.resolve("a.ndjson"), b = dir.resolve("b.ndjson"), ch = dir.resolve("a.choices");
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "big", "--seed", "4", "--strategy", "pct", "--partial",
                "--out", a.toString(), "--choices", ch.toString()));
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "big", "--seed", "4", "--partial", "--out", b.toString(),
                "--replay", ch.toString()));
        assertEquals(Files.readString(a).replace("\"strategy\":\"pct\"", "\"strategy\":\"replay\""), Files.readString(b));
        // a stream recorded on another scenario diverges, loudly and naming the step
        assertEquals(ExitCode.VIOLATION, run("simulate", "--scenario", "S6", "--out", b.toString(), "--replay", ch.toString()));
        assertTrue(err().startsWith("mmucheck simulate: replay diverged at step "), err());
    }

    @Test
    void mixedLogsNameTheirSeedAndRefine() throws IOException {
        Path log = dir.resolve("m.ndjson");
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "mixed", "--seed", "3", "--out", log.toString()));
        String header = Files.readAllLines(log).get(0);
        assertTrue(header.contains("\"Scenario\":\"mixed\"") && header.contains("\"MixedSeed\":3"), header);
        // the spec computes the same programs from MixedSeed, so the log refines
        assertEquals(ExitCode.OK, run("refine", log.toString()), err());
    }

    @Test
    void mixedLengthIsInTheHeaderAndTheLogRefines() throws IOException {
        Path log = dir.resolve("long.ndjson");
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "mixed", "--seed", "3", "--length", "40", "--steps", "100000",
                "--out", log.toString()));
        String header = Files.readAllLines(log).get(0);
        assertTrue(header.contains("\"MixedSeed\":3,\"MixedLength\":40"), header);
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(": completed after "), out.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.OK, run("refine", log.toString()), err());
    }

    @Test
    void lengthIsForMixedOnly() {
        assertEquals(ExitCode.USAGE, run("simulate", "--scenario", "S1", "--length", "3", "--out", dir.resolve("x").toString()));
        assertEquals("mmucheck simulate: --length sets the program length of --scenario mixed only\n"
                + "usage: mmucheck simulate --scenario S --out FILE [--variant K=V[,K=V]] [--seed N] [--steps K] [--length N] [--strategy random|pct] [--pct-depth D] [--partial] [--choices FILE] [--replay FILE] (mmucheck simulate --help)\n", err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("simulate", "--scenario", "mixed", "--length", "0", "--out", dir.resolve("x").toString()));
        assertEquals("mmucheck simulate: --length must be in 1..1000000, not 0\n"
                + "usage: mmucheck simulate --scenario S --out FILE [--variant K=V[,K=V]] [--seed N] [--steps K] [--length N] [--strategy random|pct] [--pct-depth D] [--partial] [--choices FILE] [--replay FILE] (mmucheck simulate --help)\n", err());
    }

    /**
     * Seed 13 at length 4000 ran out of frames after 1,821 steps (both CPUs waiting in
     * migrate_copy / migration_entry_wait): a swap entry zapped while do_swap_page held its page
     * left the page in the swap cache for good, and a later swap-out of the same va overwrote the
     * slot. With free_swap_and_cache() and do_swap_page letting such a page go the run goes on to
     * its step limit and refines.
     */
    @Test
    void free_swap_and_cache_longMixedRunDoesNotRunOutOfFrames() throws IOException {
        Path log = dir.resolve("s13.ndjson");
        assertEquals(ExitCode.OK, run("simulate", "--scenario", "mixed", "--seed", "13", "--length", "4000", "--steps", "3000",
                "--out", log.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains("aborted after 3000 steps, 0 observed (step limit 3000)"),
                out.toString(StandardCharsets.UTF_8));
        assertEquals(ExitCode.OK, run("refine", log.toString()), err());
    }

    @Test
    void benchNeedsToKnowWhich() {
        assertEquals(ExitCode.USAGE, run("bench"));
        assertEquals("mmucheck bench: missing TARGET (one of simulate, refine, explore, soak)\n"
                + "usage: mmucheck bench simulate|refine|explore|soak [ARGS] (mmucheck bench --help)\n", err());
    }

    @Test
    void benchSimulatePrintsFiguresAndRatio() {
        assertEquals(ExitCode.OK, run("bench", "simulate", "--seconds", "1", "--rounds", "1", "--warmup", "0", "--s1-runs", "20"));
        String o = out.toString(StandardCharsets.UTF_8);
        assertTrue(o.matches("(?s)mixed workload: runs of [0-9.]+ steps on average .*\nwarm-up: 0.0 s .*"
                + "logging on \\(full state, [0-9.]+ MB/s to a counting sink\\): [0-9,]+ logged steps/s, [0-9,]+ runs/s, [0-9.]+ us CPU per step\n"
                + "logging off: [0-9,]+ steps/s, [0-9,]+ runs/s, [0-9.]+ us CPU per step\nratio on/off: [0-9.]+\n"
                + "per run .*\nmachine: .*\n"
                + "S1 cpu_flush=gather: first stale seed 108\nS1 cpu_flush=nested: 20 seeded runs, 0 stale .*"), o);
    }
}
