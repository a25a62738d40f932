package mmucheck.refinement.tlc;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.OpDeclNode;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.util.Context;
import tlc2.value.impl.Value;
import util.ToolIO;

/**
 * The checker's side of the isolated class loader: the one class mmucheck calls (through the
 * JDK-only interface engine.Evaluator), loaded with TLC by a class loader of its own (one per
 * spec, because TLC keeps process-global statics), and with the classes of this package the
 * only code that touches TLC. It speaks through JDK types only: values arrive as Long,
 * Boolean, String, List (sequence), Set, Map (record or function) and a one-element String[]
 * (model value); results leave as Maps of JDK values. Every public method catches TLC's
 * exceptions and returns them as a failure map, because a failure is a value here, not an
 * exception crossing the loader boundary.
 *
 * <p>It puts the parts together, each with one job: {@link LoadedSpec} (the parsed spec and
 * the resolution of logged actions), {@link FastLines} (step lines read from their bytes),
 * {@link JdkValues} (decoded lines' values), {@link ConjunctMemo} (the conjuncts of TypeOK,
 * the invariants and the actions, skipped or recalled by the values they read),
 * {@link EnabledSettlement} (ENABLED conjuncts settled by later steps), {@link StepGuard}
 * (what isValid does not check), {@link Frontier} (the candidate states of a partial log) and
 * {@link Diagnosis} (why a check failed).
 *
 * <p>Failure maps carry {@code kind}: {@code bad-input}, {@code spec-error}, {@code init},
 * {@code divergence}, {@code invariant}, {@code frontier}; plus {@code message} and the
 * diagnosis fields documented on {@link #step}.
 */
public final class TlcBridge {
    /** Bound on the fast path's cache of resolved actions (a model has finitely many; a log may not). */
    private static final int MAX_CACHED_ACTIONS = 100_000;

    private LoadedSpec spec;
    private OpDeclNode[] vars;
    private JdkValues values;
    private Diagnosis diagnosis;
    private StepGuard guard;
    private ConjunctMemo memo;
    private EnabledSettlement enabled;
    private Frontier frontier;
    private int maxFrontier = 1000;
    private int internalSteps;
    private boolean unloggedUnchanged = true;

    /** The last first state that satisfied Init, and what each Init conjunct reads. */
    private TLCState lastInit;
    private int[][] initDeps;
    private long fastAccepted;
    private long fastDeclined;
    private FastLines fast;
    private final Map<ByteKey, Action> actionCache = new HashMap<>();
    private final ByteKey probe = new ByteKey();
    private byte[] keyBytes = new byte[256];
    private final int[] keyLen = new int[1];

    private final ByteArrayOutputStream toolOutput = new ByteArrayOutputStream();

    public TlcBridge() {}

    /**
     * Parses module {@code module} of {@code specCopyDir} with config {@code cfgName}.cfg
     * there. Returns null when loaded, else a one-line message.
     */
    public String load(String specCopyDir, String module, String cfgName, List<String> invariantCandidates) {
        PrintStream capture = new PrintStream(toolOutput, true, StandardCharsets.UTF_8);
        ToolIO.out = capture;
        ToolIO.err = capture;
        try {
            spec = new LoadedSpec(specCopyDir, module, cfgName, invariantCandidates, toolOutput);
            vars = spec.vars;
            values = new JdkValues(spec);
            diagnosis = new Diagnosis(spec);
            guard = new StepGuard(spec, diagnosis);
            memo = new ConjunctMemo(spec);
            enabled = new EnabledSettlement(spec, memo);
            frontier = new Frontier(spec, diagnosis, memo);
            frontier.configure(maxFrontier, internalSteps, unloggedUnchanged);
            return null;
        } catch (Throwable e) {
            return LoadedSpec.oneLine(toolOutput, e);
        }
    }

    /** Spec facts: variables, actions with their parameters, invariants. */
    public Map<String, Object> describe() {
        return spec.describe();
    }

    public void configure(Integer maxFrontier, Integer internalSteps, Boolean unloggedUnchanged) {
        this.maxFrontier = maxFrontier;
        this.internalSteps = internalSteps;
        this.unloggedUnchanged = unloggedUnchanged;
        if (frontier != null) {
            frontier.configure(maxFrontier, internalSteps, unloggedUnchanged);
        }
    }

