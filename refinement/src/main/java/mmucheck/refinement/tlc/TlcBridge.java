package mmucheck.refinement.tlc;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tla2sany.semantic.ASTConstants;
import tla2sany.semantic.ExprOrOpArgNode;
import tla2sany.semantic.FormalParamNode;
import tla2sany.semantic.LetInNode;
import tla2sany.semantic.OpApplNode;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tla2sany.semantic.SemanticNode;
import tla2sany.semantic.SymbolNode;
import tla2sany.st.Location;
import tlc2.tool.Action;
import tlc2.tool.EvalControl;
import tlc2.tool.StateVec;
import tlc2.tool.TLCState;
import tlc2.tool.coverage.CostModel;
import tlc2.tool.impl.FastTool;
import tlc2.util.Context;
import tlc2.util.FP64;
import tlc2.value.impl.BoolValue;
import tlc2.value.impl.FcnRcdValue;
import tlc2.value.impl.IntValue;
import tlc2.value.impl.ModelValue;
import tlc2.value.impl.RecordValue;
import tlc2.value.impl.SetEnumValue;
import tlc2.value.impl.StringValue;
import tlc2.value.impl.TupleValue;
import tlc2.value.impl.Value;
import util.SimpleFilenameToStream;
import util.ToolIO;
import util.UniqueString;

/**
 * The only code that touches TLC. It is loaded by an isolated class loader (one per spec,
 * because TLC keeps process-global statics) and speaks to the rest of mmucheck through JDK
 * types only: values arrive as Long, Boolean, String, List (sequence), Set, Map (record or
 * function) and a one-element String[] (model value); results leave as Maps of JDK values.
 * Every public method catches TLC's exceptions and returns them as a failure map, because a
 * failure is a value here, not an exception crossing the loader boundary.
 *
 * <p>Failure maps carry {@code kind}: {@code bad-input}, {@code spec-error}, {@code init},
 * {@code divergence}, {@code invariant}, {@code frontier}; plus {@code message} and the
 * diagnosis fields documented on {@link #step}.
 */
public final class TlcBridge {
    /** Bound on the fast path's cache of resolved actions (a model has finitely many; a log may not). */
    private static final int MAX_CACHED_ACTIONS = 100_000;

    private LoadedSpec spec;
    private FastTool tool;
    private OpDeclNode[] vars;
    private Map<String, Integer> varIndex;
    private JdkValues values;
    private Diagnosis diagnosis;
    private StepGuard guard;
    /**
     * TypeOK and the invariants split into their conjuncts, each with the variables it reads:
     * every logged state is checked, but a conjunct none of whose variables changed since the
     * last state that passed them all ({@link #lastChecked}) is not evaluated again.
     */
    /**
     * {@code witnesses}: for a conjunct {@code P => ENABLED B} or {@code ENABLED B}, the keys of
     * the actions that imply B ({@link EnabledWitnesses}); null for any other conjunct. Such a
     * conjunct is not evaluated on a state the fast path reaches: a later step of a witness
     * action settles it (see {@link #settle}), else it is evaluated.
     */
    private record Conjunct(String owner, Action action, int[] deps, long depMask, int tag,
            Set<String> witnesses, Map<Action, Boolean> witnessedBy) {}
    /**
     * The conjuncts (of TypeOK, the invariants and the actions) known true on given values;
     * each conjunct has its own tag. {@link #currentIds}: the value ids of {@link #current},
     * when the fast path reached it (else null).
     */
    private final TrueFacts facts = new TrueFacts(17);
    private int nextTag;
    private int[] currentIds;
    /** Per cached Action: its {@link ActionParts}. */
    private final Map<Action, ActionParts> actionParts = new java.util.IdentityHashMap<>();
    private final List<Conjunct> typeConjuncts = new ArrayList<>();
    private final List<Conjunct> invConjuncts = new ArrayList<>();
    private TLCState lastChecked;
    /**
     * States the fast path reached whose ENABLED conjuncts wait for a step of the agents to
     * settle them, oldest first; at most {@value #MAX_PENDING} (hardware steps in between
     * settle nothing). Each keeps its line's bytes, to report a violation on that line.
     */
    private record Pending(TLCState state, int[] ids, long seq, byte[] line, List<Conjunct> conjuncts) {}

