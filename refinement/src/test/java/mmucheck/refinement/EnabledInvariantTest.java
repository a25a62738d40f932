package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An invariant {@code P => ENABLED B} (the MMU spec's NoDeadlock) is settled by the step after
 * the state when that step is one of B's (no ENABLED search), else evaluated then; a violation
 * is reported on the line of the state, whichever path checks it. The spec: two processes
 * take two locks in opposite orders (the textbook deadlock), and a clock that always ticks,
 * which is not a step of B and so witnesses nothing.
 */
class EnabledInvariantTest {
    private static final String SPEC = """
            ---- MODULE Locks ----
            EXTENDS Naturals
            VARIABLES owner, pc, tick
            Procs == {1, 2}
            First(p) == IF p = 1 THEN 1 ELSE 2
            Second(p) == IF p = 1 THEN 2 ELSE 1
            TypeOK == /\\ owner \\in [{1, 2} -> {0, 1, 2}]
                      /\\ pc \\in [Procs -> {"a", "b", "cs", "done"}]
                      /\\ tick \\in 0..2
            Init == owner = <<0, 0>> /\\ pc = <<"a", "a">> /\\ tick = 0
            acquire_first(p) == /\\ pc[p] = "a" /\\ owner[First(p)] = 0
                                /\\ owner' = [owner EXCEPT ![First(p)] = p]
                                /\\ pc' = [pc EXCEPT ![p] = "b"] /\\ UNCHANGED tick
            acquire_second(p) == /\\ pc[p] = "b" /\\ owner[Second(p)] = 0
                                 /\\ owner' = [owner EXCEPT ![Second(p)] = p]
                                 /\\ pc' = [pc EXCEPT ![p] = "cs"] /\\ UNCHANGED tick
            release(p) == /\\ pc[p] = "cs"
                          /\\ owner' = [l \\in {1, 2} |-> IF owner[l] = p THEN 0 ELSE owner[l]]
                          /\\ pc' = [pc EXCEPT ![p] = "done"] /\\ tick' = tick
            Step(p) == acquire_first(p) \\/ acquire_second(p) \\/ release(p)
            clock_tick == tick' = (tick + 1) % 3 /\\ UNCHANGED <<owner, pc>>
            AllDone == \\A p \\in Procs : pc[p] = "done"
            Next == (\\E p \\in Procs : Step(p)) \\/ clock_tick
            NoDeadlock == ~AllDone => ENABLED (\\E p \\in Procs : Step(p))
            ====
            """;

    @TempDir
    Path tmp;

    private Path spec() throws Exception {
        return Toy.specDir(tmp, "Locks", SPEC, "TypeOK NoDeadlock");
    }

    private RefinementChecker.Options options(boolean fast) throws Exception {
        return RefinementChecker.Options.defaults().withSpecDir(spec()).withFastPath(fast);
    }

    /** A log of steps "action p" or "clock_tick" from Init; {@code end}: write the end line. */
    private Path log(String name, List<String> steps, boolean end) throws Exception {
        int[] owner = {0, 0};
        String[] pc = {"a", "a"};
        int tick = 0;
        List<String> lines = new ArrayList<>();
        lines.add("{\"format\":\"mmucheck-trace\",\"version\":1,\"spec\":\"Locks\",\"constants\":{},\"mode\":\"full\"}");
        lines.add(line(0, "Init", "", owner, pc, tick));
        for (int i = 0; i < steps.size(); i++) {
            String[] w = steps.get(i).split(" ");
            String args = "";
            if (w[0].equals("clock_tick")) {
                tick = (tick + 1) % 3;
            } else {
                int p = Integer.parseInt(w[1]);
                args = ",\"args\":{\"p\":" + p + "}";
                switch (w[0]) {
                    case "acquire_first" -> {
                        owner[p == 1 ? 0 : 1] = p;
                        pc[p - 1] = "b";
                    }
                    case "acquire_second" -> {
                        owner[p == 1 ? 1 : 0] = p;
                        pc[p - 1] = "cs";
                    }
                    default -> {
                        for (int l = 0; l < 2; l++) {
                            owner[l] = owner[l] == p ? 0 : owner[l];
                        }
                        pc[p - 1] = "done";
                    }
                }
            }
            lines.add(line(i + 1, w[0], args, owner, pc, tick));
        }
        if (end) {
            lines.add("{\"end\":\"completed\",\"steps\":" + steps.size() + "}");
        }
        Path p = tmp.resolve(name);
        Files.write(p, lines, StandardCharsets.UTF_8);
        return p;
    }

    private static String line(int seq, String action, String args, int[] owner, String[] pc, int tick) {
        return "{\"seq\":" + seq + ",\"action\":\"" + action + "\"" + args + ",\"state\":{\"owner\":[" + owner[0]
                + "," + owner[1] + "],\"pc\":[\"" + pc[0] + "\",\"" + pc[1] + "\"],\"tick\":" + tick + "}}";
    }

    private static final List<String> DEADLOCK = List.of("acquire_first 1", "clock_tick", "acquire_first 2");

    @Test
    void aDeadlockFollowedByClockTicksIsReportedOnTheLineOfTheDeadlockedState() throws Exception {
        List<String> steps = new ArrayList<>(DEADLOCK);
        steps.addAll(List.of("clock_tick", "clock_tick"));
        Path log = log("ticks.ndjson", steps, true);
        for (boolean fast : new boolean[] {true, false}) {
            Verdict v = RefinementChecker.checkFile(log, options(fast));
            assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
            assertEquals("NoDeadlock", v.invariant());
            assertEquals(3L, v.seq(), "fast path " + fast);
            assertEquals(5, v.line(), "seq 3 is on line 5");
            assertEquals("acquire_first", v.action());
            assertEquals(Map.of("p", 2L), Map.copyOf(v.args()));
        }
    }

    @Test
    void moreTicksThanTheWindowGetTheDeadlockEvaluatedAndReportedOnItsLine() throws Exception {
        List<String> steps = new ArrayList<>(DEADLOCK);
        for (int i = 0; i < 12; i++) {
            steps.add("clock_tick");
        }
        deadlockOnLine5(log("many.ndjson", steps, true));
    }

    @Test
    void aDeadlockInTheLastStateIsFoundAtTheEndLine() throws Exception {
        deadlockOnLine5(log("last.ndjson", DEADLOCK, true));
    }

    /** Both paths: NoDeadlock violated by the state of seq 3 (line 5). */
    private void deadlockOnLine5(Path log) throws Exception {
        for (boolean fast : new boolean[] {true, false}) {
            Verdict v = RefinementChecker.checkFile(log, options(fast));
            assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
            assertEquals("NoDeadlock", v.invariant());
            assertEquals(5, v.line(), "fast path " + fast);
            assertEquals(3L, v.seq());
        }
    }

    @Test
    void stepsOfTheEnabledActionWitnessItAndClockTicksDoNot() throws Exception {
        Path log = log("ok.ndjson", List.of("acquire_first 1", "clock_tick", "acquire_second 1", "release 1",
                "clock_tick", "acquire_first 2", "acquire_second 2", "clock_tick", "release 2", "clock_tick"), true);
        try (RefinementChecker c = new RefinementChecker(options(true))) {
            Verdict v = c.check(log);
            assertEquals(Verdict.Kind.REFINES, v.kind(), v.message());
            Map<String, Object> st = c.lastStats();
            // Every state changes a variable NoDeadlock reads (tick too, through UNCHANGED tick),
            // so every state's NoDeadlock waits for a step of a process. Such a step witnesses
            // the state before it (seq 2, 3, 5, 6, 8), and the state before a tick too when the
            // process could already take it there (seq 1, 4, 7): acquire_* keep tick UNCHANGED
            // and read it nowhere else, so the tick cannot matter (seq 1, 4); release reads
            // tick' = tick, so TLC's ENABLED of that one step decides (seq 7). Nothing follows
            // seq 9 and 10 but a tick and the end: evaluated.
            assertEquals(5L, st.get("enabledWitnessed"), st.toString());
            assertEquals(2L, st.get("enabledKept"), st.toString());
            assertEquals(1L, st.get("enabledAfterward"), st.toString());
            assertEquals(2L, st.get("enabledEvaluated"), st.toString());
        }
        assertEquals(Verdict.Kind.REFINES, RefinementChecker.checkFile(log, options(false)).kind());
    }

    @Test
    void aLogCutAfterAnUnsettledStateLeavesNothingForTheNextLogToTrust() throws Exception {
        try (RefinementChecker c = new RefinementChecker(options(true))) {
            Verdict cut = c.check(log("cut.ndjson", DEADLOCK, false));
            assertEquals(Verdict.Kind.BAD_INPUT, cut.kind());
            assertTrue(cut.message().contains("truncated"), cut.message());
            // The same deadlocked state again, now followed by a tick: it must still be evaluated.
            List<String> steps = new ArrayList<>(DEADLOCK);
            steps.add("clock_tick");
            Verdict v = c.check(log("again.ndjson", steps, true));
            assertEquals(Verdict.Kind.VIOLATES, v.kind(), v.message());
            assertEquals("NoDeadlock", v.invariant());
            assertEquals(3L, v.seq());
        }
    }
}