    /**
     * Forgets every cache of values and results (not the loaded spec, nor what was learnt of
     * the spec's actions: their resolution by name and arguments, their conjuncts and the
     * variables each reads): a benchmark measures a log with a warm JIT but without results
     * remembered from checking the same log before.
     */
    public void resetCaches() {
        fast = null;
        lastInit = null;
        if (spec != null) {
            memo.resetCaches();
            frontier.forgetIds();
            enabled.clear();
            values.reset();
        }
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ambiguousSteps", frontier.ambiguousSteps);
        m.put("maxFrontier", frontier.maxFrontierSeen);
        m.put("conjunctsEvaluated", memo.conjunctsEvaluated);
        m.put("conjunctsSkipped", memo.conjunctsSkipped);
        m.put("fastAccepted", fastAccepted);
        m.put("fastDeclined", fastDeclined);
        m.put("factsRecalled", memo.facts.hits());
        m.put("enabledWitnessed", enabled.enabledWitnessed);
        m.put("enabledKept", enabled.enabledKept);
        m.put("enabledShown", enabled.enabledShown);
        m.put("enabledRecalled", enabled.enabledRecalled);
        m.put("enabledAfterward", enabled.enabledAfterward);
        m.put("enabledEvaluated", enabled.enabledEvaluated);
        return m;
    }

    // ------------------------------------------------------------------ checking

    /** The first state: full, must satisfy TypeOK (else bad input), Init and the invariants. */
    public Map<String, Object> init(Map<String, Object> state) {
        resetStats();
        try {
            Object t = values.toState(state, null);
            if (t instanceof String) {
                return LoadedSpec.fail("bad-input", (String) t);
            }
            return initState((TLCState) t, null);
        } catch (RuntimeException e) {
            return LoadedSpec.fail("spec-error", spec.oneLine(e));
        }
    }

    public Boolean fastInit(byte[] line, Integer len) {
        resetStats();
        try {
            FastLines lines = fastLines();
            if (!lines.parse(line, len) || lines.seq != 0 || lines.stutter || lines.logged != vars.length
                    || !"Init".equals(lines.action())) {
                return Boolean.FALSE;
            }
            Map<String, Value> args = lines.args();
            if (args == null || !args.isEmpty()) {
                return Boolean.FALSE;
            }
            return initState(lineState(null), lineIds(null)) == null;
        } catch (RuntimeException e) {
            return Boolean.FALSE;
        }
    }

    /** The per-log counters (both first-state routes start a log). */
    private void resetStats() {
        fastAccepted = 0;
        fastDeclined = 0;
        frontier.resetStats();
        memo.resetStats();
        enabled.resetStats();
    }

    /**
     * Checks a first state s (ids: its value ids, or null) against TypeOK, Init and the
     * invariants, and makes it current; null, or the failure.
     */
    private Map<String, Object> initState(TLCState s, int[] ids) {
        if (!enabled.isEmpty()) {
            // The last log stopped before its last states were settled: not a reference.
            enabled.clear();
            memo.forgetReference();
        }
        // The reference stays: a state of an earlier log of this spec that passed every
        // conjunct is as good a reference as any (a predicate's value depends only on the values).
        Map<String, Object> type = typeOn(s, ids);
        if (type != null) {
            return type;
        }
        Action[] init = spec.initConjuncts;
        if (initDeps == null) {
            initDeps = new int[init.length][];
            for (int i = 0; i < init.length; i++) {
                initDeps[i] = init[i].con == Context.Empty ? Syntax.stateDeps(init[i].pred, spec.varIndex) : null;
            }
        }
        for (int i = 0; i < init.length; i++) {
            Action a = init[i];
            // Many logs of one scenario start alike: skip what the last initial state settled.
            if (lastInit != null && initDeps[i] != null && memo.sameValues(initDeps[i], s, lastInit)) {
                continue;
            }
            if (!spec.tool.isValid(a, s)) {
                Map<String, Object> f = LoadedSpec.fail("init", "the first state does not satisfy Init");
                f.put("conjunct", diagnosis.sourceText(a.pred));
                f.put("conjunctLocation", diagnosis.location(a.pred));
                return f;
            }
        }
        lastInit = s;
        return enter(s, ids);
    }

