package mmucheck.refinement.check;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import mmucheck.refinement.engine.Evaluator;
import mmucheck.refinement.engine.IsolatedTlc;
import mmucheck.refinement.log.LogLine;
import mmucheck.refinement.log.LogReader;

/**
 * Checks a trace log against its TLA+ spec with TLC's evaluator in process: the first state
 * must satisfy Init, each logged step must be a step of the named action with the logged
 * arguments, and every state must satisfy the spec's invariants. Returns a {@link Verdict}.
 *
 * <p>An instance keeps the last spec it loaded (TLC takes about half a second to parse one),
 * so checking many logs of the same spec and constants pays that once. Not thread-safe; one
 * instance per thread. Close it to drop TLC's class loader.
 */
public final class RefinementChecker implements AutoCloseable {

    /** How to check: where specs live, and the bounds for partial logs. */
    /**
     * How to check: where specs live, and the bounds for partial logs. {@code fastPath}: check
     * step lines straight from their bytes when possible (the same verdicts; off only to
     * compare the two paths).
     */
    public record Options(Path specDir, int maxFrontier, int internalSteps, boolean unloggedUnchanged,
            int maxLineBytes, boolean fastPath) {
        public static Options defaults() {
            return new Options(SpecSource.defaultDir(), 1000, 0, true, LogReader.DEFAULT_MAX_LINE_BYTES, true);
        }

        public Options withSpecDir(Path dir) {
            return new Options(dir, maxFrontier, internalSteps, unloggedUnchanged, maxLineBytes, fastPath);
        }

        public Options withPartial(int maxFrontier, int internalSteps) {
            return new Options(specDir, maxFrontier, internalSteps, unloggedUnchanged, maxLineBytes, fastPath);
        }

        public Options withUnloggedUnchanged(boolean b) {
            return new Options(specDir, maxFrontier, internalSteps, b, maxLineBytes, fastPath);
        }

        public Options withMaxLineBytes(int n) {
            return new Options(specDir, maxFrontier, internalSteps, unloggedUnchanged, n, fastPath);
        }

        public Options withFastPath(boolean b) {
            return new Options(specDir, maxFrontier, internalSteps, unloggedUnchanged, maxLineBytes, b);
        }
    }

    private final Options options;
    /** One for every log this checker reads (see LogReader's constructor). */
    private final com.fasterxml.jackson.core.JsonFactory json;
    private Evaluator evaluator;
    private String loadedKey;
    private Map<String, Object> described;

    public RefinementChecker(Options options) {
        this.options = Objects.requireNonNull(options);
        this.json = LogReader.factory(options.maxLineBytes());
    }

    /** One log, one fresh checker: the call the rest of mmucheck makes. */
    public static Verdict checkFile(Path log, Options options) {
        try (RefinementChecker c = new RefinementChecker(options)) {
            return c.check(log);
        }
    }

    public Verdict check(Path log) {
        // Unbuffered: LogReader reads in blocks of its own (a second 64 kB buffer per log cost
        // more than reading a short log).
        try (InputStream in = Files.newInputStream(log)) {
            return check(in);
        } catch (NoSuchFileException e) {
            return Verdict.badInput(0, "no such file");
        } catch (IOException e) {
            return Verdict.badInput(0, "cannot read: " + e.getMessage());
        }
    }

    public Verdict check(InputStream in) {
        try (LogReader r = new LogReader(in, options.maxLineBytes(), json)) {
            return run(r);
        } catch (IOException e) {
            return Verdict.badInput(0, "cannot read: " + e.getMessage());
        }
    }

