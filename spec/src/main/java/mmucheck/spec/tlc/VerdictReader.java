package mmucheck.spec.tlc;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaParseException;
import mmucheck.spec.value.TlaParser;
import mmucheck.spec.value.TlaValue;

/** Turns TLC's {@code -tool} output into a {@link Verdict}. Pure: no I/O. */
public final class VerdictReader {
    private static final Pattern STATS = Pattern.compile("([\\d,]+) states generated, ([\\d,]+) distinct states found");
    private static final Pattern DEPTH = Pattern.compile("depth of the complete state graph search is ([\\d,]+)");
    private static final Pattern PROGRESS = Pattern.compile("Progress\\(([\\d,]+)\\)");
    private static final Pattern INITIAL = Pattern.compile("([\\d,]+) distinct states? generated");
    private static final Pattern INVARIANT = Pattern.compile("Invariant (\\S+) is violated");
    private static final Pattern ACTION_PROPERTY = Pattern.compile("Action property (\\S+)");
    private static final Pattern STATE_HEAD = Pattern.compile("^(\\d+): (.*)$", Pattern.MULTILINE);
    private static final Pattern ACTION_NAME = Pattern.compile("^<([^\\s>]+)");
    private static final Pattern BACK_TO = Pattern.compile("Back to state:?\\s*(\\d+)");
    private static final Pattern PARSE_ERR = Pattern.compile("Encountered (.*?) at line (\\d+), column (\\d+)(.*)");
    private static final Pattern PARSE_FILE = Pattern.compile("Could not parse module (\\S+) from file (\\S+)");
    private static final Pattern SEMANTIC = Pattern.compile(
            "line (\\d+), col (\\d+) to line \\d+, col \\d+ of module (\\S+)\\s*\\n\\s*\\n?\\s*(\\S[^\\n]*)");
    private static final Pattern NO_MODULE = Pattern.compile("Cannot find source file for module (\\S+?)(?: imported in module (\\S+?))?\\.?\\s*$", Pattern.MULTILINE);
    private static final Pattern EVAL_AT = Pattern.compile("Line (\\d+), column \\d+ to line \\d+, column \\d+ in (\\S+)");

    /**
     * Where the run's files are, to name them in error messages.
     *
     * @param specDir the directory of the spec's modules
     * @param cfg the model's cfg file
     * @param temporalProperties the cfg's PROPERTY names, to name a liveness violation
     * @param displayRoot paths in messages are shown relative to this (null: as given)
     */
    public record Context(Path specDir, Path cfg, List<String> temporalProperties, Path displayRoot) {
        String show(Path p) {
            Path q = p.toAbsolutePath().normalize();
            if (displayRoot != null) {
                Path r = displayRoot.toAbsolutePath().normalize();
                if (q.startsWith(r)) {
                    return r.relativize(q).toString();
                }
            }
            return p.toString();
        }

        String module(String name) {
            return show(specDir.resolve(name.endsWith(".tla") ? name : name + ".tla"));
        }
    }

    private VerdictReader() {}

