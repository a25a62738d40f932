package mmucheck.refinement.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaValue;

/**
 * Who took each step of a trace. A logged step names its agent; for a TLC counterexample it is
 * inferred: the key of the agent-indexed {@code pc} (else {@code ip}, the instruction counter)
 * whose value changed, else (a hardware fill or evict) the CPU key of {@code tlb} or the device
 * key of {@code iotlb} that changed.
 */
public final class Agents {
    /** The lane of steps whose agent cannot be told. */
    public static final String UNKNOWN = "other";

    private static final Pattern NAME = Pattern.compile("([A-Za-z_]*?)(\\d*)");
    private static final List<String> ORDER = List.of("cpu", "t", "thread", "kthread", "dev_thread", "dev", "vcpu");

    private Agents() {}

    /** The trace with every step after the first given an agent. */
    public static Trace attribute(Trace t) {
        List<Step> out = new ArrayList<>();
        for (int i = 0; i < t.steps().size(); i++) {
            Step s = t.steps().get(i);
            if (i == 0 || s.agent() != null) {
                out.add(s);
            } else {
                Inferred a = infer(t.steps().get(i - 1).state(), s.state());
                out.add(s.withAgent(a.agent()));
            }
        }
        return new Trace(out, t.loopsBackTo(), t.stutters());
    }

    /** True when the step's agent was inferred from a TLB or IOTLB change rather than a pc. */
    public static boolean isHardware(Step before, Step step) {
        return infer(before.state(), step.state()).hardware();
    }

    record Inferred(String agent, boolean hardware) {}

    static Inferred infer(Map<String, TlaValue> before, Map<String, TlaValue> after) {
        // The program state: where the agent is (pc), or how far through its program (ip).
        for (String prog : List.of("pc", "ip")) {
            String k = changedKey(before.get(prog), after.get(prog));
            if (k != null) {
                return new Inferred(k, false);
            }
        }
        for (String hw : List.of("tlb", "iotlb")) {
            String k = changedKey(before.get(hw), after.get(hw));
            if (k != null) {
                return new Inferred(k, true);
            }
        }
        return new Inferred(UNKNOWN, false);
    }

    private static String changedKey(TlaValue a, TlaValue b) {
        if (a == null || b == null || a.equals(b)) {
            return null;
        }
        Map<TlaValue, TlaValue> ga = TlaValue.graph(a);
        Map<TlaValue, TlaValue> gb = TlaValue.graph(b);
        if (ga == null || gb == null) {
            return null;
        }
        for (var e : gb.entrySet()) {
            if (!e.getValue().equals(ga.get(e.getKey()))) {
                return Change.key(e.getKey());
            }
        }
        return null;
    }

    /** Lanes in kernel-diagram order: CPUs, threads, devices, vCPUs, then anything else; numbers numerically. */
    public static List<String> lanes(Trace t) {
        List<String> names = new ArrayList<>();
        for (int i = 1; i < t.steps().size(); i++) {
            String a = t.steps().get(i).agent();
            if (a != null && !names.contains(a)) {
                names.add(a);
            }
        }
        names.sort(ORDERING);
        return names;
    }

    static final Comparator<String> ORDERING = Comparator.<String>comparingInt(a -> {
        Matcher m = NAME.matcher(a);
        int i = m.matches() ? ORDER.indexOf(m.group(1)) : -1;
        return a.equals(UNKNOWN) ? ORDER.size() + 1 : i < 0 ? ORDER.size() : i;
    }).thenComparing(a -> {
        Matcher m = NAME.matcher(a);
        return m.matches() ? m.group(1) : a;
    }).thenComparingLong(a -> {
        Matcher m = NAME.matcher(a);
        return m.matches() && !m.group(2).isEmpty() && m.group(2).length() < 18 ? Long.parseLong(m.group(2)) : 0;
    }).thenComparing(a -> a);
}