    private static final int MAX_PENDING = 8;
    private final java.util.ArrayDeque<Pending> pending = new java.util.ArrayDeque<>();
    private final List<Conjunct> deferNext = new ArrayList<>();
    private long enabledWitnessed;
    private long enabledAfterward;
    private long enabledShown;
    private long enabledRecalled;
    private long enabledKept;
    private long enabledEvaluated;
    /** The last first state that satisfied Init, and what each Init conjunct reads. */
    private TLCState lastInit;
    private int[][] initDeps;
    private long conjunctsEvaluated;
    private long conjunctsSkipped;
    private long fastAccepted;
    private long fastDeclined;
    private FastLines fast;
    private final Map<FastLines.ByteKey, Action> actionCache = new HashMap<>();
    private final FastLines.ByteKey probe = new FastLines.ByteKey();
    private byte[] keyBytes = new byte[256];
    private final int[] keyLen = new int[1];

    private TLCState current;
    private List<TLCState> frontier;
    private int maxFrontier = 1000;
    private int internalSteps;
    private boolean unloggedUnchanged = true;
    private long ambiguousSteps;
    private long maxFrontierSeen = 1;

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
            tool = spec.tool;
            vars = spec.vars;
            varIndex = spec.varIndex;
            values = new JdkValues(spec);
            diagnosis = new Diagnosis(spec);
            guard = new StepGuard(spec, diagnosis);
            if (spec.typeOk != null) {
                splitConjuncts("TypeOK", spec.typeOk.pred, typeConjuncts, 0);
            }
            for (int i = 0; i < spec.invariants.size(); i++) {
                splitConjuncts(spec.invNames.get(i), spec.invariants.get(i).pred, invConjuncts, 0);
            }
            return null;
        } catch (Throwable e) {
            return LoadedSpec.oneLine(toolOutput, e);
        }
    }

    /** Spec facts: variables, actions with their parameters, spec.invariants. */
    public Map<String, Object> describe() {
        return spec.describe();
    }

    public void configure(Integer maxFrontier, Integer internalSteps, Boolean unloggedUnchanged) {
        this.maxFrontier = maxFrontier;
        this.internalSteps = internalSteps;
        this.unloggedUnchanged = unloggedUnchanged;
    }

    /**
     * Forgets every cache of values and results (not the loaded spec, nor what was learnt of
     * the spec's actions: their resolution by name and arguments, their conjuncts and the
     * variables each reads): a benchmark measures a log with a warm JIT but without results
     * remembered from checking the same log before.
     */
    public void resetCaches() {
        fast = null;
        facts.clear();
        currentIds = null;
        lastChecked = null;
        pending.clear();
        lastInit = null;
        values.reset();
    }

    public Map<String, Object> stats() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ambiguousSteps", ambiguousSteps);
        m.put("maxFrontier", maxFrontierSeen);
        m.put("conjunctsEvaluated", conjunctsEvaluated);
        m.put("conjunctsSkipped", conjunctsSkipped);
        m.put("fastAccepted", fastAccepted);
        m.put("fastDeclined", fastDeclined);
        m.put("factsRecalled", facts.hits());
        m.put("enabledWitnessed", enabledWitnessed);
        m.put("enabledKept", enabledKept);
        m.put("enabledShown", enabledShown);
        m.put("enabledRecalled", enabledRecalled);
        m.put("enabledAfterward", enabledAfterward);
        m.put("enabledEvaluated", enabledEvaluated);
        return m;
    }

    // ------------------------------------------------------------------ checking

    /** The first state: full, must satisfy TypeOK (else bad input), Init and the spec.invariants. */
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
        ambiguousSteps = 0;
        fastAccepted = 0;
        fastDeclined = 0;
        conjunctsEvaluated = 0;
        conjunctsSkipped = 0;
        maxFrontierSeen = 1;
        enabledWitnessed = 0;
        enabledAfterward = 0;
        enabledKept = 0;
        enabledShown = 0;
        enabledRecalled = 0;
        enabledEvaluated = 0;
        facts.resetHits();
    }

    /**
     * Checks a first state s (ids: its value ids, or null) against TypeOK, Init and the
     * invariants, and makes it current; null, or the failure.
     */
    private Map<String, Object> initState(TLCState s, int[] ids) {
        if (!pending.isEmpty()) {
            // The last log stopped before its last states were settled: not a reference.
            pending.clear();
            lastChecked = null;
        }
        // lastChecked stays: a state of an earlier log of this spec that passed every conjunct
        // is as good a reference as any (a predicate's value depends only on the values).
        Map<String, Object> type = typeOn(s, ids);
        if (type != null) {
            return type;
        }
        if (initDeps == null) {
            initDeps = new int[spec.initConjuncts.length][];
            for (int i = 0; i < spec.initConjuncts.length; i++) {
                initDeps[i] = spec.initConjuncts[i].con == Context.Empty ? Syntax.stateDeps(spec.initConjuncts[i].pred, varIndex) : null;
            }
        }
        for (int i = 0; i < spec.initConjuncts.length; i++) {
            Action a = spec.initConjuncts[i];
            // Many logs of one scenario start alike: skip what the last initial state settled.
            if (lastInit != null && initDeps[i] != null && sameValues(initDeps[i], s, lastInit)) {
                continue;
            }
            if (!tool.isValid(a, s)) {
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
        moveTo(List.of(s), ids);
        Map<String, Object> inv = invariantsOn(s, ids);
        if (inv == null) {
            lastChecked = s;
        }
        return inv;
    }

    /**
     * The candidate states the log may be at, the first of them current; ids: the value ids
     * of a single candidate the fast reader read, else null (they must describe current).
     */
    private void moveTo(List<TLCState> candidates, int[] ids) {
        frontier = candidates;
        current = candidates.get(0);
        currentIds = candidates.size() == 1 ? ids : null;
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
        Map<String, Object> before = dischargeByEvaluation();
        if (before != null) {
            return before;
        }
        try {
            // One candidate and no internal steps: check the logged pair directly (fast path).
            // Otherwise (internal steps, several candidates, unlogged variables left free)
            // search successors, for full logs too, which then log every variable.
            boolean fast = internalSteps == 0 && frontier.size() == 1 && (!partial || unloggedUnchanged);
            if (fast) {
                TLCState s = frontier.get(0);
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
            return partialStep(action, args, state, stutter);
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
        if (internalSteps != 0 || frontier == null || frontier.size() != 1 || (partial && !unloggedUnchanged)) {
            return Boolean.FALSE;
        }
        try {
            FastLines lines = fastLines();
            if (!lines.parse(line, len) || lines.seq != seq || lines.stutter || (!partial && lines.logged != vars.length)) {
                return Boolean.FALSE;
            }
            TLCState s = frontier.get(0);
            TLCState t = lineState(partial ? s : null);
            int[] sIds = currentIds;
            int[] tIds = lineIds(sIds);
            keyBytes = lines.actionKey(keyBytes, keyLen);
            probe.set(keyBytes, 0, keyLen[0]);
            Action a = actionCache.get(probe);
            if (a == null) {
                Map<String, Value> args = lines.args();
                Object r = args == null ? null : spec.resolveValues(lines.action(), args);
                if (!(r instanceof Action)) {
                    return Boolean.FALSE;
                }
                a = (Action) r;
                if (actionCache.size() >= MAX_CACHED_ACTIONS) {
                    actionCache.clear();
                    actionParts.clear(); // keyed by the cached Actions: dropped with them
                    facts.clear();
                    for (Conjunct c : invConjuncts) {
                        c.witnessedBy().clear();
                    }
                }
                actionCache.put(probe.copy(), a);
            }
            deferNext.clear();
            if (firstFalse(typeConjuncts, t, true, null, tIds) >= 0 || !isValid(a, s, t, sIds, tIds)
                    || guard.guard(a, s, t) != null || !settle(a, s, t)
                    || firstFalse(invConjuncts, t, false, deferNext, tIds) >= 0) {
                return Boolean.FALSE;
            }
            moveTo(List.of(t), tIds);
            lastChecked = t; // it passed every conjunct above
            if (!deferNext.isEmpty()) {
                pending.addLast(new Pending(t, tIds, seq, java.util.Arrays.copyOf(line, len), List.copyOf(deferNext)));
            }
            return Boolean.TRUE;
        } catch (RuntimeException e) {
            return Boolean.FALSE;
        }
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

    /**
     * Settles pending ENABLED conjuncts with a fast-path step s -> t of action {@code a}, checked
     * already. When {@code a} implies the ENABLED's action B, s's conjunct holds (this step is
     * the witness), and an older pending state's holds if {@code a} was already enabled there
     * (TLC's ENABLED of this one action, far cheaper than of all of B); else it waits. A step
     * that is not one of B's (a TLB fill) settles nothing; past
     * {@value #MAX_PENDING} pending states the oldest is evaluated. False when that one is
     * false: it stays pending, and step() reports it on its line.
     */
    private boolean settle(Action a, TLCState s, TLCState t) {
        for (java.util.Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            if (settledBy(it.next(), a, s, t)) {
                it.remove();
            }
        }
        while (pending.size() > MAX_PENDING) {
            Pending p = pending.peekFirst();
            for (Conjunct c : p.conjuncts()) {
                enabledEvaluated++;
                if (!tool.isValid(c.action(), p.state())) {
                    return false;
                }
            }
            pending.removeFirst();
        }
        return true;
    }

    /** Whether the checked step s -> t of {@code a} shows every pending conjunct of p true. */
    private boolean settledBy(Pending p, Action a, TLCState s, TLCState t) {
        for (Conjunct c : p.conjuncts()) {
            if (!witnessed(c, a)) {
                return false;
            }
        }
        if (p.state() == s) {
            enabledWitnessed++;
            return true;
        }
        ActionParts parts = partsOf(a);
        TLCState u = p.state();
        BitSet changed = changed(u, s);
        if (parts.enabledDespite(changed)) {
            enabledKept++;
            return true;
        }
        // Enabled in a state with the same values of what a reads: enabled here.
        int[] reads = parts.enabledReads();
        if (reads != null && facts.known(parts.enabledTag(), parts, reads, vars, u, null, p.ids(), null)) {
            enabledRecalled++;
            return true;
        }
        boolean enabled;
        if (shownFrom(parts, u, t, changed)) {
            enabledShown++;
            enabled = true;
        } else {
            enabled = enabledAfterward(enabledIn(a, u));
        }
        // Asked again: the evaluations above used the facts too.
        if (enabled && reads != null && !facts.known(parts.enabledTag(), parts, reads, vars, u, null, p.ids(), null)) {
            facts.learn();
        }
        return enabled;
    }

    private boolean enabledAfterward(boolean enabled) {
        if (enabled) {
            enabledAfterward++;
        }
        return enabled;
    }

    /**
     * Whether the checked step to t, taken from u instead (t with what the action keeps
     * UNCHANGED as in u), is a step of the action: then it was enabled in u. Usually a TLB
     * fill in between changed only entries the step does not touch.
     */
    private boolean shownFrom(ActionParts parts, TLCState u, TLCState t, BitSet changed) {
        TLCState alt = t.copy();
        for (int i = changed.nextSetBit(0); i >= 0; i = changed.nextSetBit(i + 1)) {
            if (parts.keeps(i)) {
                alt.bind(vars[i].getName(), u.lookup(vars[i].getName()));
            }
        }
        try {
            return parts.holds(tool, u, alt, facts, vars, null, null);
        } catch (RuntimeException e) {
            return false; // not shown this way: TLC's ENABLED decides
        }
    }

    /** The indices of the variables whose values differ in u and s (by identity: may say more). */
    private BitSet changed(TLCState u, TLCState s) {
        BitSet out = new BitSet();
        for (int i = 0; i < vars.length; i++) {
            UniqueString n = vars[i].getName();
            if (u.lookup(n) != s.lookup(n)) {
                out.set(i);
            }
        }
        return out;
    }

    /** ENABLED a in state u (a's own arguments bound); an evaluation error counts as no. */
    private boolean enabledIn(Action a, TLCState u) {
        try {
            // As TLC evaluates ENABLED: a branched context, the next state built as a function.
            TLCState r = tool.enabled(a.pred, Context.branch(a.con), u, tlc2.tool.TLCStateFun.Empty);
            return r != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private boolean witnessed(Conjunct c, Action a) {
        Boolean w = c.witnessedBy().get(a);
        if (w == null) {
            OpDefNode def = a.getOpDef();
            Value[] argv = def == null ? null : LoadedSpec.boundArgs(a, def);
            w = argv != null && c.witnesses().contains(LoadedSpec.key(def.getName().toString(), argv));
            c.witnessedBy().put(a, w);
        }
        return w;
    }

    /**
     * The pending conjuncts evaluated on their states, oldest first (before a line the fast
     * path did not take, and at the end of the log): null, or the failure, with
     * {@code pendingSeq} and {@code pendingLine} (the bytes of the line that logged the state).
     */
    private Map<String, Object> dischargeByEvaluation() {
        while (!pending.isEmpty()) {
            Pending p = pending.removeFirst();
            for (Conjunct c : p.conjuncts()) {
                enabledEvaluated++;
                Map<String, Object> f = null;
                try {
                    if (!tool.isValid(c.action(), p.state())) {
                        f = LoadedSpec.fail("invariant", "invariant " + c.owner() + " is violated");
                        f.put("invariant", c.owner());
                    }
                } catch (RuntimeException e) {
                    f = LoadedSpec.fail("spec-error", spec.oneLine(e));
                }
                if (f != null) {
                    pending.clear();
                    lastChecked = null; // it did not pass every conjunct
                    f.put("pendingSeq", p.seq());
                    f.put("pendingLine", p.line());
                    return f;
                }
            }
        }
        return null;
    }

    /** The end of the log: what is still pending is evaluated (see dischargeByEvaluation). */
    public Map<String, Object> finish() {
        return dischargeByEvaluation();
    }

    /**
     * tool.isValid(a, s, t), conjunct by conjunct through {@link ActionParts} (sIds, tIds: the
     * states' value ids, or null). Each conjunct is recalled by the values it reads; a memo of
     * the whole action by all the values it reads (every variable, UNCHANGED ones included)
     * cost more in building and comparing its keys than it saved.
     */
    private boolean isValid(Action a, TLCState s, TLCState t, int[] sIds, int[] tIds) {
        return partsOf(a).holds(tool, s, t, facts, vars, sIds, tIds);
    }

    private ActionParts partsOf(Action a) {
        ActionParts p = actionParts.get(a);
        if (p == null) {
            p = ActionParts.of(a, varIndex, n -> Syntax.stateDeps(n, varIndex), () -> nextTag++);
            actionParts.put(a, p);
        }
        return p;
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
        if (!tool.isValid(a, s, t)) {
            return diagnosis.diagnose(a, s, t, "the logged step is not a step of " + LoadedSpec.label(a));
        }
        return guard.guard(a, s, t);
    }

    private Map<String, Object> partialStep(String action, Map<String, Object> args, Map<String, Object> state,
            boolean stutter) {
        Map<UniqueString, Value> logged = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : state.entrySet()) {
            Integer idx = varIndex.get(e.getKey());
            if (idx == null) {
                return LoadedSpec.fail("bad-input", "'" + e.getKey() + "' is not a variable of spec " + spec.module);
            }
            Object v = JdkValues.toValue(e.getValue(), e.getKey());
            if (v instanceof String) {
                return LoadedSpec.fail("bad-input", (String) v);
            }
            logged.put(vars[idx].getName(), (Value) v);
        }
        Action a = null;
        if (!stutter) {
            Object resolved = spec.resolve(action, args);
            if (resolved instanceof String) {
                return LoadedSpec.fail("bad-input", (String) resolved);
            }
            a = (Action) resolved;
        }
        // Up to K unlogged spec steps before the logged one.
        List<TLCState> sources = new ArrayList<>(frontier);
        Set<Long> seen = new HashSet<>();
        for (TLCState s : sources) {
            seen.add(s.fingerPrint());
        }
        List<TLCState> layer = new ArrayList<>(frontier);
        for (int k = 0; k < internalSteps && !layer.isEmpty(); k++) {
            List<TLCState> nextLayer = new ArrayList<>();
            for (TLCState s : layer) {
                for (Action any : tool.getActions()) {
                    StateVec succ = tool.getNextStates(any, s);
                    for (int i = 0; i < succ.size(); i++) {
                        TLCState u = succ.elementAt(i);
                        if (seen.add(u.fingerPrint())) {
                            nextLayer.add(u);
                            sources.add(u);
                            if (sources.size() > maxFrontier) {
                                return LoadedSpec.fail("frontier", "more than " + maxFrontier
                                        + " candidate states within " + internalSteps
                                        + " internal steps (raise --max-frontier or lower --internal-steps)");
                            }
                        }
                    }
                }
            }
            layer = nextLayer;
        }
        List<TLCState> next = new ArrayList<>();
        Set<Long> nextSeen = new HashSet<>();
        for (TLCState s : sources) {
            if (stutter) {
                if (matches(s, s, logged) && nextSeen.add(s.fingerPrint())) {
                    next.add(s);
                }
                continue;
            }
            StateVec succ = tool.getNextStates(a, s);
            for (int i = 0; i < succ.size(); i++) {
                TLCState u = succ.elementAt(i);
                if (matches(s, u, logged) && nextSeen.add(u.fingerPrint())) {
                    next.add(u);
                    if (next.size() > maxFrontier) {
                        return LoadedSpec.fail("frontier", "more than " + maxFrontier
                                + " candidate states fit the logged variables (raise --max-frontier)");
                    }
                }
            }
        }
        if (next.isEmpty()) {
            TLCState s = frontier.get(0);
            TLCState t = s.copy();
            for (Map.Entry<UniqueString, Value> e : logged.entrySet()) {
                t.bind(e.getKey(), e.getValue());
            }
            String why = (frontier.size() == 1 ? "" : "none of " + frontier.size() + " candidate states: ")
                    + "no successor by " + (a == null ? "stuttering" : LoadedSpec.label(a)) + " has the logged variables";
            if (a == null) {
                Map<String, Object> f = LoadedSpec.fail("divergence", why);
                f.put("differs", diagnosis.differs(t, s));
                return f;
            }
            return diagnosis.diagnose(a, s, t, why);
        }
        if (next.size() > 1) {
            ambiguousSteps++;
        }
        maxFrontierSeen = Math.max(maxFrontierSeen, next.size());
        moveTo(next, null);
        lastChecked = null; // TypeOK is not checked on TLC's own successors: the next state checks all
        Map<String, Object> inv = invariantCheck(next);
        if (inv == null && next.size() > 1) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("kind", "ambiguous");
            m.put("candidates", (long) next.size());
            return m;
        }
        return inv;
    }

    private boolean matches(TLCState before, TLCState after, Map<UniqueString, Value> logged) {
        for (OpDeclNode v : vars) {
            UniqueString n = v.getName();
            Value want = logged.get(n);
            if (want == null) {
                if (unloggedUnchanged && !after.lookup(n).equals(before.lookup(n))) {
                    return false;
                }
            } else if (!after.lookup(n).equals(want)) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ diagnosis

    // ------------------------------------------------------------------ invariants

    /** TypeOK on a logged state (every one), skipping conjuncts whose variables did not change. */
    private Map<String, Object> typeOn(TLCState t, int[] ids) {
        if (firstFalse(typeConjuncts, t, true, null, ids) < 0) {
            return null;
        }
        Map<String, Object> f = diagnosis.typeCheck(t);
        return f != null ? f : LoadedSpec.fail("bad-input", "value outside the model's sets: TypeOK is false");
    }

    /** The invariants on the one current state, skipping conjuncts whose variables did not change. */
    private Map<String, Object> invariantsOn(TLCState t, int[] ids) {
        int k = firstFalse(invConjuncts, t, false, null, ids);
        if (k < 0) {
            return null;
        }
        String name = invConjuncts.get(k).owner();
        Map<String, Object> f = LoadedSpec.fail("invariant", "invariant " + name + " is violated");
        f.put("invariant", name);
        return f;
    }

    /**
     * The index of the first conjunct false on t, or -1. A conjunct is skipped when every
     * variable it reads holds the very same value as in {@link #lastChecked}, which passed all
     * of them (the reader reuses a variable's Value object while its logged bytes are equal).
     * {@code errorIsFalse}: an evaluation error counts as false (TypeOK), else it propagates.
     */
    private int firstFalse(List<Conjunct> cs, TLCState t, boolean errorIsFalse) {
        return firstFalse(cs, t, errorIsFalse, null, null);
    }

    /**
     * {@code defer}: where to put the conjuncts with witnesses instead of evaluating them (or
     * null); {@code tIds}: t's value ids (or null).
     */
    private int firstFalse(List<Conjunct> cs, TLCState t, boolean errorIsFalse, List<Conjunct> defer, int[] tIds) {
        TLCState ref = lastChecked;
        long changed = ref == null || vars.length > Long.SIZE ? -1L : changedSince(t, ref);
        for (int k = 0; k < cs.size(); k++) {
            Conjunct c = cs.get(k);
            if (ref != null && c.deps() != null
                    && (vars.length <= Long.SIZE ? (c.depMask() & changed) == 0 : sameValues(c.deps(), t, ref))) {
                conjunctsSkipped++;
                continue;
            }
            if (defer != null && c.witnesses() != null) {
                defer.add(c); // not memoised: a later step settles it (see settle)
                continue;
            }
            // The same values (by identity) as a state this conjunct held on: it holds again.
            boolean memo = c.deps() != null;
            if (memo && facts.known(c.tag(), c.action(), c.deps(), vars, t, null, tIds, null)) {
                conjunctsSkipped++;
                continue;
            }
            conjunctsEvaluated++;
            boolean ok;
            try {
                ok = tool.isValid(c.action(), t);
            } catch (RuntimeException e) {
                if (!errorIsFalse) {
                    throw e;
                }
                ok = false;
            }
            if (!ok) {
                return k;
            }
            if (memo) {
                facts.learn();
            }
        }
        return -1;
    }

    private TLCState changedState;
    private TLCState changedRef;
    private long changedBits;

    /**
     * Bit i set when variable i holds another object in t than in ref (at most 64 variables);
     * kept for the last pair, as TypeOK and the invariants each ask for the same step.
     */
    private long changedSince(TLCState t, TLCState ref) {
        if (t != changedState || ref != changedRef) {
            long bits = 0;
            for (int i = 0; i < vars.length; i++) {
                UniqueString n = vars[i].getName();
                if (t.lookup(n) != ref.lookup(n)) {
                    bits |= 1L << i;
                }
            }
            changedState = t;
            changedRef = ref;
            changedBits = bits;
        }
        return changedBits;
    }

    /** deps as a bit mask (see changedSince); meaningless past 64 variables. */
    private static long mask(int[] deps) {
        long m = 0;
        if (deps != null) {
            for (int d : deps) {
                m |= 1L << d;
            }
        }
        return m;
    }

    private boolean sameValues(int[] deps, TLCState t, TLCState ref) {
        for (int d : deps) {
            UniqueString n = vars[d].getName();
            if (t.lookup(n) != ref.lookup(n)) {
                return false;
            }
        }
        return true;
    }

    /** Splits a state predicate into conjuncts (through zero-arity definitions that are conjunctions). */
    private void splitConjuncts(String owner, SemanticNode n, List<Conjunct> out, int depth) {
        if (depth < 16 && n instanceof OpApplNode app) {
            SymbolNode op = app.getOperator();
            String opName = op.getName().toString();
            if (opName.equals("$ConjList") || opName.equals("\\land")) {
                for (ExprOrOpArgNode arg : app.getArgs()) {
                    splitConjuncts(owner, arg, out, depth + 1);
                }
                return;
            }
            if (op instanceof OpDefNode d && d.getKind() == ASTConstants.UserDefinedOpKind && d.getArity() == 0
                    && Syntax.isConjunction(d.getBody())) {
                splitConjuncts(owner, d.getBody(), out, depth + 1);
                return;
            }
        }
        Set<String> witnesses = null;
        SemanticNode b = Syntax.enabledBody(n);
        if (b != null) {
            witnesses = EnabledWitnesses.of(tool, b);
        }
        int[] deps = Syntax.stateDeps(n, varIndex);
        out.add(new Conjunct(owner, new Action(n, Context.Empty), deps, mask(deps), nextTag++,
                witnesses == null || witnesses.isEmpty() ? null : witnesses, new java.util.IdentityHashMap<>()));
    }

    private Map<String, Object> invariantCheck(List<TLCState> candidates) {
        for (int i = 0; i < spec.invariants.size(); i++) {
            boolean allViolate = true;
            for (TLCState s : candidates) {
                if (tool.isValid(spec.invariants.get(i), s)) {
                    allViolate = false;
                    break;
                }
            }
            if (allViolate) {
                Map<String, Object> f = LoadedSpec.fail("invariant", "invariant " + spec.invNames.get(i) + " is violated");
                f.put("invariant", spec.invNames.get(i));
                return f;
            }
        }
        return null;
    }

    // ------------------------------------------------------------------ values and states


    // ------------------------------------------------------------------ syntax helpers

}
