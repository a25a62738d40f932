package mmucheck.spec.trace;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import mmucheck.spec.value.TlaValue;

/**
 * One step of a behaviour: the action taken (as the spec names it; {@code Init} for the initial
 * state), who took it (null when not known, e.g. in a TLC counterexample), its arguments by
 * formal parameter name (empty when not known), and the full state after the step.
 */
public record Step(String action, String agent, Map<String, TlaValue> args, Map<String, TlaValue> state) {
    /** The action name of an initial state. */
    public static final String INIT = "Init";

    public Step {
        java.util.Objects.requireNonNull(action);
        args = Collections.unmodifiableMap(new LinkedHashMap<>(args));
        state = Collections.unmodifiableMap(new LinkedHashMap<>(state));
    }

    public static Step of(String action, Map<String, TlaValue> state) {
        return new Step(action, null, Map.of(), state);
    }

    public Step withAgent(String a) {
        return new Step(action, a, args, state);
    }
}
