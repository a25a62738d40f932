package mmucheck.impl;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import mmucheck.impl.sched.Scheduler;
import mmucheck.impl.sched.Strategy;

/**
 * A scripted interleaving for tests: each entry names the agent to run next ("cpu0"), or a
 * hardware step ("tlb_fill(cpu0,1)"); once the script is used up, the first enabled program
 * agent in the fixed order runs (the hardware never does).
 */
final class Script implements Strategy {
    private final Deque<String> script;
    private String pendingHw;

    Script(String... steps) { this.script = new ArrayDeque<>(List.of(steps)); }

    @Override
    public String name() { return "script"; }

    @Override
    public int pickAgent(List<Scheduler.Agent> enabled, long step) {
        if (!script.isEmpty()) {
            String want = script.poll();
            boolean hw = want.contains("(");
            for (int i = 0; i < enabled.size(); i++) {
                Scheduler.Agent a = enabled.get(i);
                if (hw ? a.hardware() : a.name().equals(want)) {
                    pendingHw = hw ? want : null;
                    return i;
                }
            }
            throw new IllegalStateException("step " + step + ": " + want + " is not enabled");
        }
        for (int i = 0; i < enabled.size(); i++) if (!enabled.get(i).hardware()) return i;
        throw new IllegalStateException("step " + step + ": only the hardware can run");
    }

    @Override
    public int pickOption(int n, java.util.function.IntFunction<String> label) {
        for (int k = 0; k < n; k++) if (label.apply(k).equals(pendingHw)) return k;
        throw new IllegalStateException(pendingHw + " is not among the " + n + " hardware options");
    }
}