    /**
     * Makes s the one current state (ids: its value ids, or null) and checks the invariants
     * on it; null, or the failure. A state that passes them all is the reference for
     * skipping unchanged conjuncts.
     */
    private Map<String, Object> enter(TLCState s, int[] ids) {
        frontier.moveTo(List.of(s), ids);
        Map<String, Object> inv = invariantsOn(s, ids);
        if (inv == null) {
            memo.passed(s);
        }
        return inv;
    }

    /**
     * One logged transition. {@code state} is the state after the step: every variable
     * ({@code partial} false) or some ({@code partial} true). Returns null when the step
     * refines, else a failure map; a divergence carries {@code conjunct},
     * {@code conjunctLocation}, {@code differs} (a list of {variable, logged, expected}),
     * {@code nearest} (the action label of the nearest legal successor) and {@code enabled}.
     */
    public Map<String, Object> step(String action, Map<String, Object> args, Map<String, Object> state,
            Boolean partial, Boolean stutter) {
        Map<String, Object> before = enabled.dischargeByEvaluation();
        if (before != null) {
            return before;
        }
        try {
            // One candidate and no internal steps: check the logged pair directly (fast path).
            // Otherwise (internal steps, several candidates, unlogged variables left free)
            // search successors, for full logs too, which then log every variable.
            if (frontier.direct(partial)) {
                TLCState s = frontier.single();
                Object t = values.toState(state, partial ? s : null);
                if (t instanceof String) {
                    return LoadedSpec.fail("bad-input", (String) t);
                }
                Map<String, Object> f = checkPair(action, args, s, (TLCState) t, stutter);
                if (f != null) {
                    return f;
                }
                return enter((TLCState) t, null);
            }
            return frontier.partialStep(action, args, state, stutter);
        } catch (RuntimeException e) {
            return LoadedSpec.fail("spec-error", spec.oneLine(e));
        }
    }

    /** TypeOK first: a value outside the model's sets is bad input, whatever else is wrong. */
    private Map<String, Object> checkPair(String action, Map<String, Object> args, TLCState s, TLCState t,
            boolean stutter) {
        Map<String, Object> type = typeOn(t, null);
        if (type != null) {
            return type;
        }
        return checkLegal(action, args, s, t, stutter);
    }

    private Map<String, Object> checkLegal(String action, Map<String, Object> args, TLCState s, TLCState t,
            boolean stutter) {
        if (stutter) {
            List<Object> differs = diagnosis.differs(t, s);
            if (!differs.isEmpty()) {
                Map<String, Object> f = LoadedSpec.fail("divergence", "a step marked stutter changes spec variables");
                f.put("differs", differs);
                return f;
            }
            return null;
        }
        Object resolved = spec.resolve(action, args);
        if (resolved instanceof String) {
            return LoadedSpec.fail("bad-input", (String) resolved);
        }
        Action a = (Action) resolved;
        if (!spec.tool.isValid(a, s, t)) {
            return diagnosis.diagnose(a, s, t, "the logged step is not a step of " + LoadedSpec.label(a));
        }
        return guard.guard(a, s, t);
    }

    /**
     * The fast path (see Evaluator.fastStep): the line read by {@link FastLines}, its action
     * resolved from a cache keyed by the bytes of the action and arguments, then the same
     * checks as {@link #step} in the same order. Any doubt or failure returns FALSE having
     * changed nothing but caches; step() then decides and explains.
     */
    public Boolean fastStep(byte[] line, Integer len, Long seq, Boolean partial) {
        Boolean ok = fastStep0(line, len, seq, partial);
        if (ok) {
            fastAccepted++;
        } else {
            fastDeclined++;
        }
        return ok;
    }

