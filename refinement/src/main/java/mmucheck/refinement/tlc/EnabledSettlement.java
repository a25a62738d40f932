package mmucheck.refinement.tlc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import tla2sany.semantic.OpDeclNode;
import tla2sany.semantic.OpDefNode;
import tlc2.tool.Action;
import tlc2.tool.TLCState;
import tlc2.util.Context;
import tlc2.value.impl.Value;
import util.UniqueString;

/**
 * ENABLED settlement: an invariant conjunct {@code P => ENABLED B} or {@code ENABLED B} of a
 * state the fast path reached is not evaluated there; it waits, and the next logged step that
 * is a step of one of B's witnesses ({@link EnabledWitnesses}) settles it. The counters say
 * how each was settled (see TlcBridge.stats).
 */
final class EnabledSettlement {
    /**
     * A state the fast path reached whose ENABLED conjuncts wait for a step of the agents to
     * settle them. Each keeps its line's bytes, to report a violation on that line.
     */
    private record Pending(TLCState state, int[] ids, long seq, byte[] line, List<Conjunct> conjuncts) {}

    /** At most this many pending states, oldest first (hardware steps in between settle nothing). */
    private static final int MAX_PENDING = 8;

    private final LoadedSpec spec;
    private final ConjunctMemo memo;
    private final ArrayDeque<Pending> pending = new ArrayDeque<>();
    private final List<Conjunct> deferNext = new ArrayList<>();
    long enabledWitnessed;
    long enabledAfterward;
    long enabledShown;
    long enabledRecalled;
    long enabledKept;
    long enabledEvaluated;

    EnabledSettlement(LoadedSpec spec, ConjunctMemo memo) {
        this.spec = spec;
        this.memo = memo;
    }

    void resetStats() {
        enabledWitnessed = 0;
        enabledAfterward = 0;
        enabledKept = 0;
        enabledShown = 0;
        enabledRecalled = 0;
        enabledEvaluated = 0;
    }

    boolean isEmpty() {
        return pending.isEmpty();
    }

    void clear() {
        pending.clear();
    }

    /** The list to collect a new state's deferred conjuncts in (emptied). */
    List<Conjunct> deferred() {
        deferNext.clear();
        return deferNext;
    }

    /** The state t (logged on {@code line[0, len)}) waits for the conjuncts deferred since {@link #deferred}. */
    void await(TLCState t, int[] tIds, long seq, byte[] line, int len) {
        if (!deferNext.isEmpty()) {
            pending.addLast(new Pending(t, tIds, seq, Arrays.copyOf(line, len), List.copyOf(deferNext)));
        }
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
    boolean settle(Action a, TLCState s, TLCState t) {
        for (Iterator<Pending> it = pending.iterator(); it.hasNext(); ) {
            if (settledBy(it.next(), a, s, t)) {
                it.remove();
            }
        }
        while (pending.size() > MAX_PENDING) {
            Pending p = pending.peekFirst();
            for (Conjunct c : p.conjuncts()) {
                enabledEvaluated++;
                if (!spec.tool.isValid(c.action(), p.state())) {
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
        ActionParts parts = memo.partsOf(a);
        TLCState u = p.state();
        BitSet changed = changed(u, s);
        if (parts.enabledDespite(changed)) {
            enabledKept++;
            return true;
        }
        // Enabled in a state with the same values of what a reads: enabled here.
        int[] reads = parts.enabledReads();
        TrueFacts facts = memo.facts;
        if (reads != null && facts.known(parts.enabledTag(), parts, reads, spec.vars, u, null, p.ids(), null)) {
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
        if (enabled && reads != null && !facts.known(parts.enabledTag(), parts, reads, spec.vars, u, null, p.ids(), null)) {
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
        OpDeclNode[] vars = spec.vars;
        TLCState alt = t.copy();
        for (int i = changed.nextSetBit(0); i >= 0; i = changed.nextSetBit(i + 1)) {
            if (parts.keeps(i)) {
                alt.bind(vars[i].getName(), u.lookup(vars[i].getName()));
            }
        }
        try {
            return parts.holds(spec.tool, u, alt, memo.facts, vars, null, null);
        } catch (RuntimeException e) {
            return false; // not shown this way: TLC's ENABLED decides
        }
    }

    /** The indices of the variables whose values differ in u and s (by identity: may say more). */
    private BitSet changed(TLCState u, TLCState s) {
        BitSet out = new BitSet();
        for (int i = 0; i < spec.vars.length; i++) {
            UniqueString n = spec.vars[i].getName();
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
            TLCState r = spec.tool.enabled(a.pred, Context.branch(a.con), u, tlc2.tool.TLCStateFun.Empty);
            return r != null;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean witnessed(Conjunct c, Action a) {
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
    Map<String, Object> dischargeByEvaluation() {
        while (!pending.isEmpty()) {
            Pending p = pending.removeFirst();
            for (Conjunct c : p.conjuncts()) {
                enabledEvaluated++;
                Map<String, Object> f = null;
                try {
                    if (!spec.tool.isValid(c.action(), p.state())) {
                        f = LoadedSpec.fail("invariant", "invariant " + c.owner() + " is violated");
                        f.put("invariant", c.owner());
                    }
                } catch (RuntimeException e) {
                    f = LoadedSpec.fail("spec-error", spec.oneLine(e));
                }
                if (f != null) {
                    pending.clear();
                    memo.forgetReference(); // it did not pass every conjunct
                    f.put("pendingSeq", p.seq());
                    f.put("pendingLine", p.line());
                    return f;
                }
            }
        }
        return null;
    }
}