    private Verdict run(LogReader r) {
        LogLine first = r.nextHeader();
        if (first == null) {
            return Verdict.badInput(1, "empty file (no header)");
        }
        if (first instanceof LogLine.Bad b) {
            return Verdict.badInput(b.line(), b.message());
        }
        LogLine.Header h = (LogLine.Header) first;
        String loadError = load(h);
        if (loadError != null) {
            return Verdict.badInput(h.line(), loadError);
        }
        boolean partial = h.mode().equals("partial");
        evaluator.configure(options.maxFrontier(), options.internalSteps(), options.unloggedUnchanged());
        Progress p = new Progress(h);

        boolean fast = options.fastPath();
        int lastLine;
        if (fast && r.advance() && evaluator.fastInit(r.rawBytes(), r.rawLength())) {
            lastLine = r.rawLineNumber(); // the initial state, checked from its bytes
        } else {
            LogLine l = fast ? r.decodeCurrent() : r.next();
            if (l == null) {
                return Verdict.badInput(2, "log truncated: no initial state");
            }
            if (l instanceof LogLine.Bad b) {
                return Verdict.badInput(b.line(), b.message());
            }
            if (!(l instanceof LogLine.Step init) || init.seq() != 0 || !init.action().equals("Init")) {
                return Verdict.badInput(l.line(), "line 2 must be the initial state (seq 0, action \"Init\")");
            }
            Map<String, Object> f = evaluator.init(init.state());
            if (f != null) {
                return p.failure(f, init);
            }
            lastLine = init.line();
        }
        long lastSeq = 0;
        LogLine l;
        Map<String, Object> f;
        while (true) {
            if (!r.advance()) {
                l = r.decodeCurrent();
            } else if (fast && evaluator.fastStep(r.rawBytes(), r.rawLength(), lastSeq + 1, partial)) {
                // A step line that refines, checked from its bytes; anything else is decoded below.
                lastSeq++;
                p.steps = lastSeq;
                lastLine = r.rawLineNumber();
                continue;
            } else {
                l = r.decodeCurrent();
            }
            if (l == null) {
                return Verdict.badInput(lastLine + 1, "log truncated: no end line");
            }
            if (l instanceof LogLine.Bad b) {
                return Verdict.badInput(b.line(), b.message());
            }
            lastLine = l.line();
            if (l instanceof LogLine.End e) {
                if (e.steps() >= 0 && e.steps() != lastSeq) {
                    return Verdict.badInput(e.line(), "end line says " + e.steps() + " steps, the log has " + lastSeq);
                }
                f = evaluator.finish();
                if (f != null) {
                    return pendingFailure(f, r, p, lastSeq, e.line() - 1);
                }
                LogLine after = r.next();
                if (after != null) {
                    return Verdict.badInput(after.line(), after instanceof LogLine.Bad b ? b.message()
                            : "a line after the end line");
                }
                return p.refines(e);
            }
            if (l instanceof LogLine.Header) {
                return Verdict.badInput(l.line(), "a second header");
            }
            LogLine.Step s = (LogLine.Step) l;
            if (s.seq() != lastSeq + 1) {
                return Verdict.badInput(s.line(), "seq " + s.seq() + " out of order (expected " + (lastSeq + 1) + ")");
            }
            lastSeq = s.seq();
            f = evaluator.step(s.action(), s.args(), s.state(), partial, s.stutter());
            p.steps = lastSeq;
            if (f != null && f.containsKey("pendingSeq")) {
                return pendingFailure(f, r, p, s.seq(), s.line());
            }
            if (f != null) {
                if ("ambiguous".equals(f.get("kind"))) {
                    if (p.firstAmbiguousLine == 0) {
                        p.firstAmbiguousLine = s.line();
                    }
                    continue;
                }
                return p.failure(f, s);
            }
        }
    }

    /**
     * A failure of an earlier state: an ENABLED invariant is settled by a later step of the
     * agents (see tlc.EnabledSettlement), so it is found late and reported on the line that logged the
     * state. Every line in between was a step line (the fast path took it), one seq each, so
     * that line is {@code line - (seq - pendingSeq)} for a step line {@code line} of {@code seq}.
     */
    private static Verdict pendingFailure(Map<String, Object> f, LogReader r, Progress p, long seq, int line) {
        long at = (Long) f.get("pendingSeq");
        int atLine = (int) (line - (seq - at));
        LogLine l = r.decodeLine((byte[]) f.get("pendingLine"), atLine);
        if (l instanceof LogLine.Step s) {
            p.steps = s.seq();
            return p.failure(f, s);
        }
        return Verdict.badInput(atLine, l instanceof LogLine.Bad b ? b.message() : "cannot reread line " + atLine);
    }