    private Boolean fastStep0(byte[] line, int len, long seq, boolean partial) {
        if (frontier == null || !frontier.direct(partial)) {
            return Boolean.FALSE;
        }
        try {
            FastLines lines = fastLines();
            if (!lines.parse(line, len) || lines.seq != seq || lines.stutter || (!partial && lines.logged != vars.length)) {
                return Boolean.FALSE;
            }
            TLCState s = frontier.single();
            TLCState t = lineState(partial ? s : null);
            int[] sIds = frontier.singleIds();
            int[] tIds = lineIds(sIds);
            Action a = cachedAction(lines);
            if (a == null) {
                return Boolean.FALSE;
            }
            List<Conjunct> defer = enabled.deferred();
            if (memo.firstFalse(memo.typeConjuncts, t, true, null, tIds) >= 0 || !memo.isValid(a, s, t, sIds, tIds)
                    || guard.guard(a, s, t) != null || !enabled.settle(a, s, t)
                    || memo.firstFalse(memo.invConjuncts, t, false, defer, tIds) >= 0) {
                return Boolean.FALSE;
            }
            frontier.moveTo(List.of(t), tIds);
            memo.passed(t); // it passed every conjunct above
            enabled.await(t, tIds, seq, line, len);
            return Boolean.TRUE;
        } catch (RuntimeException e) {
            return Boolean.FALSE;
        }
    }

    /** The line's action, resolved once per distinct bytes of action name and arguments; or null. */
    private Action cachedAction(FastLines lines) {
        keyBytes = lines.actionKey(keyBytes, keyLen);
        probe.set(keyBytes, 0, keyLen[0]);
        Action a = actionCache.get(probe);
        if (a == null) {
            Map<String, Value> args = lines.args();
            Object r = args == null ? null : spec.resolveValues(lines.action(), args);
            if (!(r instanceof Action)) {
                return null;
            }
            a = (Action) r;
            if (actionCache.size() >= MAX_CACHED_ACTIONS) {
                actionCache.clear();
                memo.forgetActions(); // keyed by the cached Actions: dropped with them
            }
            actionCache.put(probe.copy(), a);
        }
        return a;
    }

    /** The fast reader, made on first use (resetCaches drops it with its values and ids). */
    private FastLines fastLines() {
        if (fast == null) {
            fast = new FastLines(vars, Integer.MAX_VALUE / 4);
        }
        return fast;
    }

    /** The state the fast reader's last line logged: base (or nothing) with its variables bound. */
    private TLCState lineState(TLCState base) {
        TLCState t = base == null ? TLCState.Empty.createEmpty() : base.copy();
        for (int i = 0; i < vars.length; i++) {
            Value v = fast.values[i];
            if (v != null) {
                t.bind(vars[i].getName(), v);
            }
        }
        return t;
    }

    /** t's value ids: the line's, and s's where a partial line leaves a variable out; or null. */
    private int[] lineIds(int[] sIds) {
        int[] ids = new int[vars.length];
        for (int i = 0; i < vars.length; i++) {
            if (fast.values[i] != null) {
                ids[i] = fast.ids[i];
            } else if (sIds != null) {
                ids[i] = sIds[i]; // t has s's Value object there
            } else {
                return null;
            }
        }
        return ids;
    }

    /** The end of the log: what is still pending is evaluated (see EnabledSettlement). */
    public Map<String, Object> finish() {
        return enabled.dischargeByEvaluation();
    }

    // ------------------------------------------------------------------ invariants

    /** TypeOK on a logged state (every one), skipping conjuncts whose variables did not change. */
    private Map<String, Object> typeOn(TLCState t, int[] ids) {
        if (memo.firstFalse(memo.typeConjuncts, t, true, null, ids) < 0) {
            return null;
        }
        Map<String, Object> f = diagnosis.typeCheck(t);
        return f != null ? f : LoadedSpec.fail("bad-input", "value outside the model's sets: TypeOK is false");
    }

    /** The invariants on the one current state, skipping conjuncts whose variables did not change. */
    private Map<String, Object> invariantsOn(TLCState t, int[] ids) {
        int k = memo.firstFalse(memo.invConjuncts, t, false, null, ids);
        if (k < 0) {
            return null;
        }
        String name = memo.invConjuncts.get(k).owner();
        Map<String, Object> f = LoadedSpec.fail("invariant", "invariant " + name + " is violated");
        f.put("invariant", name);
        return f;
    }
}
