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
        return write(t, description, Map.of());
    }

    /**
     * The spec's variables whose value is a function over agents, CPUs or devices (TypeOK in
     * spec/tla/Properties.tla and KernelView.tla): ITF {@code #map} in every state and model,
     * also where TLC prints them as a record (a string domain) or as {@code <<>>} (an empty
     * domain: iotlb without devices). Other records are records; a record of any other
     * variable whose fields are all agent names is taken as such a function too.
     */
    static final java.util.Set<String> AGENT_FUNCTIONS = java.util.Set.of("tlb", "iotlb", "gather", "pc", "ip", "loc",
            "seen", "obl", "oblw", "loaded", "lazy", "flushing", "sys", "gathers", "mn");
    private static final java.util.regex.Pattern AGENT = java.util.regex.Pattern.compile(
            "(cpu|t|thread|kthread|dev_thread|dev|vcpu|task)\\d+");

    /** One variable's value in ITF: as {@link Itf#encode}, with the functions above as {@code #map}. */
    static com.fasterxml.jackson.databind.JsonNode encodeVar(String name, TlaValue v) {
        boolean fn = AGENT_FUNCTIONS.contains(name) || v instanceof TlaValue.Rec r && !r.fields().isEmpty()
                && r.fields().keySet().stream().allMatch(k -> AGENT.matcher(k).matches());
        if (!fn) {
            return Itf.encode(v);
        }
        ArrayNode pairs = M.createArrayNode();
        if (v instanceof TlaValue.Rec r) {
            r.fields().forEach((k, x) -> pairs.add(M.createArrayNode().add(k).add(Itf.encode(x))));
        } else if (v instanceof TlaValue.Seq q) {
            for (int i = 0; i < q.elements().size(); i++) {
                pairs.add(M.createArrayNode().add(i + 1).add(Itf.encode(q.elements().get(i))));
            }
        } else if (v instanceof TlaValue.Fun) {
            return Itf.encode(v); // already #map
        } else {
            return Itf.encode(v); // not a function at all: left as it is
        }
        ObjectNode o = M.createObjectNode();
        o.set("#map", pairs);
        return o;
    }

    /**
     * @param params the model's constants (scenario, variant ...): ITF's {@code params}, their
     *               values set in the first state
     */
    public static ObjectNode write(Trace t, String description, Map<String, TlaValue> params) {
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
        if (!params.isEmpty()) {
            ArrayNode ps = root.putArray("params");
            params.keySet().forEach(ps::add);
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
            if (i == 0) {
                params.forEach((k, v) -> st.set(k, Itf.encode(v)));
            }
            s.state().forEach((k, v) -> st.set(k, encodeVar(k, v)));
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
        return toJson(t, description, Map.of());
    }

    public static String toJson(Trace t, String description, Map<String, TlaValue> params) {
        try {
            return M.writerWithDefaultPrettyPrinter().writeValueAsString(write(t, description, params)) + "\n";
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

    /**
     * A function as TLC itself prints it and compares it: one with a string domain is the record
     * of those fields, one with domain 1..n the sequence, one with an empty domain {@code <<>>}.
     */
    static TlaValue asTlc(TlaValue v) {
        if (!(v instanceof TlaValue.Fun f)) {
            return v;
        }
        if (f.map().isEmpty()) {
            return new TlaValue.Seq(List.of());
        }
        if (f.map().keySet().stream().allMatch(k -> k instanceof TlaValue.Str)) {
            Map<String, TlaValue> fields = new LinkedHashMap<>();
            f.map().forEach((k, x) -> fields.put(((TlaValue.Str) k).value(), x));
            return new TlaValue.Rec(fields);
        }
        List<TlaValue> seq = new ArrayList<>();
        for (int i = 1; i <= f.map().size(); i++) {
            TlaValue x = f.map().get(TlaValue.of(i));
            if (x == null) {
                return v;
            }
            seq.add(x);
        }
        return new TlaValue.Seq(seq);
    }

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
        java.util.Set<String> params = new java.util.HashSet<>();
        for (JsonNode p : root.path("params")) {
            params.add(p.asText());
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
                    if (e.getKey().equals("#meta") || params.contains(e.getKey()) && (vars == null || !vars.contains(e.getKey()))) {
                        continue;
                    }
                    if (vars != null && !vars.contains(e.getKey())) {
                        throw new BadInputException(at + ": variable '" + e.getKey() + "' is not in \"vars\"");
                    }
                    state.put(e.getKey(), asTlc(Itf.decode(e.getValue(), e.getKey())));
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
