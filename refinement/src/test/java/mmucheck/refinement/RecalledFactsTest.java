package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The fast path recalls that a conjunct (of an action, TypeOK or an invariant) or an action's
 * ENABLED was true where the variables it reads had the same values (TlcBridge's TrueFacts,
 * keyed by the reader's value ids). A recalled fact must never hide a false conjunct on other
 * values: each log here cycles a counter through the same values many times, so the facts are
 * learned and recalled, and then takes one bad step or reaches one bad state. Full and partial
 * logs, fast path on and off, must give the same verdict on the same line.
 */
class RecalledFactsTest {
    private static final String SPEC = """
            ---- MODULE Counters ----
            EXTENDS Naturals
            VARIABLES x, cache, pc
            Procs == {1, 2}
            TypeOK == /\\ x \\in [Procs -> 0..3]
                      /\\ cache \\subseteq Procs
                      /\\ pc \\in [Procs -> {"run", "done"}]
            Init == x = <<0, 0>> /\\ cache = {} /\\ pc = <<"run", "run">>
            bump(p) == /\\ pc[p] = "run" /\\ x[p] < 3
                       /\\ x' = [x EXCEPT ![p] = x[p] + 1] /\\ UNCHANGED <<cache, pc>>
            reset(p) == /\\ pc[p] = "run" /\\ x[p] = 2
                        /\\ x' = [x EXCEPT ![p] = 0] /\\ cache' = {} /\\ UNCHANGED pc
            finish(p) == /\\ pc[p] = "run" /\\ pc' = [pc EXCEPT ![p] = "done"] /\\ UNCHANGED <<x, cache>>
            fill(p) == cache' = cache \\cup {p} /\\ UNCHANGED <<x, pc>>
            Step(p) == bump(p) \\/ reset(p) \\/ finish(p)
            Next == (\\E p \\in Procs : Step(p)) \\/ (\\E p \\in Procs : fill(p))
            Small == \\A p \\in Procs : x[p] <= 2
            NoDeadlock == (\\E p \\in Procs : pc[p] = "run") => ENABLED (\\E p \\in Procs : Step(p))
            ====
            """;

    @TempDir
    Path tmp;

    private Path specDir;

    private RefinementChecker.Options options(boolean fast) throws Exception {
        if (specDir == null) {
            specDir = Toy.specDir(tmp, "Counters", SPEC, "TypeOK Small NoDeadlock");
        }
        return RefinementChecker.Options.defaults().withSpecDir(specDir).withFastPath(fast);
    }

    /**
     * A log of steps "action p" from Init, each applied as the spec says, except "bump2 p",
     * logged as bump p but adding 2. {@code partial}: lines carry only the changed variables.
     */
    private Path log(String name, List<String> steps, boolean partial) throws Exception {
        int[] x = {0, 0};
        TreeSet<Integer> cache = new TreeSet<>();
        String[] pc = {"run", "run"};
        List<String> lines = new ArrayList<>();
        lines.add("{\"format\":\"mmucheck-trace\",\"version\":1,\"spec\":\"Counters\",\"constants\":{},\"mode\":\""
                + (partial ? "partial" : "full") + "\"}");
        lines.add(line(0, "Init", 0, state(x, cache, pc, true, true, true)));
        for (int i = 0; i < steps.size(); i++) {
            String[] w = steps.get(i).split(" ");
            int p = Integer.parseInt(w[1]);
            String action = w[0];
            boolean dx = false;
            boolean dc = false;
            boolean dp = false;
            switch (action) {
                case "bump" -> { x[p - 1]++; dx = true; }
                case "bump2" -> { x[p - 1] += 2; dx = true; action = "bump"; }
                case "reset" -> { x[p - 1] = 0; dx = true; dc = !cache.isEmpty(); cache.clear(); }
                case "finish" -> { pc[p - 1] = "done"; dp = true; }
                case "fill" -> { dc = cache.add(p); }
                default -> throw new IllegalArgumentException(action);
            }
            lines.add(line(i + 1, action, p, partial ? state(x, cache, pc, dx, dc, dp) : state(x, cache, pc, true, true, true)));
        }
        lines.add("{\"end\":\"completed\",\"steps\":" + steps.size() + "}");
        Path f = tmp.resolve(name);
        Files.write(f, lines, StandardCharsets.UTF_8);
        return f;
    }

    private static String line(int seq, String action, int p, String state) {
        String args = p == 0 ? "" : ",\"args\":{\"p\":" + p + "}";
        return "{\"seq\":" + seq + ",\"action\":\"" + action + "\"" + args + ",\"state\":{" + state + "}}";
    }

    private static String state(int[] x, TreeSet<Integer> cache, String[] pc, boolean dx, boolean dc, boolean dp) {
        List<String> parts = new ArrayList<>();
        if (dx) {
            parts.add("\"x\":[" + x[0] + "," + x[1] + "]");
        }
        if (dc) {
            parts.add("\"cache\":{\"#set\":" + cache + "}");
        }
        if (dp) {
            parts.add("\"pc\":[\"" + pc[0] + "\",\"" + pc[1] + "\"]");
        }
        return String.join(",", parts).replace(", ", ",");
    }

    /** Both processes count 0, 1, 2, 0 ... with cache fills in between, {@code rounds} times. */
    private static List<String> cycles(int rounds) {
        List<String> s = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            for (int p = 1; p <= 2; p++) {
                s.addAll(List.of("bump " + p, "fill " + p, "bump " + p, "reset " + p));
            }
        }
        return s;
    }

    private Verdict check(Path log, boolean fast) throws Exception {
        return RefinementChecker.checkFile(log, options(fast));
    }

    @Test
    void repeatedValuesRefineAndTheFastPathRecallsFacts() throws Exception {
        for (boolean partial : new boolean[] {false, true}) {
            Path log = log("ok" + partial + ".ndjson", cycles(6), partial);
            try (RefinementChecker c = new RefinementChecker(options(true))) {
                Verdict v = c.check(log);
                assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
                Map<String, Object> st = c.lastStats();
                assertTrue((Long) st.get("factsRecalled") > 50, st.toString());
                assertEquals(1L, st.get("fastDeclined"), "only the end line is decoded: " + st);
            }
            assertEquals(Verdict.Kind.REFINES, check(log, false).kind());
        }
    }

    @Test
    void aBumpByTwoAfterManyBumpsByOneDiverges() throws Exception {
        for (boolean partial : new boolean[] {false, true}) {
            List<String> steps = cycles(5);
            steps.add("bump2 1"); // 0 -> 2: x' = [x EXCEPT ![1] = 1] is false, on values seen before
            Path log = log("bump2" + partial + ".ndjson", steps, partial);
            for (boolean fast : new boolean[] {true, false}) {
                Verdict v = check(log, fast);
                assertEquals(Verdict.Kind.DIVERGES, v.kind(), v.message());
                assertEquals(steps.size(), v.seq(), "fast " + fast + ", partial " + partial);
                assertEquals(steps.size() + 2, v.line());
                assertEquals("bump", v.action());
                assertTrue(v.diagnosis().conjunct().startsWith("x' = [x EXCEPT"), v.diagnosis().toString());
            }
        }
    }

    @Test
    void aGuardFalseOnlyOnNewValuesIsCaught() throws Exception {
        for (boolean partial : new boolean[] {false, true}) {
            List<String> steps = cycles(5);
            steps.addAll(List.of("bump 1", "bump 1", "reset 1", "finish 1", "bump 1"));
            Path log = log("done" + partial + ".ndjson", steps, partial);
            for (boolean fast : new boolean[] {true, false}) {
                Verdict v = check(log, fast);
                assertEquals(Verdict.Kind.DIVERGES, v.kind(), v.message());
                assertEquals(steps.size(), v.seq(), "fast " + fast + ", partial " + partial);
                assertEquals("pc[p] = \"run\"", v.diagnosis().conjunct(), v.diagnosis().toString());
            }
        }
    }

    @Test
    void anInvariantFalseOnlyOnNewValuesIsCaught() throws Exception {
        for (boolean partial : new boolean[] {false, true}) {
            List<String> steps = cycles(5);
            steps.addAll(List.of("bump 2", "bump 2", "bump 2")); // x[2] = 3: a legal step, Small is false
            Path log = log("small" + partial + ".ndjson", steps, partial);
            for (boolean fast : new boolean[] {true, false}) {
                Verdict v = check(log, fast);
                assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
                assertEquals("Small", v.invariant());
                assertEquals(steps.size(), v.seq(), "fast " + fast + ", partial " + partial);
            }
        }
    }

    @Test
    void enabledIsShownFromThePendingStateThenRecalled() throws Exception {
        // fill 1 is not a step of any process, so NoDeadlock of the state before it waits;
        // reset 1 then settles it: reset assigns cache' = {} without reading cache, so the
        // same step taken from the earlier state is a step too ("shown"), and the second time
        // those values come round the fact is recalled.
        Path log = log("shown.ndjson", List.of("bump 1", "bump 1", "fill 1", "reset 1", "bump 1", "bump 1",
                "fill 1", "reset 1"), false);
        try (RefinementChecker c = new RefinementChecker(options(true))) {
            Verdict v = c.check(log);
            assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
            Map<String, Object> st = c.lastStats();
            assertEquals(1L, st.get("enabledShown"), st.toString());
            assertEquals(1L, st.get("enabledRecalled"), st.toString());
            assertEquals(0L, st.get("enabledAfterward"), st.toString());
        }
    }
}
