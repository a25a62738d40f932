package mmucheck.refinement.viatlc;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.SpecSource;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.engine.IsolatedTlc;
import mmucheck.refinement.log.LogLine;
import mmucheck.refinement.log.LogReader;
import mmucheck.spec.tlc.TlcLauncher;

/**
 * TLC's own route, as a cross-check of the in-process checker: a generated trace spec
 * (TraceCheck) whose behaviour is forced to follow the log, run by the TLC command line in a
 * forked JVM. The log is read by a Java operator override (TraceLogOperator) because this TLC
 * build has no Json module. TLC reports only the search depth on a bad trace; the diagnosis of
 * that step is computed in process (see withDiagnosis).
 */
public final class TlcCliRoute {
    private static final Pattern DEPTH = Pattern.compile("The depth of the complete state graph search is (\\d+)");
    private static final Pattern VIOLATED = Pattern.compile("Invariant (\\w+) is violated");
    private static final Pattern STATE = Pattern.compile("(?m)^State (\\d+):");
    private static final long TIMEOUT_MINUTES = 30;

    private TlcCliRoute() {}

    /**
     * A verdict, the CPU seconds the forked TLC used (sampled while it ran; -1 if unknown) and
     * how the fork ended (null when TLC was not run: bad input found before).
     */
    public record Measured(Verdict verdict, double tlcCpuSeconds, TlcLauncher.Result fork) {}

    /** Checks {@code log} with the TLC CLI; the verdict kinds match {@link RefinementChecker}'s. */
    public static Verdict check(Path log, RefinementChecker.Options o) {
        return checkMeasured(log, o).verdict();
    }

    @SuppressWarnings("unchecked")
    public static Measured checkMeasured(Path log, RefinementChecker.Options o) {
        double[] cpu = {-1};
        TlcLauncher.Result[] fork = {null};
        Verdict v = run(log, o, cpu, fork);
        return new Measured(v, cpu[0], fork[0]);
    }

    @SuppressWarnings("unchecked")
    private static Verdict run(Path log, RefinementChecker.Options o, double[] cpu, TlcLauncher.Result[] fork) {
        LogLine.Header h;
        try (InputStream in = new BufferedInputStream(Files.newInputStream(log));
                LogReader r = new LogReader(in, o.maxLineBytes())) {
            LogLine l = r.nextHeader();
            if (l == null) {
                return bad(1, "empty file (no header)");
            }
            if (l instanceof LogLine.Bad b) {
                return bad(b.line(), b.message());
            }
            h = (LogLine.Header) l;
        } catch (IOException e) {
            return bad(0, "cannot read: " + e.getMessage());
        }
        Path dir = o.specDir();
        if (!h.spec().matches("[A-Za-z_][A-Za-z0-9_]*") || !Files.isRegularFile(dir.resolve(h.spec() + ".tla"))) {
            return bad(1, "no spec module '" + h.spec() + "' in " + dir);
        }
        Path jar = IsolatedTlc.tlcJar();
        if (jar == null) {
            return bad(0, "TLC's jar is not set (-Dmmucheck.tlc.jar)");
        }
        Path work = null;
        try {
            work = Files.createTempDirectory("mmucheck-viatlc-");
            Path spec = work.resolve("spec");
            SpecSource.copyModules(dir, spec);
            // The spec's variables and Next's actions, from TLC's parser (in process, isolated).
            Object f = facts(o, h);
            if (f instanceof String err) {
                return bad(1, err);
            }
            Map<String, Object> facts = (Map<String, Object>) f;
            List<String> variables = (List<String>) facts.get("variables");
            List<Action> actions = new ArrayList<>();
            Map<String, List<String>> params = (Map<String, List<String>>) facts.get("actions");
            for (String n : (List<String>) facts.get("nextActions")) {
                actions.add(new Action(n, params.getOrDefault(n, List.of())));
            }
            // Only the names this spec defines: the cfgs beside it may serve other modules too.
            List<String> defined = (List<String>) facts.get("invariants");
            List<String> invariants = SpecSource.invariantNames(dir).stream()
                    .filter(n -> n.equals("TypeOK") || defined.contains(n)).toList();
            Files.writeString(spec.resolve("TraceCheck.tla"),
                    traceSpec(h.spec(), variables, actions, log.toAbsolutePath(),
                            h.mode().equals("partial")), StandardCharsets.UTF_8);
            StringBuilder cfg = new StringBuilder(SpecSource.cfg(h.constants()).replace("INIT Init\nNEXT Next\n", ""));
            cfg.append("INIT TraceInit\nNEXT TraceNext\nINVARIANTS");
            for (String inv : invariants) {
                cfg.append(' ').append(inv);
            }
            cfg.append(" TraceNotDone\n");
            Files.writeString(spec.resolve("TraceCheck.cfg"), cfg.toString(), StandardCharsets.UTF_8);
            // Short logs: C1 only and the serial collector start faster; long ones want C2.
            boolean small = Files.size(log) < (4 << 20);
            Duration timeout = Duration.ofMinutes(TIMEOUT_MINUTES);
            TlcLauncher.Result r = TlcLauncher.run(TlcLauncher.Fork.of(
                    List.of(small ? "-XX:TieredStopAtLevel=1" : "-XX:+UseParallelGC",
                            small ? "-XX:+UseSerialGC" : "-XX:+UseParallelGC", "-Xss8m"),
                    List.of(jar, IsolatedTlc.ownCode()),
                    List.of("-workers", "1", "-deadlock", "-nowarning", "-config", "TraceCheck.cfg", "TraceCheck.tla"),
                    spec, work, timeout));
            fork[0] = r;
            cpu[0] = r.cpuSeconds();
            switch (r.status()) {
                case TIMED_OUT:
                    return bad(0, "TLC did not finish within " + TIMEOUT_MINUTES + " minutes");
                case INTERRUPTED:
                    return bad(0, "interrupted");
                case NOT_STARTED:
                    return bad(0, "cannot run TLC: " + r.error());
                default:
                    break;
            }
            String out = r.output();
            Verdict v = interpret(out, h);
            return v.kind() == Verdict.Kind.DIVERGES ? withDiagnosis(v, log, o) : v;
        } catch (IOException e) {
            return bad(0, "cannot run TLC: " + e.getMessage());
        } finally {
            if (work != null) {
                IsolatedTlc.deleteTree(work);
            }
        }
    }

