package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import mmucheck.impl.mm.SpecMapping;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A self-check, not the refinement checker: TLC replays a log against spec/tla, each step
 * as the named action with its logged arguments and the logged state after it. The trace is
 * accepted iff TLC reaches its last state (the invariant "not at the end" is then violated).
 */
class SpecAcceptsLogsTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({
        "S1, cpu_flush=gather, 108, random",
        "S6, secondary=range_end, 2, pct",
        "kvm-zap, shadow=start_only, 1, pct",
        "tiny-madv-free, cpu_flush=nested, 3, random",
        "madv-free-race, cpu_flush=gather, 5, pct",
        "tiny-mprotect, secondary=none, 7, random",
        "mixed, cpu_flush=nested, 11, random",
        "mixed, secondary=range_end, 12, pct",
    })
    void tlcAcceptsEveryStep(String scenario, String variant, long seed, String strategy) throws Exception {
        Scenario sc = scenario.equals(Scenarios.MIXED) ? Scenarios.mixedPick(seed) : Logs.scenario(scenario);
        Logs l = Logs.run(Simulation.Config.of(sc, Logs.variant(variant), seed, 300)
                .withStrategy(strategy), null);
        String out = tlc(l);
        assertTrue(out.contains("Invariant NotDone is violated"),
                scenario + " " + variant + " seed " + seed + ": TLC did not accept the whole log:\n"
                        + out.substring(Math.max(0, out.length() - 3000)));
    }

    /** The check is not vacuous: a log whose fifth step claims a store that did not happen is refused. */
    @org.junit.jupiter.api.Test
    void tlcRefusesATamperedLog() throws Exception {
        Logs l = Logs.run(Simulation.Config.of(Logs.scenario("S1"), Logs.variant("cpu_flush=nested"), 1, 300), null);
        ((com.fasterxml.jackson.databind.node.ObjectNode) l.steps().get(4).get("state")).put("clock", 7);
        String out = tlc(l);
        assertTrue(!out.contains("Invariant NotDone is violated") && out.contains("/\\ i = 5"), out);
    }

    private String tlc(Logs l) throws Exception {
        String jar = System.getProperty("mmucheck.tlc.jar");
        assumeTrue(jar != null && Files.exists(Path.of(jar)), "TLC's jar (mmucheck.tlc.jar) is not there");
        Path specDir = Path.of(System.getProperty("mmucheck.root", ".."), "spec", "tla");
        try (Stream<Path> s = Files.list(specDir)) {
            for (Path p : (Iterable<Path>) s::iterator) Files.copy(p, dir.resolve(p.getFileName()));
        }
        Files.writeString(dir.resolve("TraceCheck.tla"), module(l));
        StringBuilder cfg = new StringBuilder("INIT TInit\nNEXT TNext\nINVARIANT NotDone\nCONSTANTS\n");
        for (Iterator<Map.Entry<String, JsonNode>> it = l.lines().get(0).get("constants").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            cfg.append("  ").append(e.getKey()).append(" = ").append(tla(e.getValue())).append("\n");
        }
        if (!l.lines().get(0).get("constants").has("MixedLength")) {
            cfg.append("  MixedLength = 2\n"); // the default refine's SpecSource.withDefaults applies too
        }
        Files.writeString(dir.resolve("TraceCheck.cfg"), cfg);
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-metadir", dir.resolve("states").toString(),
                "-config", "TraceCheck.cfg", "TraceCheck.tla")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return out;
    }

    /** TraceCheck: Tr is the log's states; step i must be the logged action with the logged arguments. */
    private static String module(Logs l) {
        List<String> vars = SpecMapping.VARIABLES;
        StringBuilder b = new StringBuilder("---- MODULE TraceCheck ----\nEXTENDS MMU\nVARIABLE i\nTr == <<\n");
        List<JsonNode> states = new ArrayList<>();
        states.add(l.lines().get(1).get("state"));
        for (JsonNode s : l.steps()) states.add(s.get("state"));
        for (int k = 0; k < states.size(); k++) {
            b.append(k == 0 ? "  [" : " ,[");
            for (int j = 0; j < vars.size(); j++) {
                b.append(j == 0 ? "" : ", ").append(vars.get(j)).append(" |-> ").append(tla(states.get(k).get(vars.get(j))));
            }
            b.append("]\n");
        }
        b.append(">>\nStep ==\n");
        int n = 1;
        for (JsonNode s : l.steps()) {
            List<String> args = new ArrayList<>();
            s.get("args").elements().forEachRemaining(a -> args.add(tla(a)));
            b.append("  \\/ (i = ").append(n++).append(" /\\ ").append(s.get("action").asText())
                    .append("(").append(String.join(", ", args)).append("))\n");
        }
        if (l.steps().isEmpty()) b.append("  FALSE\n");
        b.append("TInit == i = 1 /\\ Init");
        for (String v : vars) b.append(" /\\ ").append(v).append(" = Tr[1].").append(v);
        b.append("\nTNext == i < Len(Tr) /\\ i' = i + 1 /\\ Step");
        for (String v : vars) b.append(" /\\ ").append(v).append("' = Tr[i + 1].").append(v);
        b.append("\nNotDone == i < Len(Tr)\n====\n");
        return b.toString();
    }

    /** The log's JSON value (trace-format.md) as a TLA+ expression. */
    private static String tla(JsonNode v) {
        if (v.isBoolean()) return v.booleanValue() ? "TRUE" : "FALSE";
        if (v.isIntegralNumber()) return v.asText();
        if (v.isTextual()) return "\"" + v.asText() + "\"";
        List<String> parts = new ArrayList<>();
        if (v.isArray()) {
            v.elements().forEachRemaining(x -> parts.add(tla(x)));
            return "<<" + String.join(", ", parts) + ">>";
        }
        if (v.has("#set")) {
            v.get("#set").elements().forEachRemaining(x -> parts.add(tla(x)));
            return "{" + String.join(", ", parts) + "}";
        }
        if (v.isEmpty()) return "<<>>"; // the function with an empty domain
        v.fields().forEachRemaining(e -> parts.add(e.getKey() + " |-> " + tla(e.getValue())));
        return "[" + String.join(", ", parts) + "]";
    }
}
