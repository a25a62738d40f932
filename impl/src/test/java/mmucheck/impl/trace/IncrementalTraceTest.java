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
 * The trace writer (its own renderer for the state, the state assembled as a raw value, in
 * partial mode the changed variables found by comparing bytes) writes the same bytes as
 * Jackson's generator rendering every variable after every step (ReferenceTraceWriter, the
 * writer before it was incremental): both are fed every step of one run, full and partial,
 * over many seeded runs of every scenario.
 */
class IncrementalTraceTest {
    private static final List<String> VARIANTS = List.of(
            "cpu_flush=nested", "cpu_flush=gather,secondary=range_end", "secondary=after_unlock",
            "secondary=v4_15,shadow=start_only", "cpu_flush=always,secondary=none");

    private static String[] both(Scenario sc, String variant, long seed, String strategy, boolean partial,
                                 AgentThreads threads) {
        return both(sc, variant, Bugs.NONE, seed, strategy, partial, threads, new long[1]);
    }

    /**
     * One run written by both writers at once; returns {writer, reference}, and adds to
     * skipped[0] how many variable renderings the writer saved (version unmoved).
     */
    private static String[] both(Scenario sc, String variant, Bugs bugs, long seed, String strategy, boolean partial,
                                 AgentThreads threads, long[] skipped) {
        Mm mm = new Mm(sc, Variant.parse(variant).variant(), bugs);
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
        skipped[0] += w.skipped;
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

    /**
     * The writer skips rendering a variable whose version (SpecMapping.version) has not moved:
     * the logs are still those of rendering every variable after every step, on the bench's
     * mixed workload under every variant, with every seeded bug, both strategies, full and
     * partial, and on S1's stale read. A write path
     * that forgot to bump a version would show here as a difference, provided some step takes
     * it: the test also checks that every variable with a version changed in some step.
     */
    @Test
    void skippingUnmovedVersionsWritesTheSameBytes() throws Exception {
        List<String> variants = new java.util.ArrayList<>();
        for (String cf : Variant.CPU_FLUSH)
            for (String sec : Variant.SECONDARY)
                for (String sh : Variant.SHADOW) variants.add("cpu_flush=" + cf + ",secondary=" + sec + ",shadow=" + sh);
        List<Bugs> bugs = new java.util.ArrayList<>();
        bugs.add(Bugs.NONE);
        for (mmucheck.impl.mm.Bug b : mmucheck.impl.mm.Bug.values()) bugs.add(Bugs.of(b));
        long[] skipped = new long[1];
        java.util.Set<String> changed = new java.util.TreeSet<>();
        int runs = 0;
        try (AgentThreads threads = new AgentThreads()) {
            for (long seed = 0; seed < 600; seed++) {
                String v = variants.get((int) (seed % variants.size()));
                Bugs b = bugs.get((int) ((seed / 3) % bugs.size()));
                String strategy = seed % 4 < 2 ? "random" : "pct";
                boolean partial = seed % 2 == 1;
                String[] out = both(Scenarios.mixedPick(seed), v, b, seed, strategy, partial, threads, skipped);
                assertEquals(out[1], out[0], "mixed seed " + seed + " " + v + " " + b + " " + strategy
                        + (partial ? " partial" : " full"));
                if (partial) changedVariables(out[1], changed);
                runs++;
            }
            for (boolean partial : List.of(false, true)) {
                String[] out = both(Scenarios.byName("S1").orElseThrow(), "cpu_flush=gather", Bugs.NONE,
                        108, "random", partial, threads, skipped); // S1RegressionTest.STALE_SEED
                assertEquals(out[1], out[0], "S1 gather, the stale seed" + (partial ? " partial" : " full"));
                if (partial) changedVariables(out[1], changed);
            }
        }
        assertTrue(skipped[0] > runs * 10L, "renderings skipped: " + skipped[0] + " over " + runs + " runs");
        Mm mm = new Mm(Scenarios.mixedPick(0), Variant.parse(VARIANTS.get(0)).variant(), Bugs.NONE);
        SpecMapping m = new SpecMapping(mm);
        for (int i = 0; i < SpecMapping.VARIABLES.size(); i++) {
            if (m.version(i) >= 0) assertTrue(changed.contains(SpecMapping.VARIABLES.get(i)),
                    SpecMapping.VARIABLES.get(i) + " never changed: its version is untested; changed: " + changed);
        }
    }

    /** Adds the variables a partial log's step lines carry (the ones each step changed). */
    private static void changedVariables(String log, java.util.Set<String> into) throws Exception {
        com.fasterxml.jackson.databind.ObjectMapper om = new com.fasterxml.jackson.databind.ObjectMapper();
        for (String line : log.split("\n")) {
            com.fasterxml.jackson.databind.JsonNode n = om.readTree(line);
            if (n.has("agent") && n.has("state")) n.get("state").fieldNames().forEachRemaining(into::add);
        }
    }

    /** Writes one value with every kind of token the generator interface has for the mapping. */
    private static void tokens(com.fasterxml.jackson.core.JsonGenerator g, long last) throws java.io.IOException {
        g.writeStartObject();
        g.writeFieldName(new com.fasterxml.jackson.core.io.SerializedString("a\"b"));
        g.writeStartArray();
        for (long v : new long[] {Long.MAX_VALUE, Long.MIN_VALUE, -1, 0, 9, 10, 1L << 60, last}) g.writeNumber(v);
        for (int v : new int[] {Integer.MAX_VALUE, Integer.MIN_VALUE, -7, 0, 5, 12345}) g.writeNumber(v);
        g.writeNumber((short) -3);
        g.writeString("x\u00e9\n\"\\");
        g.writeString(new SpecMapping.Name("pc\ta"));
        g.writeString(new com.fasterxml.jackson.core.io.SerializedString("s\u20ac"));
        g.writeNull();
        g.writeBoolean(false);
        g.writeBoolean(true);
        g.writeStartArray();
        g.writeEndArray();
        g.writeStartObject();
        g.writeEndObject();
        g.writeStartArray();
        g.writeStartObject();
        g.writeFieldName(new SpecMapping.Name("k"));
        g.writeStartObject();
        g.writeFieldName("plain \u00fc");
        g.writeNumber(1);
        g.writeFieldName(SpecMapping.name(0));
        g.writeStartArray();
        g.writeEndArray();
        g.writeEndObject();
        g.writeEndObject();
        g.writeEndArray();
        g.writeEndArray();
        g.writeFieldName(new SpecMapping.Name("e"));
        g.writeStartObject();
        g.writeEndObject();
        g.writeEndObject();
    }

    @Test
    void rendererWritesWhatJacksonWrites() throws Exception {
        com.fasterxml.jackson.core.JsonFactory f = new com.fasterxml.jackson.core.JsonFactoryBuilder().rootValueSeparator((String) null).build();
        StateRenderer r = new StateRenderer();
        r.buf = new byte[4]; // grows
        for (long last : new long[] {7, 0, -12}) {
            java.io.ByteArrayOutputStream direct = new java.io.ByteArrayOutputStream();
            try (com.fasterxml.jackson.core.JsonGenerator d = f.createGenerator(direct, com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
                tokens(d, last);
                tokens(d, last + 1); // a second root value, as the next variable
            }
            r.reset();
            for (long l : new long[] {last, last + 1}) {
                r.beginValue();
                tokens(r, l);
                assertTrue(r.valueComplete());
            }
            assertEquals(direct.toString(StandardCharsets.UTF_8),
                    new String(r.buf, 0, r.position(), StandardCharsets.UTF_8));
        }
        r.beginValue();
        r.writeStartArray();
        assertFalse(r.valueComplete(), "an open array");
        r.writeEndArray();
        assertTrue(r.valueComplete());
        r.beginValue();
        r.writeStartObject();
        r.writeFieldName("a");
        r.writeEndObject();
        r.beginValue();
        r.writeStartObject();
        r.writeFieldName("a");
        assertFalse(r.valueComplete(), "a name without its value");
        assertThrows(UnsupportedOperationException.class, () -> r.writeNumber(1.5));
    }

    @Test
    void nameIsWhatJacksonQuotes() {
        for (String s : List.of("pte", "#set", "a\"b\\", "\u00e9\u20ac", "tab\t")) {
            SpecMapping.Name n = new SpecMapping.Name(s);
            String q = new String(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance().quoteAsUTF8(s), StandardCharsets.UTF_8);
            assertEquals("\"" + q + "\"", new String(n.quotedBytes(), StandardCharsets.UTF_8));
            assertEquals("\"" + q + "\":", new String(n.fieldBytes(), StandardCharsets.UTF_8));
        }
    }
}