    private static String factsKey;
    private static Object factsValue;

    /** Spec facts for a header, cached: checking many logs of one spec parses it once. */
    private static synchronized Object facts(RefinementChecker.Options o, LogLine.Header h) {
        String key = o.specDir().toAbsolutePath() + "|" + h.spec() + "|" + SpecSource.cfg(h.constants());
        if (!key.equals(factsKey)) {
            try (RefinementChecker c = new RefinementChecker(o)) {
                factsValue = c.describe(h);
            }
            factsKey = key;
        }
        return factsValue;
    }

    static Verdict interpret(String out, LogLine.Header h) {
        Matcher v = VIOLATED.matcher(out);
        if (v.find()) {
            int states = lastState(out);
            long seq = states - 1;
            String inv = v.group(1);
            if (inv.equals("TraceNotDone")) {
                return new Verdict(Verdict.Kind.REFINES, "TLC followed the whole trace", 0, -1, null, null, null,
                        null, seq, h.spec(), h.mode(), null, null);
            }
            if (inv.equals("TypeOK")) {
                return bad((int) seq + 2, "value outside the model's sets: TypeOK is false");
            }
            return new Verdict(Verdict.Kind.VIOLATES, "invariant " + inv + " is violated", (int) seq + 2, seq, null,
                    null, inv, null, seq, h.spec(), h.mode(), null, null);
        }
        Matcher d = DEPTH.matcher(out);
        if (out.contains("No error has been found") && d.find()) {
            long matched = Long.parseLong(d.group(1));
            // Depth counts the trace states TLC could reach; the next one diverges.
            long seq = out.contains(" 0 distinct states found") ? 0 : matched;
            return new Verdict(Verdict.Kind.DIVERGES, "TLC cannot extend the behaviour past depth " + matched,
                    (int) seq + 2, seq, null, new LinkedHashMap<>(), null, null, seq, h.spec(), h.mode(), null, null);
        }
        return bad(0, "TLC failed: " + firstError(out));
    }

