package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.impl.Simulation;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.refinement.bench.ToyWalk;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.report.VerdictReport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path (step lines checked from their bytes) gives exactly the verdicts of the
 * ordinary path (every line decoded to values), text and JSON, on refining, diverging,
 * violating, partial and malformed logs, and it does take the lines of a refining log.
 */
class FastPathTest {
    @TempDir
    Path tmp;

    private static void assertSameVerdicts(List<Path> logs, RefinementChecker.Options o) {
        try (RefinementChecker fast = new RefinementChecker(o.withFastPath(true));
                RefinementChecker slow = new RefinementChecker(o.withFastPath(false))) {
            for (Path log : logs) {
                Verdict f = fast.check(log);
                Verdict s = slow.check(log);
                assertEquals(VerdictReport.text(s, "LOG"), VerdictReport.text(f, "LOG"), log.toString());
                assertEquals(VerdictReport.json(s, "LOG"), VerdictReport.json(f, "LOG"), log.toString());
            }
        }
    }

    @Test
    void toyWalksGiveTheSameVerdictsBothWays() throws Exception {
        List<Path> logs = new ArrayList<>();
        int i = 0;
        // Grouped by constants (Bug), so each checker loads the spec twice, not per log.
        for (boolean bug : new boolean[] {false, true}) {
            for (boolean partial : new boolean[] {false, true}) {
                for (ToyWalk.Fault f : ToyWalk.Fault.values()) {
                    for (long seed = 1; seed <= 2; seed++) {
                        ToyWalk.Config c = ToyWalk.Config.of(400, seed).partial(partial).bug(bug)
                                .fault(f, f == ToyWalk.Fault.NONE ? -1 : 100 + 50 * seed);
                        logs.add(Toy.walk(c, tmp, "w" + i++));
                    }
                }
            }
        }
        for (String name : List.of("refines.ndjson", "diverges.ndjson", "violates.ndjson", "stutter-changes.ndjson",
                "bad-init.ndjson")) {
            logs.add(Toy.log(name));
        }
        assertSameVerdicts(logs, Toy.options());
    }

    @Test
    void malformedLinesGiveTheSameVerdictsBothWays() throws Exception {
        Path good = Toy.walk(ToyWalk.Config.of(40, 9), tmp, "good");
        List<String> lines = Files.readAllLines(good, StandardCharsets.UTF_8);
        String line = lines.get(10);
        // Each edit of line 11 is a case the fast reader must leave to the ordinary one (or read alike).
        List<String> edits = List.of(
                line.replace("\"seq\":9", "\"seq\":09"),
                line.replace("\"seq\":9", "\"seq\":9.0"),
                line.replace("\"seq\":9", "\"seq\":-9"),
                line.replace("\"seq\":9", "\"seq\" : 9 "),
                line.replace("\"state\":{", "\"state\":{\"pte\":[0,0],"),
                line.replace("\"state\":{", "\"state\":{\"nope\":1,"),
                line.replace("\"state\":{", "\"state\" :\t{ "),
                line.replace("\"pte\":[", "\"pte\":[ "),
                line.replace("\"pte\":[", "\"pte\":[\"x\","),
                line.replace("\"pte\":[", "\"pte\":[1.5,"),
                line.replace("\"pte\":[", "\"pte\":[null,"),
                line.replace("\"pte\":[", "\"pte\":[{\"#bigint\":\"1\"},"),
                line.replace("\"pte\":[", "\"pte\":[4294967296,"),
                line.replace("\"free\":{\"#set\":[", "\"free\":{\"#set\":[10,10,"),
                line.replace("\"free\":{", "\"free\":{\"#set\":[],"),
                line.replace("\"action\":\"", "\"action\":\"\\u0074"),
                line.replace("\"action\":\"", "\"action\":\"nope_"),
                line.replace("\"args\":{", "\"args\":{\"zz\":1,"),
                line.replace("\"args\":{", "\"args\":[],\"x\":{"),
                line.replace("{\"seq\"", "{\"stutter\":true,\"seq\""),
                line.replace("{\"seq\"", "{\"stutter\":false,\"seq\""),
                line + " ",
                line + "x",
                line + "{}",
                line.substring(0, line.length() - 1),
                line.replace("}}", "}"),
                line.replace("\"agent\":\"", "\"agent\":\"\u00e9"),
                line.replace("\"c0\"", "\"c\u00e9\""));
        List<Path> logs = new ArrayList<>();
        for (int i = 0; i < edits.size(); i++) {
            List<String> copy = new ArrayList<>(lines);
            copy.set(10, edits.get(i));
            Path p = tmp.resolve("edit" + i + ".ndjson");
            Files.write(p, copy, StandardCharsets.UTF_8);
            logs.add(p);
        }
        assertSameVerdicts(logs, Toy.options());
    }

    @Test
    void implementationLogsGiveTheSameVerdictsBothWaysAndTakeTheFastPath() throws Exception {
        List<Path> logs = new ArrayList<>();
        try (mmucheck.impl.sched.AgentThreads threads = new mmucheck.impl.sched.AgentThreads()) {
            int i = 0;
            for (String sc : List.of("S1", "S6")) {
                for (long seed = 0; seed < 3; seed++) {
                    for (boolean partial : new boolean[] {false, true}) {
                        ByteArrayOutputStream b = new ByteArrayOutputStream();
                        Variant v = sc.equals("S1") ? Variant.parse("cpu_flush=gather").variant() : Variant.DEFAULT;
                        Simulation.run(new Simulation.Config(Scenarios.byName(sc).orElseThrow(), v, seed, 300,
                                "random", 3, partial, null, seed == 2 ? Bugs.of(mmucheck.impl.mm.Bug.NO_NESTED_FORCE_FLUSH) : Bugs.NONE),
                                b, threads);
                        Path p = tmp.resolve("impl" + i++ + ".ndjson");
                        Files.write(p, b.toByteArray());
                        logs.add(p);
                    }
                }
            }
        }
        assertSameVerdicts(logs, RefinementChecker.Options.defaults());
        try (RefinementChecker c = new RefinementChecker(RefinementChecker.Options.defaults())) {
            Verdict v = c.check(logs.get(6)); // S6, seed 0, full
            assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
            Map<String, Object> st = c.lastStats();
            assertEquals(v.steps(), st.get("fastAccepted"), st.toString());
            assertTrue((Long) st.get("conjunctsSkipped") > 0, st.toString());
        }
    }

    @Test
    void toyLogInMemoryIsCheckedFromItsBytes() throws Exception {
        Path log = Toy.walk(ToyWalk.Config.of(500, 4), tmp, "mem");
        try (RefinementChecker c = new RefinementChecker(Toy.options())) {
            Verdict v = c.check(new ByteArrayInputStream(Files.readAllBytes(log)));
            assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
            assertEquals(500L, c.lastStats().get("fastAccepted"));
        }
    }
}
