package mmucheck.impl.sched;

import java.util.List;
import java.util.SplittableRandom;
import java.util.function.IntFunction;

/**
 * How the next agent is picked among the enabled ones. Every strategy draws from one
 * generator seeded by the run's seed; the scheduler records each decision in {@link Choices}.
 */
public interface Strategy {
    String name();

    /** Picks an index into {@code enabled} (agents in their fixed order) at step {@code step}. */
    int pickAgent(List<Scheduler.Agent> enabled, long step);

    /** Picks one of the {@code n} options of a hardware step, named by {@code label} (as {@code tlb_fill(cpu0,1)}). */
    int pickOption(int n, IntFunction<String> label);

    /** Random walk: every enabled agent equally likely. */
    static Strategy random(long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        return new Strategy() {
            public String name() { return "random"; }
            public int pickAgent(List<Scheduler.Agent> enabled, long step) { return r.nextInt(enabled.size()); }
            public int pickOption(int n, IntFunction<String> label) { return r.nextInt(n); }
        };
    }

    /**
     * PCT (Burckhardt et al., ASPLOS 2010) with depth d over about k steps: program agents get
     * distinct random priorities d..d+n-1; at d-1 random change points the running agent drops
     * to priority 1..d-1; the highest enabled priority runs. The hardware agent (always ready
     * to fill or evict) is not prioritised: it runs with probability 1/(enabled agents), as in
     * the random walk, so it can neither starve the program nor be starved.
     */
    static Strategy pct(long seed, int depth, long k, int nagents) {
        SplittableRandom r = new SplittableRandom(seed);
        int[] prio = new int[nagents];
        for (int i = 0; i < nagents; i++) prio[i] = depth + i;
        for (int i = nagents - 1; i > 0; i--) {
            int j = r.nextInt(i + 1);
            int t = prio[i]; prio[i] = prio[j]; prio[j] = t;
        }
        long[] change = new long[Math.max(0, depth - 1)];
        for (int i = 0; i < change.length; i++) change[i] = 1 + r.nextLong(Math.max(1, k));
        return new Strategy() {
            public String name() { return "pct"; }

            public int pickAgent(List<Scheduler.Agent> enabled, long step) {
                int hw = -1;
                for (int i = 0; i < enabled.size(); i++) if (enabled.get(i).hardware()) hw = i;
                if (hw >= 0 && (enabled.size() == 1 || r.nextInt(enabled.size()) == 0)) return hw;
                int best = -1;
                for (int i = 0; i < enabled.size(); i++) {
                    Scheduler.Agent a = enabled.get(i);
                    if (a.hardware()) continue;
                    if (best < 0 || prio[a.index()] > prio[enabled.get(best).index()]) best = i;
                }
                for (int i = 0; i < change.length; i++) {
                    if (change[i] == step) prio[enabled.get(best).index()] = i + 1;
                }
                return best;
            }

            public int pickOption(int n, IntFunction<String> label) { return r.nextInt(n); }
        };
    }
}
