package mmucheck.refinement.engine;

import java.util.List;
import java.util.Map;

/**
 * TLC's evaluator for one spec, seen from outside the isolated class loader. Every type here
 * is a JDK type, so the implementation (mmucheck.refinement.tlc.TlcBridge, loaded by the
 * isolated loader) can be called through a proxy. Values: Long, Boolean, String, List
 * (sequence), Set, Map (record or function), one-element String[] (model value). Results:
 * null when the check passes, else a map with "kind" and "message" (see TlcBridge).
 */
public interface Evaluator extends AutoCloseable {
    /** Parses the spec; null when loaded, else a one-line message. */
    String load(String specCopyDir, String module, String cfgName, List<String> invariantCandidates);

    /** variables (List), actions (Map name -> parameter List), invariants (List). */
    Map<String, Object> describe();

    void configure(Integer maxFrontier, Integer internalSteps, Boolean unloggedUnchanged);

    Map<String, Object> init(Map<String, Object> state);

    /**
     * The first state from its line's bytes, as {@link #init} checks it: TRUE when it passes
     * everything; FALSE when the caller must decode the line and call {@link #init}, which
     * gives the verdict (a line the fast reader does not take, or any failure).
     */
    Boolean fastInit(byte[] line, Integer len);

    Map<String, Object> step(String action, Map<String, Object> args, Map<String, Object> state,
            Boolean partial, Boolean stutter);

    /**
     * The fast path for one step line, checked straight from its bytes ({@code line[0..len)}):
     * TRUE when it is a well-formed step line numbered {@code seq} that refines and keeps
     * every invariant (the step is then taken); FALSE when the caller must decode the line and
     * call {@link #step} instead, which gives the verdict and its diagnosis. FALSE changes
     * nothing but caches. Only used while one state is current and no internal steps are
     * allowed.
     */
    Boolean fastStep(byte[] line, Integer len, Long seq, Boolean partial);

    /**
     * The end of the log: checks what the fast path left pending (ENABLED conjuncts that a later
     * step of the agents would have settled, see tlc.EnabledSettlement). Null, or a failure; a failure of
     * such an earlier state (from here or from {@link #step}) carries {@code pendingSeq} (Long)
     * and {@code pendingLine} (byte[], that step line as logged).
     */
    Map<String, Object> finish();

    Map<String, Object> stats();

    /** Forgets cached values and memoised results (benchmarks: no credit for a log seen before). */
    void resetCaches();

    /** Releases the class loader and the private directory. Never throws. */
    @Override
    void close();
}