    public static Verdict read(TlcOutput out, Context ctx, double seconds) {
        if (out.truncated()) {
            return Verdict.error(ctx.show(ctx.cfg()) + ": TLC's output ended in the middle of a message" + lastWords(out),
                    seconds);
        }
        long generated = 0;
        long distinct = 0;
        int depth = -1;
        int progressLevel = 0;
        for (TlcMessage m : out.all()) {
            Matcher s;
            if (m.code() == TlcMessage.STATS && (s = STATS.matcher(m.body())).find()) {
                generated = num(s.group(1));
                distinct = num(s.group(2));
            } else if (m.code() == TlcMessage.SEARCH_DEPTH && (s = DEPTH.matcher(m.body())).find()) {
                depth = (int) num(s.group(1));
            } else if (m.code() == TlcMessage.PROGRESS && (s = PROGRESS.matcher(m.body())).find()) {
                progressLevel = (int) num(s.group(1));
            } else if (m.code() == TlcMessage.INIT_DONE && distinct == 0 && (s = INITIAL.matcher(m.body())).find()) {
                // An initial state that violates an invariant ends the run before any statistics.
                distinct = num(s.group(1));
                generated = distinct;
                progressLevel = 1;
            }
        }
        if (depth < 0) {
            depth = progressLevel; // liveness runs print no search depth
        }

        String result = null;
        String error = null;
        for (TlcMessage m : out.all()) {
            if (result != null) {
                break;
            }
            Matcher x;
            switch (m.code()) {
                case TlcMessage.PARSING_FAILED -> {
                    result = Verdict.ERROR;
                    error = specError(out.loose(), ctx);
                }
                case TlcMessage.INVARIANT_VIOLATED, TlcMessage.INVARIANT_VIOLATED_INITIAL -> {
                    x = INVARIANT.matcher(m.body());
                    result = x.find() ? Verdict.VIOLATES + x.group(1) : Verdict.VIOLATES + "invariant";
                }
                case TlcMessage.ACTION_PROPERTY_VIOLATED -> {
                    x = ACTION_PROPERTY.matcher(m.body());
                    result = x.find() ? Verdict.VIOLATES + x.group(1) : Verdict.VIOLATES + "action-property";
                }
                case TlcMessage.DEADLOCK -> result = Verdict.DEADLOCK;
                case TlcMessage.TEMPORAL_VIOLATED -> result = Verdict.VIOLATES
                        + (ctx.temporalProperties().size() == 1 ? ctx.temporalProperties().get(0) : "temporal");
                case TlcMessage.GENERAL_ERROR -> {
                    result = Verdict.ERROR;
                    error = generalError(m, out, ctx);
                }
                case TlcMessage.SUCCESS -> result = Verdict.HOLDS;
                default -> {
                    if (m.isError() && m.code() != TlcMessage.BEHAVIOR_UP_TO_HERE
                            && m.code() != TlcMessage.COUNTEREXAMPLE && m.code() != TlcMessage.EVAL_ERROR_NESTED) {
                        result = Verdict.ERROR;
                        error = ctx.show(ctx.cfg()) + ": " + m.oneLine();
                    }
                }
            }
        }
        if (result == null) {
            return Verdict.error(ctx.show(ctx.cfg()) + ": TLC ended without a verdict" + lastWords(out), seconds);
        }
        if (Verdict.ERROR.equals(result)) {
            return new Verdict(result, error, distinct, Math.max(depth, 0), generated, seconds, null);
        }
        Trace trace = null;
        if (!Verdict.HOLDS.equals(result)) {
            try {
                trace = trace(out);
            } catch (TlaParseException e) {
                return Verdict.error(ctx.show(ctx.cfg()) + ": cannot read TLC's counterexample: " + e.getMessage(),
                        seconds);
            }
        }
        if (depth == 0 && trace != null) {
            depth = trace.steps().size(); // an initial-state violation: TLC prints no statistics
        }
        return new Verdict(result, null, distinct, depth, generated, seconds, trace);
    }

    /** The counterexample: state messages in order, with a stuttering or back-to-state end. */
    static Trace trace(TlcOutput out) throws TlaParseException {
        List<Step> steps = new ArrayList<>();
        int loop = -1;
        boolean stutters = false;
        for (TlcMessage m : out.messages()) {
            if (m.code() == TlcMessage.INVARIANT_VIOLATED_INITIAL) {
                // "Invariant X is violated by the initial state:" followed by the state itself.
                int nl = m.body().indexOf('\n');
                steps.add(Step.of(Step.INIT, TlaParser.parseState(nl < 0 ? "" : m.body().substring(nl + 1))));
            } else if (m.code() == TlcMessage.STATE) {
                Matcher h = STATE_HEAD.matcher(m.body());
                if (!h.find()) {
                    throw new TlaParseException("state message without 'N: <action>' head");
                }
                String label = h.group(2).strip();
                Map<String, TlaValue> state;
                try {
                    state = TlaParser.parseState(m.body().substring(h.end()));
                } catch (TlaParseException e) {
                    throw new TlaParseException("state " + h.group(1) + ": " + e.getMessage());
                }
                steps.add(Step.of(actionName(label), state));
            } else if (m.code() == TlcMessage.STUTTER) {
                stutters = true;
            } else if (m.code() == TlcMessage.BACK_TO_STATE) {
                Matcher b = BACK_TO.matcher(m.body());
                if (b.find()) {
                    loop = Integer.parseInt(b.group(1)) - 1;
                }
            }
        }
        return new Trace(steps, loop, stutters);
    }

