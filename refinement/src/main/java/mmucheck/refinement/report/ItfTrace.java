package mmucheck.refinement.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.Itf;
import mmucheck.spec.value.TlaParseException;
import mmucheck.spec.value.TlaValue;

/**
 * Any trace as ITF JSON (Apalache's trace format):
 * {@code {"vars":[...],"states":[{"#meta":{"index":i,"action":"..."}, var: value, ...}]}}, values
 * encoded as docs/trace-format.md says. {@code #meta} also carries {@code agent} and {@code args}
 * when known; a lasso's return point is ITF's top-level {@code loop}.
 */
public final class ItfTrace {
    private static final ObjectMapper M = new ObjectMapper();

    private ItfTrace() {}

    public static ObjectNode write(Trace t) {
        return write(t, null);
    }

    /** @param description what the trace shows (e.g. the violated property), kept in {@code #meta} */
    public static ObjectNode write(Trace t, String description) {
        ObjectNode root = M.createObjectNode();
        ObjectNode meta = root.putObject("#meta");
        meta.put("format", "ITF");
        meta.put("source", "mmucheck");
        if (description != null) {
            meta.put("description", description);
        }
        if (t.stutters()) {
            meta.put("stutters", true);
        }
        ArrayNode vars = root.putArray("vars");
        t.vars().forEach(vars::add);
        ArrayNode states = root.putArray("states");
        for (int i = 0; i < t.steps().size(); i++) {
            Step s = t.steps().get(i);
            ObjectNode st = states.addObject();
            ObjectNode m = st.putObject("#meta");
            m.put("index", i);
            m.put("action", s.action());
            if (s.agent() != null) {
                m.put("agent", s.agent());
            }
            if (!s.args().isEmpty()) {
                ObjectNode args = m.putObject("args");
                s.args().forEach((k, v) -> args.set(k, Itf.encode(v)));
            }
            s.state().forEach((k, v) -> st.set(k, Itf.encode(v)));
        }
        if (t.loopsBackTo() >= 0) {
            root.put("loop", t.loopsBackTo());
        }
        return root;
    }

    public static String toJson(Trace t) {
        return toJson(t, null);
    }

    public static String toJson(Trace t, String description) {
        try {
            return M.writerWithDefaultPrettyPrinter().writeValueAsString(write(t, description)) + "\n";
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot happen: a tree always serialises", e);
        }
    }

    /** Reads an ITF trace; errors are one line naming the state and variable. */
    public static Trace read(String json, String where) throws BadInputException {
        return readTree(json, where).trace();
    }

    /** The {@code #meta.description} of an ITF trace, or null. */
    public static String description(String json) {
        try {
            JsonNode d = M.readTree(json).path("#meta").path("description");
            return d.isTextual() ? d.textValue() : null;
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            return null;
        }
    }

    private record Read(Trace trace) {}

    private static Read readTree(String json, String where) throws BadInputException {
        JsonNode root;
        try {
            root = M.readTree(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new BadInputException(where + ":" + e.getLocation().getLineNr() + ": not JSON: "
                    + e.getOriginalMessage().lines().findFirst().orElse(""));
        }
        if (root == null || !root.isObject() || !root.path("states").isArray()) {
            throw new BadInputException(where + ": not an ITF trace (no \"states\" array)");
        }
        List<String> vars = null;
        if (root.has("vars")) {
            if (!root.get("vars").isArray()) {
                throw new BadInputException(where + ": \"vars\" must be an array of names");
            }
            vars = new ArrayList<>();
            for (JsonNode v : root.get("vars")) {
                vars.add(v.asText());
            }
        }
        List<Step> steps = new ArrayList<>();
        JsonNode states = root.get("states");
        for (int i = 0; i < states.size(); i++) {
            JsonNode st = states.get(i);
            String at = where + ": states[" + i + "]";
            if (!st.isObject()) {
                throw new BadInputException(at + ": expected an object");
            }
            JsonNode meta = st.path("#meta");
            String action = meta.path("action").isTextual() ? meta.get("action").textValue() : (i == 0 ? Step.INIT : "step");
            String agent = meta.path("agent").isTextual() ? meta.get("agent").textValue() : null;
            Map<String, TlaValue> args = new LinkedHashMap<>();
            Map<String, TlaValue> state = new LinkedHashMap<>();
            try {
                if (meta.path("args").isObject()) {
                    for (Iterator<Map.Entry<String, JsonNode>> it = meta.get("args").fields(); it.hasNext(); ) {
                        var e = it.next();
                        args.put(e.getKey(), Itf.decode(e.getValue(), "#meta.args." + e.getKey()));
                    }
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = st.fields(); it.hasNext(); ) {
                    var e = it.next();
                    if (e.getKey().equals("#meta")) {
                        continue;
                    }
                    if (vars != null && !vars.contains(e.getKey())) {
                        throw new BadInputException(at + ": variable '" + e.getKey() + "' is not in \"vars\"");
                    }
                    state.put(e.getKey(), Itf.decode(e.getValue(), e.getKey()));
                }
            } catch (TlaParseException e) {
                throw new BadInputException(at + "." + e.getMessage());
            }
            if (vars != null && state.size() != vars.size()) {
                List<String> missing = vars.stream().filter(v -> !state.containsKey(v)).toList();
                throw new BadInputException(at + ": missing variable(s) " + String.join(", ", missing));
            }
            steps.add(new Step(action, agent, args, state));
        }
        int loop = root.path("loop").isInt() ? root.get("loop").intValue() : -1;
        boolean stutters = root.path("#meta").path("stutters").asBoolean(false);
        return new Read(new Trace(steps, loop, stutters));
    }
}
