package mmucheck.impl.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.mm.Machine;
import mmucheck.impl.mm.Mm;
import mmucheck.impl.mm.SpecMapping;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.impl.sched.Choices;
import mmucheck.impl.sched.Scheduler;
import mmucheck.impl.sched.Strategy;
import org.junit.jupiter.api.Test;

/**
 * The incremental trace writer writes the same bytes as rendering every variable after every
 * step (ReferenceTraceWriter, the writer before it was incremental): both are fed every step
 * of one run, full and partial, over many seeded runs of every scenario.
 */
class IncrementalTraceTest {
    private static final List<String> VARIANTS = List.of(
            "cpu_flush=nested", "cpu_flush=gather,secondary=range_end", "secondary=after_unlock",
            "secondary=v4_15,shadow=start_only", "cpu_flush=always,secondary=none");

    /** One run written by both writers at once; returns {incremental, reference}. */
    private static String[] both(Scenario sc, String variant, long seed, String strategy, boolean partial,
                                 AgentThreads threads) {
        Mm mm = new Mm(sc, Variant.parse(variant).variant(), Bugs.NONE);
        Machine machine = new Machine(mm);
        ByteArrayOutputStream a = new ByteArrayOutputStream(), b = new ByteArrayOutputStream();
        TraceWriter w = new TraceWriter(a, new SpecMapping(mm), partial);
        ReferenceTraceWriter r = new ReferenceTraceWriter(b, new SpecMapping(mm), partial);
        int nagents = sc.agents().size() + 1;
        Strategy st = strategy.equals("pct") ? Strategy.pct(seed, 3, 200, nagents) : Strategy.random(seed);
        Scheduler s = new Scheduler(st, Choices.recording(), (seq, step) -> {
            w.step(seq, step);
            r.step(seq, step);
        }, 400);
        machine.register(s);
        Map<String, String> k = new LinkedHashMap<>();
        k.put("Scenario", sc.name());
        k.putAll(mm.variant().constants());
        w.header(k, seed, strategy);
        r.header(k, seed, strategy);
        w.init();
        r.init();
        Scheduler.End e = s.run(threads);
        w.end("completed", e.steps(), mm.observed(), e.reason());
        r.end("completed", e.steps(), mm.observed(), e.reason());
        w.close();
        r.close();
        return new String[] {a.toString(StandardCharsets.UTF_8), b.toString(StandardCharsets.UTF_8)};
    }

    @Test
    void sameBytesAsRenderingEveryVariableEveryStep() {
        int runs = 0;
        long lines = 0;
        try (AgentThreads threads = new AgentThreads()) {
            for (String name : Scenarios.specNames()) {
                Scenario sc = Scenarios.byName(name).orElseThrow();
                for (int v = 0; v < VARIANTS.size(); v++) {
                    for (long seed = 0; seed < 3; seed++) {
                        for (String strategy : List.of("random", "pct")) {
                            for (boolean partial : List.of(false, true)) {
                                String[] out = both(sc, VARIANTS.get(v), seed * 7 + v, strategy, partial, threads);
                                assertEquals(out[1], out[0], name + " " + VARIANTS.get(v) + " seed " + (seed * 7 + v)
                                        + " " + strategy + (partial ? " partial" : " full"));
                                runs++;
                                lines += out[0].chars().filter(c -> c == '\n').count();
                            }
                        }
                    }
                }
            }
            // the bench's workload too
            for (long seed = 0; seed < 100; seed++) {
                String[] out = both(Scenarios.mixedPick(seed), VARIANTS.get((int) (seed % VARIANTS.size())), seed,
                        "random", seed % 2 == 0, threads);
                assertEquals(out[1], out[0], "mixed seed " + seed);
            }
        }
        assertTrue(runs >= 16 * 5 * 3 * 4 && lines > runs * 10L, runs + " runs, " + lines + " lines");
    }

    @Test
    void probeSeesEveryChangeAndOnlyChanges() throws Exception {
        ValueProbe p = new ValueProbe();
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        p.writeNumber(1);
        p.writeEndObject();
        assertTrue(p.end(), "the first recording always differs");
        // the same value, an int written as a long: Jackson renders both as 1
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        p.writeNumber(1L);
        p.writeEndObject();
        assertFalse(p.end());
        // a string "1" is not the number 1
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        p.writeString("1");
        p.writeEndObject();
        assertTrue(p.end());
        // a prefix of the last recording differs
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        assertTrue(p.end());
        // and an extension of it
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        p.writeString("1");
        p.writeEndObject();
        assertTrue(p.end());
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a");
        p.writeString(new String(new char[] {'1'})); // equal content, another object
        p.writeEndObject();
        assertFalse(p.end());
        // longer than its initial buffer
        for (int round = 0; round < 2; round++) {
            p.begin();
            p.writeStartArray();
            for (int i = 0; i < 500; i++) p.writeBoolean(i % 3 == 0);
            p.writeEndArray();
            assertEquals(round == 0, p.end());
        }
        assertThrows(UnsupportedOperationException.class, () -> p.writeNumber(1.5));
    }

    @Test
    void replayWritesWhatTheMappingWrote() throws Exception {
        com.fasterxml.jackson.core.JsonFactory f = new com.fasterxml.jackson.core.JsonFactory();
        ValueProbe p = new ValueProbe();
        java.io.StringWriter direct = new java.io.StringWriter(), replayed = new java.io.StringWriter();
        for (int round = 0; round < 2; round++) {
            com.fasterxml.jackson.core.JsonGenerator d = f.createGenerator(direct);
            p.begin();
            for (com.fasterxml.jackson.core.JsonGenerator g : List.of(d, (com.fasterxml.jackson.core.JsonGenerator) p)) {
                g.writeStartObject();
                g.writeFieldName(new com.fasterxml.jackson.core.io.SerializedString("a\"b"));
                g.writeStartArray();
                // numbers too wide for a packed slot, and negative ones
                for (long v : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1L << 60, 7}) g.writeNumber(v);
                g.writeString("x\u00e9");
                g.writeNull();
                g.writeBoolean(false);
                g.writeEndArray();
                g.writeEndObject();
            }
            assertEquals(round == 0, p.end());
            d.close();
            com.fasterxml.jackson.core.JsonGenerator r = f.createGenerator(replayed);
            p.replay(r);
            r.close();
            assertEquals(direct.toString(), replayed.toString());
            direct.getBuffer().setLength(0);
            replayed.getBuffer().setLength(0);
        }
        p.begin();
        p.writeStartObject();
        p.writeFieldName("a\"b");
        p.writeStartArray();
        for (long v : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 1L << 60, 0}) p.writeNumber(v);
        p.writeString("x\u00e9");
        p.writeNull();
        p.writeBoolean(false);
        p.writeEndArray();
        p.writeEndObject();
        assertTrue(p.end(), "the last number was 7, now 0");
    }
}