    /** {@code <Initial predicate>} is Init; {@code <zap_pte_range line 3, col 1 to ... of module M>} is zap_pte_range. */
    static String actionName(String label) {
        if (label.startsWith("<Initial predicate>")) {
            return Step.INIT;
        }
        Matcher a = ACTION_NAME.matcher(label);
        return a.find() ? a.group(1) : label;
    }

    /** One line {@code file:line: text} from SANY's parse or semantic error report. */
    static String specError(String loose, Context ctx) {
        Matcher p = PARSE_ERR.matcher(loose);
        if (p.find()) {
            Matcher f = PARSE_FILE.matcher(loose);
            String file = f.find() ? ctx.module(f.group(2)) : ctx.module("MMU");
            return file + ":" + p.group(2) + ": parse error at column " + p.group(3) + ": encountered " + p.group(1)
                    + p.group(4).stripTrailing();
        }
        Matcher s = SEMANTIC.matcher(loose);
        if (s.find()) {
            return ctx.module(s.group(3)) + ":" + s.group(1) + ": " + s.group(4).strip();
        }
        Matcher n = NO_MODULE.matcher(loose);
        if (n.find()) {
            if (n.group(2) != null) {
                return ctx.module(n.group(2)) + ": cannot find module " + n.group(1) + " (EXTENDS or INSTANCE)";
            }
            return ctx.module(n.group(1)) + ": file not found";
        }
        String first = loose.lines().map(String::strip)
                .filter(l -> !l.isEmpty() && !l.startsWith("Parsing file") && !l.startsWith("Semantic processing"))
                .findFirst().orElse("parsing or semantic analysis failed");
        return ctx.module("MMU") + ": " + first;
    }

    /** TLC's code 1000 (an exception while checking): the nested cause, placed where TLC evaluated. */
    private static String generalError(TlcMessage m, TlcOutput out, Context ctx) {
        String text;
        String where = null;
        if (!m.nested().isEmpty()) {
            TlcMessage cause = m.nested().get(0);
            text = cause.oneLine();
            if (cause.code() == TlcMessage.CONFIG_FILE_ERROR) {
                // "... when trying to read the configuration file X: File not found."
                int colon = text.lastIndexOf(':');
                return ctx.show(ctx.cfg()) + ": " + (colon >= 0 ? text.substring(colon + 1).strip() : text);
            }
        } else {
            text = m.oneLine();
        }
        for (TlcMessage n : out.all()) {
            if (n.code() == TlcMessage.EVAL_ERROR_NESTED) {
                Matcher at = EVAL_AT.matcher(n.body());
                while (at.find()) {
                    where = ctx.module(at.group(2)) + ":" + at.group(1); // the innermost position wins
                }
            }
        }
        return (where != null ? where : ctx.show(ctx.cfg())) + ": " + text;
    }

    private static String lastWords(TlcOutput out) {
        List<TlcMessage> all = out.all();
        String tail = out.loose().strip();
        if (!tail.isEmpty()) {
            String[] lines = tail.split("\n");
            return ": " + lines[lines.length - 1].strip();
        }
        return all.isEmpty() ? " (no output)" : ": " + all.get(all.size() - 1).oneLine();
    }

    private static long num(String s) {
        return Long.parseLong(s.replace(",", ""));
    }
}
