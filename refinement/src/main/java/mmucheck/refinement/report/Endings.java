package mmucheck.refinement.report;

import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;

/** The last line of a counterexample diagram: what TLC found, in one plain sentence. */
public final class Endings {
    private Endings() {}

    /**
     * @param result the verdict's result ({@code violates:X}, {@code deadlock})
     * @param temporal whether X is a temporal property rather than an invariant
     */
    public static String forResult(String result, Trace t, boolean temporal) {
        return forResult(result, t, temporal, null);
    }

    /** @param meaning what the property says, in a sentence (from {@link PropertyMeaning}), or null */
    public static String forResult(String result, Trace t, boolean temporal, String meaning) {
        String s = sentence(result, t, temporal);
        return meaning == null ? s : s + " " + meaning;
    }

    private static String sentence(String result, Trace t, boolean temporal) {
        Trace a = Agents.attribute(t);
        int last = a.steps().size() - 1;
        String where = last <= 0 ? "the initial state" : "the state after step " + last + " (" + describe(a.steps().get(last)) + ")";
        if ("deadlock".equals(result)) {
            return "Deadlock: in " + where + " no action is enabled, and not every process has returned.";
        }
        if (result.startsWith("violates:")) {
            String name = result.substring("violates:".length());
            if (temporal) {
                String how = a.loopsBackTo() >= 0 ? "loops back to the state after step " + a.loopsBackTo() + " forever"
                        : "stutters forever after step " + last;
                return "Violated: temporal property " + name + " fails, because the behaviour " + how + ".";
            }
            String story = Explanations.of(name, t);
            return "Violated: invariant " + name + " is false in " + where + "." + (story == null ? "" : " " + story);
        }
        return result;
    }

    private static String describe(Step s) {
        return s.action() + (s.agent() == null ? "" : " by " + s.agent());
    }
}
