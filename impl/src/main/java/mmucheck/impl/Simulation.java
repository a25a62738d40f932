package mmucheck.impl;


import java.io.OutputStream;
import java.util.List;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.mm.Machine;
import mmucheck.impl.mm.Mm;
import mmucheck.impl.mm.Observation;
import mmucheck.impl.mm.SpecMapping;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.impl.sched.AgentThreads;
import mmucheck.impl.sched.Choices;
import mmucheck.impl.sched.Scheduler;
import mmucheck.impl.sched.Strategy;
import mmucheck.impl.trace.TraceWriter;

/** One run of the implementation on a scenario under the controlled scheduler, optionally logged. */
public final class Simulation {
    private Simulation() {}

    /** What to run. {@code replay} non-null: replay that choice stream instead of a strategy. */
    public record Config(Scenario scenario, Variant variant, long seed, long maxSteps, String strategy,
                         int pctDepth, boolean partial, List<Choices.Choice> replay, Bugs bugs) {
        public Config(Scenario scenario, Variant variant, long seed, long maxSteps, String strategy,
                      int pctDepth, boolean partial, List<Choices.Choice> replay) {
            this(scenario, variant, seed, maxSteps, strategy, pctDepth, partial, replay, Bugs.NONE);
        }

        public Config {
            java.util.Objects.requireNonNull(bugs);
            if (!strategy.equals("random") && !strategy.equals("pct")) {
                throw new IllegalArgumentException("strategy must be random or pct: " + strategy);
            }
        }

        public static Config of(Scenario s, Variant v, long seed, long maxSteps) {
            return new Config(s, v, seed, maxSteps, "random", 3, false, null);
        }

        /** The same run with the injected bugs {@code b} (mutation tests only). */
        public Config withBugs(Bugs b) { return new Config(scenario, variant, seed, maxSteps, strategy, pctDepth, partial, replay, b); }
        public Config withSeed(long s) { return new Config(scenario, variant, s, maxSteps, strategy, pctDepth, partial, replay, bugs); }

        public Config withStrategy(String st) { return new Config(scenario, variant, seed, maxSteps, st, pctDepth, partial, replay, bugs); }
        public Config withPartial(boolean p) { return new Config(scenario, variant, seed, maxSteps, strategy, pctDepth, p, replay, bugs); }
        public Config withReplay(List<Choices.Choice> r) { return new Config(scenario, variant, seed, maxSteps, strategy, pctDepth, partial, r, bugs); }

        public String strategyName() { return replay != null ? "replay" : strategy; }
    }

    /**
     * How the run ended: end is "completed", "failed" (the run-time watch observed something)
     * or "aborted" (step limit, deadlock, replay divergence, internal error; see reason).
     */
    public record Result(String end, Scheduler.EndKind kind, long steps, List<Observation> observed, String reason,
                         List<Choices.Choice> choices) {
        public boolean failed() { return end.equals("failed"); }

        /** The recorded choice stream as text (the --choices file). */
        public String choicesText() { return Choices.text(choices); }
        public boolean diverged() { return kind == Scheduler.EndKind.DIVERGED; }
    }

    /** Runs {@code c}; logs to {@code out} unless it is null. */
    public static Result run(Config c, OutputStream out) {
        return run(c, out, null);
    }

    /** Runs {@code c} on threads kept by the caller between runs (null: threads of its own). */
    public static Result run(Config c, OutputStream out, AgentThreads threads) {
        int nagents = c.scenario().agents().size() + 1;
        Strategy strategy = c.strategy().equals("pct")
                ? Strategy.pct(c.seed(), c.pctDepth(), Math.max(1, Math.min(c.maxSteps(), 200)), nagents)
                : Strategy.random(c.seed());
        return run(c, strategy, out, threads);
    }

    /** Runs {@code c} under a given strategy (tests script interleavings this way). */
    public static Result run(Config c, Strategy strategy, OutputStream out) {
        return run(c, strategy, out, null);
    }

    private static Result run(Config c, Strategy strategy, OutputStream out, AgentThreads threads) {
        Mm mm = new Mm(c.scenario(), c.variant(), c.bugs());
        Machine machine = new Machine(mm);
        Choices choices = c.replay() != null ? Choices.replaying(c.replay()) : Choices.recording();
        TraceWriter w = out == null ? null : new TraceWriter(out, new SpecMapping(mm), c.partial());
        Scheduler sched = new Scheduler(strategy, choices, w == null ? (seq, s) -> {} : w::step, c.maxSteps());
        machine.register(sched);
        if (w != null) {
            java.util.Map<String, Object> k = new java.util.LinkedHashMap<>();
            k.put("Scenario", c.scenario().name());
            k.putAll(c.variant().constants());
            k.put("MixedSeed", c.scenario().mixedSeed());
            // only a mixed log names its length: older logs and the fixed scenarios leave it to
            // the spec's default (SpecSource.cfg), so their headers stay as they were
            if (c.scenario().name().equals(Scenarios.MIXED)) k.put("MixedLength", c.scenario().mixedLength());
            w.header(k, c.seed(), c.strategyName());
            w.init();
        }
        Scheduler.End e = threads == null ? sched.run() : sched.run(threads);
        String reason = e.reason();
        if (e.kind() == Scheduler.EndKind.COMPLETED && c.replay() != null && !choices.replayExhausted()) {
            reason = "replay diverged at step " + (e.steps() + 1) + ": the run completed but the recorded stream goes on";
            e = new Scheduler.End(Scheduler.EndKind.DIVERGED, e.steps(), reason);
        }
        List<Observation> obs = mm.observed();
        String end = !obs.isEmpty() ? "failed" : e.kind() == Scheduler.EndKind.COMPLETED ? "completed" : "aborted";
        if (w != null) {
            w.end(end, e.steps(), obs, e.kind() == Scheduler.EndKind.COMPLETED ? null : reason);
            w.close();
        }
        return new Result(end, e.kind(), e.steps(), obs, reason, choices.recorded());
    }
}
