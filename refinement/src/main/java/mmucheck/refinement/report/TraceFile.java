package mmucheck.refinement.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.tlc.TlcOutput;
import mmucheck.spec.tlc.Verdict;
import mmucheck.spec.tlc.VerdictReader;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.Itf;
import mmucheck.spec.value.TlaParseException;
import mmucheck.spec.value.TlaValue;

/**
 * A trace file for {@code render}, whatever its form: an ITF trace, TLC's {@code -tool} output
 * with a counterexample, or an mmucheck log (docs/trace-format.md; partial states are filled in
 * from the previous state). Only what rendering needs is checked; the refinement checker is the
 * strict reader of logs.
 *
 * @param ending the sentence the diagram ends with
 * @param params the model's constants where known (a log's header; for TLC output the cfg of the
 *               same name beside it or in spec/models), for ITF's {@code params}
 * @param mark   the step the verdict is about (a TLC counterexample's last step; a log's
 *               diverging or violating step once checked, see {@link #readChecked}), -1 if none
 */
public record TraceFile(Trace trace, String ending, Map<String, TlaValue> params, int mark) {
    private static final ObjectMapper M = new ObjectMapper();
    private static final java.util.regex.Pattern CONSTANT = java.util.regex.Pattern.compile(
            "^\\s*([A-Za-z_][A-Za-z0-9_]*)\\s*=\\s*(\"[^\"]*\"|-?\\d+|TRUE|FALSE)\\s*$", java.util.regex.Pattern.MULTILINE);

