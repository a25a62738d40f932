package mmucheck.spec.trace;

import java.util.List;

/**
 * A behaviour as data: its steps (the first is the initial state) and, for a counterexample,
 * what it violates and how its end should be read.
 *
 * @param steps the states, first one initial
 * @param loopsBackTo for a liveness counterexample that is a lasso, the 0-based index of the
 *     step the last one returns to; -1 for none
 * @param stutters true when the behaviour ends by stuttering forever (liveness)
 */
public record Trace(List<Step> steps, int loopsBackTo, boolean stutters) {
    public Trace {
        steps = List.copyOf(steps);
    }

    public static Trace of(List<Step> steps) {
        return new Trace(steps, -1, false);
    }

    /** The variables, in the order of the first state. */
    public List<String> vars() {
        return steps.isEmpty() ? List.of() : List.copyOf(steps.get(0).state().keySet());
    }
}
