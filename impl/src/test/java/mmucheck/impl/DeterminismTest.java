package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.sched.Choices;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** One seed, one log, byte for byte; a recorded choice stream replays it; a bad one diverges loudly. */
class DeterminismTest {
    private static Simulation.Config cfg(String sc, String variant, long seed) {
        return Simulation.Config.of(Logs.scenario(sc), Logs.variant(variant), seed, 400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"S1", "S6", "andrea-migration", "andrea-swap", "andrea-ksm", "kvm-zap", "big"})
    void sameSeedSameBytes(String sc) {
        for (String strategy : List.of("random", "pct")) {
            for (boolean partial : List.of(false, true)) {
                Simulation.Config c = cfg(sc, "cpu_flush=gather,secondary=range_end", 17).withStrategy(strategy).withPartial(partial);
                String a = Logs.run(c, null).text();
                String b = Logs.run(c, null).text();
                assertEquals(a, b, sc + " " + strategy + " partial=" + partial);
            }
        }
    }

    @Test
    void differentSeedsDifferentInterleavings() {
        List<String> logs = new ArrayList<>();
        for (long seed = 0; seed < 5; seed++) logs.add(Logs.run(cfg("S6", "secondary=under_ptl", seed), null).actions());
        assertNotEquals(1, logs.stream().distinct().count());
    }

    @ParameterizedTest
    @ValueSource(strings = {"random", "pct"})
    void replayReproducesTheLog(String strategy) {
        for (String sc : Scenarios.specNames()) {
            Simulation.Config c = cfg(sc, "cpu_flush=nested", 5).withStrategy(strategy);
            Logs first = Logs.run(c, null);
            Logs again = Logs.run(c.withReplay(first.result().choices()), null);
            assertEquals(first.text().replace("\"strategy\":\"" + strategy + "\"", "\"strategy\":\"replay\""),
                    again.text(), sc);
            assertEquals(first.result().choicesText(), again.result().choicesText());
        }
    }

    @Test
    void aDivergingReplayFailsNamingTheStep() {
        Simulation.Config c = cfg("S1", "cpu_flush=nested", 3);
        List<Choices.Choice> rec = new ArrayList<>(Logs.run(c, null).result().choices());
        Choices.Choice third = rec.get(2);
        // claim a different agent was picked at the third choice
        String other = third.label().equals("cpu0") ? "cpu1" : "cpu0";
        rec.set(2, new Choices.Choice(third.step(), third.n(), third.k(), other));
        Simulation.Result r = Logs.run(c.withReplay(rec), null).result();
        assertTrue(r.diverged());
        assertTrue(r.reason().startsWith("replay diverged at step " + third.step() + ":"), r.reason());
        assertEquals("aborted", r.end());
        // a replay of another scenario's stream diverges too
        Simulation.Result r2 = Logs.run(cfg("S6", "cpu_flush=nested", 3).withReplay(rec), null).result();
        assertTrue(r2.diverged(), r2.reason());
    }

    @Test
    void choiceStreamTextRoundTrips() {
        Simulation.Result r = Logs.run(cfg("big", "cpu_flush=nested", 9), null).result();
        String[] err = new String[1];
        List<Choices.Choice> back = Choices.parse(List.of(r.choicesText().split("\n")), err);
        assertEquals(r.choices(), back);
        assertEquals(null, Choices.parse(List.of("mmucheck-choices 1", "1 2 x cpu0"), err));
        assertEquals("line 2: want 'STEP N K LABEL', got '1 2 x cpu0'", err[0]);
    }
}