    public TraceFile {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    public TraceFile(Trace trace, String ending) {
        this(trace, ending, Map.of(), -1);
    }

    public TraceFile(Trace trace, String ending, Map<String, TlaValue> params) {
        this(trace, ending, params, -1);
    }

    /**
     * As {@link #read}, and an mmucheck log is also refined against its spec (TLC's jar must be
     * set, as ./mmucheck does; otherwise it is only read): a diverging or violating step is
     * marked and the verdict leads the ending, so a log shows its divergence whenever it is
     * rendered, not only when refine printed it.
     */
    public static TraceFile readChecked(Path file, Path specDir) throws BadInputException {
        TraceFile tf = read(file, specDir);
        if (!isLog(file) || specDir == null || mmucheck.refinement.engine.IsolatedTlc.tlcJar() == null) {
            return tf;
        }
        mmucheck.refinement.check.Verdict v = mmucheck.refinement.check.RefinementChecker.checkFile(file,
                mmucheck.refinement.check.RefinementChecker.Options.defaults().withSpecDir(specDir));
        if (v.kind() != mmucheck.refinement.check.Verdict.Kind.DIVERGES
                && v.kind() != mmucheck.refinement.check.Verdict.Kind.VIOLATES) {
            return tf;
        }
        String[] lines = VerdictReport.text(v, file.toString()).strip().split("\n", 2);
        String rest = lines.length > 1 ? lines[1].strip().replaceAll("\\s+", " ") + " " : "";
        return new TraceFile(tf.trace(), lines[0].strip() + ". " + rest + tf.ending(), tf.params(),
                (int) Math.min(v.seq(), tf.trace().steps().size() - 1));
    }

    private static boolean isLog(Path file) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file)) {
            String first = r.readLine();
            return first != null && first.strip().startsWith("{") && first.contains("\"mmucheck-trace\"");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The constants of the cfg named like {@code file} (S1_gather.out, S1_gather.plain.out:
     * S1_gather.cfg) beside it or in the bundled models; empty when there is none.
     */
    static Map<String, TlaValue> cfgConstants(Path file, Path specDir) {
        String name = file.getFileName().toString();
        int dot = name.indexOf('.');
        String model = dot > 0 ? name.substring(0, dot) : name;
        List<Path> places = new ArrayList<>();
        if (file.toAbsolutePath().getParent() != null) places.add(file.toAbsolutePath().getParent().resolve(model + ".cfg"));
        if (specDir != null && specDir.toAbsolutePath().getParent() != null) {
            places.add(specDir.toAbsolutePath().getParent().resolve("models").resolve(model + ".cfg"));
        }
        Map<String, TlaValue> out = new LinkedHashMap<>();
        for (Path p : places) {
            if (!Files.isRegularFile(p)) continue;
            try {
                String text = Files.readString(p);
                String consts = text.replaceAll("\\\\\\*[^\n]*", "");
                java.util.regex.Matcher m = CONSTANT.matcher(consts);
                while (m.find()) {
                    out.put(m.group(1), mmucheck.spec.value.TlaParser.parse(m.group(2)));
                }
            } catch (IOException | TlaParseException e) {
                out.clear();
            }
            return out;
        }
        return out;
    }

    public static TraceFile read(Path file, Path specDir) throws BadInputException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new BadInputException(file + ": file not found");
        } catch (IOException e) {
            throw new BadInputException(file + ": cannot read: " + e.getMessage());
        }
        if (text.contains("@!@!@STARTMSG")) {
            return fromTlc(text, file, specDir);
        }
        if (PlainTlc.looksLike(text)) {
            return fromTlc(PlainTlc.toTool(text), file, specDir);
        }
        String first = text.lines().findFirst().orElse("").strip();
        if (first.startsWith("{") && first.contains("\"mmucheck-trace\"")) {
            return fromLog(text, file);
        }
        if (text.strip().startsWith("{")) {
            Trace t = ItfTrace.read(text, file.toString());
            String d = ItfTrace.description(text);
            return new TraceFile(t, d != null ? d : "End of the trace after " + Math.max(0, t.steps().size() - 1) + " steps.");
        }
        throw new BadInputException(file + ":1: not an ITF trace, an mmucheck log or TLC output");
    }

    private static TraceFile fromTlc(String text, Path file, Path specDir) throws BadInputException {
        var ctx = new VerdictReader.Context(specDir == null ? file.getParent() : specDir, file, List.of(), null);
        Verdict v = VerdictReader.read(TlcOutput.parse(text), ctx, 0);
        if (v.isError()) {
            throw new BadInputException(file + ": TLC reported an error: " + v.error());
        }
        if (v.counterexample() == null) {
            throw new BadInputException(file + ": TLC found no counterexample (" + v.result() + ")");
        }
        Trace t = filledIn(v.counterexample());
        boolean temporal = t.stutters() || t.loopsBackTo() >= 0;
        return new TraceFile(t, Endings.forResult(v.result(), t, temporal, PropertyMeaning.of(specDir, v.violated())),
                cfgConstants(file, specDir), t.steps().size() - 1);
    }

    /**
     * TLC's {@code -difftrace} prints only the variables a step changed: each state is completed
     * from the one before (the first is whole), so lanes and hardware steps are told as usual.
     */
    static Trace filledIn(Trace t) {
        List<Step> out = new ArrayList<>();
        Map<String, TlaValue> prev = null;
        for (Step s : t.steps()) {
            if (prev != null && !s.state().keySet().containsAll(prev.keySet())) {
                Map<String, TlaValue> full = new LinkedHashMap<>();
                for (var e : prev.entrySet()) {
                    full.put(e.getKey(), s.state().getOrDefault(e.getKey(), e.getValue()));
                }
                s.state().forEach(full::putIfAbsent);
                s = new Step(s.action(), s.agent(), s.args(), full);
            }
            out.add(s);
            prev = s.state();
        }
        return new Trace(out, t.loopsBackTo(), t.stutters());
    }

    private static TraceFile fromLog(String text, Path file) throws BadInputException {
        List<Step> steps = new ArrayList<>();
        Map<String, TlaValue> state = new LinkedHashMap<>();
        String ending = null;
        Map<String, TlaValue> params = new LinkedHashMap<>();
        String[] lines = text.split("\n", -1);
        for (int n = 0; n < lines.length; n++) {
            String line = lines[n].strip();
            String at = file + ":" + (n + 1);
            if (line.isEmpty()) {
                continue;
            }
            JsonNode o;
            try {
                o = M.readTree(line);
            } catch (IOException e) {
                throw new BadInputException(at + ": not a JSON object");
            }
            if (o == null || !o.isObject()) {
                throw new BadInputException(at + ": not a JSON object");
            }
            if (n == 0) {
                if (o.path("version").asInt() != 1) {
                    throw new BadInputException(at + ": unsupported log version " + o.path("version"));
                }
                try {
                    for (Iterator<Map.Entry<String, JsonNode>> it = o.path("constants").fields(); it.hasNext(); ) {
                        var e = it.next();
                        params.put(e.getKey(), Itf.decode(e.getValue(), "constants." + e.getKey()));
                    }
                } catch (TlaParseException e) {
                    throw new BadInputException(at + ": " + e.getMessage());
                }
                continue;
            }
            if (o.has("end")) {
                ending = endSentence(o);
                continue;
            }
            if (!o.path("action").isTextual() || !o.path("state").isObject()) {
                throw new BadInputException(at + ": a step needs \"action\" and \"state\"");
            }
            Map<String, TlaValue> args = new LinkedHashMap<>();
            try {
                for (Iterator<Map.Entry<String, JsonNode>> it = o.path("args").fields(); it.hasNext(); ) {
                    var e = it.next();
                    args.put(e.getKey(), Itf.decode(e.getValue(), "args." + e.getKey()));
                }
                for (Iterator<Map.Entry<String, JsonNode>> it = o.get("state").fields(); it.hasNext(); ) {
                    var e = it.next();
                    state.put(e.getKey(), Itf.decode(e.getValue(), "state." + e.getKey()));
                }
            } catch (TlaParseException e) {
                throw new BadInputException(at + ": " + e.getMessage());
            }
            String agent = o.path("agent").isTextual() ? o.get("agent").textValue() : null;
            steps.add(new Step(o.get("action").textValue(), agent, args, state));
        }
        if (ending == null) {
            ending = "The log has no end line: it is truncated after " + Math.max(0, steps.size() - 1) + " steps.";
        }
        return new TraceFile(Trace.of(steps), ending, params);
    }

    private static String endSentence(JsonNode o) {
        String end = o.path("end").asText();
        int steps = o.path("steps").asInt();
        if ("failed".equals(end)) {
            List<String> seen = new ArrayList<>();
            for (JsonNode x : o.path("observed")) {
                seen.add(x.path("kind").asText() + (x.has("agent") ? " by " + x.get("agent").asText() : "")
                        + (x.has("seq") ? " at step " + x.get("seq").asText() : ""));
            }
            return "The run failed after " + steps + " steps; the implementation observed: " + String.join(", ", seen) + ".";
        }
        return "The run ended (" + end + ") after " + steps + " steps.";
    }
}