    /**
     * TLC only says how deep it could follow the trace. The diagnosis of the step it could not
     * take (logged action and arguments, first false conjunct, differing variables, enabled
     * actions) is computed in process, by the in-process checker on the same log; when that
     * checker stops elsewhere, the two routes disagree and the verdict says so instead.
     */
    static Verdict withDiagnosis(Verdict tlc, Path log, RefinementChecker.Options o) {
        Verdict ours = RefinementChecker.checkFile(log, o);
        if (ours.kind() == Verdict.Kind.DIVERGES && ours.seq() == tlc.seq()) {
            return new Verdict(Verdict.Kind.DIVERGES, tlc.message() + "; in process: " + ours.message(), ours.line(),
                    tlc.seq(), ours.action(), ours.args(), null, ours.diagnosis(), tlc.steps(), tlc.spec(), tlc.mode(),
                    null, null);
        }
        String theirs = ours.kind() == Verdict.Kind.REFINES ? "refines" : ours.kind().word() + " at seq " + ours.seq()
                + " (" + ours.message() + ")";
        return new Verdict(Verdict.Kind.DIVERGES, tlc.message() + "; no diagnosis: the in-process checker "
                + theirs, tlc.line(), tlc.seq(), null, tlc.args(), null, null, tlc.steps(), tlc.spec(), tlc.mode(),
                null, null);
    }

    private static int lastState(String out) {
        Matcher m = STATE.matcher(out);
        int last = 1;
        while (m.find()) {
            last = Integer.parseInt(m.group(1));
        }
        return last;
    }

    private static String firstError(String out) {
        for (String line : out.split("\n")) {
            if (line.contains("rror") || line.contains("xception")) {
                return line.trim();
            }
        }
        String[] lines = out.trim().split("\n");
        return lines.length == 0 ? "no output" : lines[lines.length - 1].trim();
    }

    private static Verdict bad(int line, String message) {
        return new Verdict(Verdict.Kind.BAD_INPUT, message, line, -1, null, null, null, null, 0, null, null, null,
                null);
    }

    /** The trace spec: the log as a behaviour, each step also a step of the named action. */
    static String traceSpec(String module, List<String> vars, List<Action> actions, Path log, boolean partial) {
        StringBuilder b = new StringBuilder();
        b.append("---- MODULE TraceCheck ----\n");
        b.append("\\* Generated by mmucheck refine --via-tlc: follows the log ").append(log.getFileName()).append('\n');
        b.append("EXTENDS ").append(module).append(", Naturals, Sequences, TLC\n");
        b.append("\\* Overridden in Java (mmucheck TraceLogOperator): the log's state lines as records.\n");
        b.append("TraceLog(path) == <<>>\n");
        b.append("Trace == TraceLog(\"").append(log.toString().replace("\\", "\\\\")).append("\")\n");
        b.append("VARIABLE trace_i\n");
        b.append("TraceInit ==\n  /\\ trace_i = 1\n");
        for (String v : vars) {
            b.append("  /\\ ").append(v).append(" = Trace[1].state.").append(v).append('\n');
        }
        b.append("  /\\ Init\n");
        b.append("TraceStep(l) ==\n");
        b.append("  \\/ l.stutter /\\ UNCHANGED <<").append(String.join(", ", vars)).append(">>\n");
        for (Action a : actions) {
            b.append("  \\/ ~l.stutter /\\ l.action = \"").append(a.name()).append("\" /\\ ").append(a.name());
            if (!a.params().isEmpty()) {
                b.append('(');
                for (int i = 0; i < a.params().size(); i++) {
                    b.append(i == 0 ? "" : ", ").append("l.args.").append(a.params().get(i));
                }
                b.append(')');
            }
            b.append('\n');
        }
        b.append("TraceNext ==\n  /\\ trace_i < Len(Trace)\n  /\\ trace_i' = trace_i + 1\n");
        b.append("  /\\ LET l == Trace[trace_i + 1] IN\n");
        for (String v : vars) {
            b.append("       /\\ ").append(v).append("' = ");
            if (partial) {
                b.append("IF \"").append(v).append("\" \\in DOMAIN l.state THEN l.state.").append(v)
                        .append(" ELSE ").append(v).append('\n');
            } else {
                b.append("l.state.").append(v).append('\n');
            }
        }
        b.append("       /\\ TraceStep(l)\n");
        b.append("\\* Violated exactly when the whole trace was followed: the success signal.\n");
        b.append("TraceNotDone == trace_i < Len(Trace)\n");
        b.append("====\n");
        return b.toString();
    }

    /** An action operator the log may name. */
    record Action(String name, List<String> params) {}
}
