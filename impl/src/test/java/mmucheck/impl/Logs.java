package mmucheck.impl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.Strategy;

/** Runs a scenario in a test and reads its log back. */
record Logs(Simulation.Result result, String text, List<JsonNode> lines) {
    private static final ObjectMapper M = new ObjectMapper();

    static Scenario scenario(String name) { return Scenarios.byName(name).orElseThrow(); }

    static Variant variant(String kv) { return Variant.parse(kv).variant(); }

    static Logs run(String scenario, String variant, Strategy s) {
        return run(Simulation.Config.of(scenario(scenario), variant(variant), 0, 500), s);
    }

    static Logs run(Simulation.Config c, Strategy s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Simulation.Result r = s == null ? Simulation.run(c, out) : Simulation.run(c, s, out);
        String text = out.toString(StandardCharsets.UTF_8);
        List<JsonNode> lines = new ArrayList<>();
        try {
            for (String l : text.split("\n")) lines.add(M.readTree(l));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Logs(r, text, lines);
    }

    /** The transition lines. */
    List<JsonNode> steps() { return lines.subList(2, lines.size() - 1); }

    /** "agent action" per transition, space-separated. */
    String actions() {
        return steps().stream().map(n -> n.get("agent").asText() + " " + n.get("action").asText())
                .collect(Collectors.joining("\n"));
    }

    /** The state after the last step (full mode). */
    JsonNode last() { return steps().get(steps().size() - 1).get("state"); }

    JsonNode end() { return lines.get(lines.size() - 1); }
}