    /** Loads (or reuses) the evaluator for this header; null, or why the spec cannot be loaded. */
    private String load(LogLine.Header h) {
        Path dir = options.specDir();
        Path module = dir.resolve(h.spec() + ".tla");
        if (!h.spec().matches("[A-Za-z_][A-Za-z0-9_]*") || !Files.isRegularFile(module)) {
            return "no spec module '" + h.spec() + "' in " + dir;
        }
        String key = dir.toAbsolutePath() + "|" + h.spec() + "|" + SpecSource.cfg(h.constants());
        if (key.equals(loadedKey)) {
            return null;
        }
        // TLC's evaluator neither evaluates ASSUMEs nor rejects a cfg constant no module declares
        try {
            SpecConstants declared = SpecConstants.read(dir, h.spec());
            String bad = declared == null ? null : declared.check(SpecSource.withDefaults(h.constants()));
            if (bad != null) {
                return bad;
            }
        } catch (IOException e) {
            return "cannot read spec " + h.spec() + ": " + e.getMessage();
        }
        closeEvaluator();
        Path work;
        try {
            work = Files.createTempDirectory("mmucheck-refine-");
            Path copy = work.resolve("spec");
            SpecSource.copyModules(dir, copy);
            Files.writeString(copy.resolve("MC.cfg"), SpecSource.cfg(h.constants()), StandardCharsets.UTF_8);
            evaluator = IsolatedTlc.open(work);
            String err = evaluator.load(copy.toString(), h.spec(), "MC", SpecSource.invariantNames(dir));
            if (err != null) {
                closeEvaluator();
                return "spec " + h.spec() + " does not load with the header's constants: " + err;
            }
        } catch (IOException | IllegalStateException e) {
            closeEvaluator();
            return "cannot prepare spec " + h.spec() + ": " + e.getMessage();
        }
        loadedKey = key;
        described = evaluator.describe();
        return null;
    }

    /**
     * Loads the header's spec and returns its facts (variables, actions with parameters,
     * nextActions, invariants) as a Map, or a String saying why it does not load.
     */
    public Object describe(LogLine.Header h) {
        String err = load(h);
        return err != null ? err : described;
    }

    /**
     * Counters of the last check (fastAccepted/fastDeclined lines, conjunctsEvaluated/Skipped,
     * ambiguousSteps, maxFrontier), for benchmarks; empty when no spec is loaded.
     */
    public Map<String, Object> lastStats() {
        return evaluator == null ? Map.of() : evaluator.stats();
    }

    /**
     * Forgets the evaluator's caches of decoded values and memoised results, keeping the loaded
     * spec (and the JIT's work): for benchmarks, which must not credit a log checked before.
     */
    public void resetCaches() {
        if (evaluator != null) {
            evaluator.resetCaches();
        }
    }

    private void closeEvaluator() {
        if (evaluator != null) {
            evaluator.close();
        }
        evaluator = null;
        loadedKey = null;
    }

    @Override
    public void close() {
        closeEvaluator();
    }

    /** Accumulates what a verdict reports besides the failure itself. */
    private final class Progress {
        final LogLine.Header h;
        long steps;
        int firstAmbiguousLine;

        Progress(LogLine.Header h) {
            this.h = h;
        }

        Verdict.Ambiguity ambiguity() {
            if (!h.mode().equals("partial")) {
                return null;
            }
            Map<String, Object> st = evaluator.stats();
            return new Verdict.Ambiguity((Long) st.get("ambiguousSteps"), (Long) st.get("maxFrontier"),
                    firstAmbiguousLine);
        }

        Verdict refines(LogLine.End e) {
            return new Verdict(Verdict.Kind.REFINES, "every step is a step of " + h.spec()
                    + " and every invariant holds", 0, -1, null, null, null, null, steps, h.spec(), h.mode(),
                    ambiguity(), e.end() + (e.observed().isEmpty() ? "" : " " + e.observed().size() + " observed"));
        }

        @SuppressWarnings("unchecked")
        Verdict failure(Map<String, Object> f, LogLine.Step at) {
            String kind = (String) f.get("kind");
            String message = (String) f.get("message");
            Verdict.Kind k = switch (kind) {
                case "bad-input", "frontier", "spec-error" -> Verdict.Kind.BAD_INPUT;
                case "invariant" -> Verdict.Kind.VIOLATES;
                default -> Verdict.Kind.DIVERGES;
            };
            Verdict.Diagnosis d = null;
            if (k == Verdict.Kind.DIVERGES) {
                List<Verdict.Difference> diffs = new ArrayList<>();
                for (Object o : (List<Object>) f.getOrDefault("differs", List.of())) {
                    Map<String, Object> m = (Map<String, Object>) o;
                    diffs.add(new Verdict.Difference((String) m.get("variable"), (String) m.get("logged"),
                            (String) m.get("expected")));
                }
                d = new Verdict.Diagnosis((String) f.get("conjunct"), (String) f.get("conjunctLocation"),
                        (String) f.get("nearest"), diffs, (List<String>) f.getOrDefault("enabled", List.of()));
            }
            return new Verdict(k, message, at.line(), at.seq(), at.action(), new LinkedHashMap<>(at.args()),
                    (String) f.get("invariant"), d, steps, h.spec(), h.mode(), ambiguity(), null);
        }
    }
}
