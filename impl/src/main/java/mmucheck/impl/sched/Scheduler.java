package mmucheck.impl.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntFunction;
import java.util.function.IntSupplier;

/**
 * A baton-passing scheduler over real threads. Each agent runs its code on its own thread,
 * but only the holder of the baton runs; every other agent is parked at a scheduling point
 * ({@link Agent#point}) with the name of the code point it waits at (the spec's pc) and a
 * guard saying whether its next step can run without blocking. When the running agent
 * reaches its next point, its step is over: the step is reported to the {@link StepSink}
 * (while no other agent can move, so the state it reads is the state after the step), the
 * enabled agents are computed, one is picked through the recorded {@link Choices}, and the
 * baton passes to it. So one step between two points is one atomic transition, and the
 * same choices give the same run.
 */
public final class Scheduler {
    /** Receives each finished step, with the state after it readable from the protocol objects. */
    public interface StepSink {
        void step(long seq, Step step);
    }

    /** How a run ended. */
    public enum EndKind { COMPLETED, STEP_LIMIT, DEADLOCK, DIVERGED, ERROR }

    public record End(EndKind kind, long steps, String reason) {}

    /** Unwinds an agent's thread when the run is over. */
    private static final class Halt extends RuntimeException {
        Halt() { super(null, null, false, false); }
    }

    /** One agent: a thread, its place in the fixed agent order, its pc and guard. */
    public final class Agent {
        private final String name;
        private final int index;
        private final boolean hardware;
        private final Consumer<Agent> body;
        private volatile Thread thread;
        private volatile boolean baton;
        /** Set while the thread is (about to be) parked: only then does handing it the baton unpark it. */
        private volatile boolean parked;
        private boolean started;
        private boolean exited;
        private String pc = "idle";
        private BooleanSupplier guard = () -> true;
        private Step pending;

        private Agent(String name, int index, boolean hardware, Consumer<Agent> body) {
            this.name = name;
            this.index = index;
            this.hardware = hardware;
            this.body = body;
        }

        public String name() { return name; }
        public int index() { return index; }
        public boolean hardware() { return hardware; }
        /** Where the agent is: the code point it is parked at, or runs from. */
        public String pc() { return pc; }
        public boolean exited() { return exited; }

        /**
         * A scheduling point: the current step ends here; the agent waits at code point
         * {@code where} until the scheduler picks it, which it does only while {@code guard} holds.
         */
        public void point(String where, BooleanSupplier guard) {
            this.pc = where;
            this.guard = guard;
            if (!started) {
                started = true;
                if (arrive()) { // the last to arrive makes the first choice
                    Agent first = choose();
                    if (first == null) throw new Halt();
                    if (first == this) {
                        baton = true;
                        return;
                    }
                    hand(first);
                }
                awaitBaton(this);
                return;
            }
            endStep(this);
            Agent next = choose();
            if (next == null) throw new Halt();
            if (next != this) {
                baton = false;
                hand(next);
                awaitBaton(this);
            }
        }

        /** Names the step being taken (logged when the agent reaches its next point). */
        public void step(String action, String param) {
            pending = new Step(name, action, param, 0);
        }

        /** A hardware step on behalf of CPU or device {@code who} at virtual page {@code va}. */
        public void hwStep(String who, String action, String param, int va) {
            pending = new Step(who, action, param, va);
        }

        /** Picks one of the {@code n} options of a hardware step, named by {@code label} (as {@code tlb_fill(cpu0,1)}). */
        public int pickOption(int n, IntFunction<String> label) {
            return decide(n, label, () -> strategy.pickOption(n, label));
        }

        /** The program is over: log the last step and hand the baton on for good. */
        public void exit() {
            pc = "idle";
            exited = true;
            if (!started) { // an empty program: nothing to log, nothing to hand on but the first choice
                started = true;
                if (arrive()) {
                    Agent first = choose();
                    if (first != null) hand(first);
                }
                return;
            }
            endStep(this);
            Agent next = choose();
            if (next != null) hand(next);
        }
    }

    private final List<Agent> agents = new ArrayList<>();
    private final List<Agent> enabled = new ArrayList<>();
    private final Strategy strategy;
    private final Choices choices;
    private final StepSink sink;
    private final long maxSteps;
    private long steps;
    private volatile boolean halted;
    private End end;
    /** Agents still to reach their first point; the last one to arrive starts the run. */
    private final AtomicInteger arriving = new AtomicInteger();

    public Scheduler(Strategy strategy, Choices choices, StepSink sink, long maxSteps) {
        this.strategy = strategy;
        this.choices = choices;
        this.sink = sink;
        this.maxSteps = maxSteps;
    }

    /** Adds an agent; {@code body} runs on its own thread and starts with a {@link Agent#point}. */
    public Agent add(String name, boolean hardware, Consumer<Agent> body) {
        Agent a = new Agent(name, agents.size(), hardware, body);
        agents.add(a);
        return a;
    }

    public List<Agent> agents() { return List.copyOf(agents); }

    /** The number of the step being taken (1 for the first). */
    public long currentStep() { return steps + 1; }

    /** Runs every agent to the end on threads of its own; returns how the run ended. */
    public End run() {
        try (AgentThreads threads = new AgentThreads()) {
            return run(threads);
        }
    }

    /** Runs every agent to the end on threads taken from {@code threads}; returns how the run ended. */
    public End run(AgentThreads threads) {
        // the run's threads need no hand-off from this one: each agent runs to its first
        // point, and the last to get there makes the first choice (one wake-up fewer per run)
        arriving.set(agents.size());
        for (Agent a : agents) {
            threads.start(() -> {
                a.thread = Thread.currentThread();
                runAgent(a);
            });
        }
        // every job returns only after the run has ended (the agent that ends it sets end, then
        // returns its thread to the pool): one wake-up of this thread per run, not two
        threads.awaitIdle();
        if (end == null) throw new IllegalStateException("every agent returned but the run did not end");
        return end;
    }

    /** An agent reached its first point (or exited before one); true for the last to do so. */
    private boolean arrive() {
        return arriving.decrementAndGet() == 0 && !halted;
    }

    private void runAgent(Agent a) {
        try {
            a.body.accept(a);
        } catch (Halt h) {
            // the run is over
        } catch (RuntimeException | Error e) {
            if (!a.started) arriving.decrementAndGet(); // the run is over: nobody makes the first choice
            finish(new End(EndKind.ERROR, steps, "internal error in " + a.name + " at " + a.pc + ": " + e));
        }
    }

    private void endStep(Agent me) {
        if (me.pending == null) {
            throw new IllegalStateException(me.name + " reached " + me.pc + " without naming its step");
        }
        steps++;
        Step s = me.pending;
        me.pending = null;
        sink.step(steps, s);
    }

    /** The next agent to run, or null when the run is over (then it has been finished). */
    private Agent choose() {
        if (halted) throw new Halt();
        boolean allDone = true;
        for (Agent a : agents) if (!a.hardware && !a.exited) allDone = false;
        if (allDone) return finish(new End(EndKind.COMPLETED, steps, null));
        if (steps >= maxSteps) return finish(new End(EndKind.STEP_LIMIT, steps, "step limit " + maxSteps));
        List<Agent> enabled = this.enabled;
        enabled.clear();
        for (Agent a : agents) if (!a.exited && a.guard.getAsBoolean()) enabled.add(a);
        if (enabled.isEmpty() || (enabled.size() == 1 && enabled.get(0).hardware && onlyHardwareLeft())) {
            StringBuilder b = new StringBuilder("deadlock:");
            for (Agent a : agents) if (!a.exited && !a.hardware) b.append(' ').append(a.name).append('@').append(a.pc);
            return finish(new End(EndKind.DEADLOCK, steps, b.toString()));
        }
        int k = decide(enabled.size(), i -> enabled.get(i).name, () -> strategy.pickAgent(enabled, steps + 1));
        return enabled.get(k);
    }

    /** Every program agent is blocked: the hardware alone would run forever. */
    private boolean onlyHardwareLeft() {
        for (Agent a : agents) if (!a.hardware && !a.exited && a.guard.getAsBoolean()) return false;
        return true;
    }

    private int decide(int n, IntFunction<String> label, IntSupplier pick) {
        int k = choices.decide(steps + 1, n, label, choices.isReplay() ? 0 : pick.getAsInt());
        if (k < 0) {
            finish(new End(EndKind.DIVERGED, steps, choices.divergence()));
            throw new Halt();
        }
        return k;
    }

    private Agent finish(End e) {
        if (!halted) {
            end = e;
            halted = true;
            // wake the agents still in the run to unwind; an exited one is back in its pool
            for (Agent a : agents) {
                if (a.thread != null && !a.exited) LockSupport.unpark(a.thread);
            }
        }
        return null;
    }

    /**
     * Passes the baton. The target is unparked only if it is parked (or about to be): an
     * agent still spinning in {@link #awaitBaton} sees the flag without a system call.
     */
    private void hand(Agent next) {
        next.baton = true;
        if (next.parked) LockSupport.unpark(next.thread);
    }

    /**
     * How long a waiting agent spins before it parks (0: it parks at once). A step takes a
     * few microseconds and the baton often comes back within a few steps, while parking and
     * being unparked costs a system call on each side and a wake-up latency. Bounded, and
     * only one agent spins at a time ({@link #spinner}), so a run never holds more than two
     * cores. Off by default: on the shared 2-core machine spinning cost more than it saved
     * (docs/impl.md).
     */
    private long spinNanos;

    /** Lets waiting agents spin up to {@code nanos} before parking (see {@link #spinNanos}). */
    public Scheduler spinBeforePark(long nanos) {
        this.spinNanos = Math.max(0, nanos);
        return this;
    }

    /** The one agent allowed to spin: the latest to start waiting. */
    private volatile Agent spinner;

    private void awaitBaton(Agent me) {
        if (!me.baton && spinNanos > 0) {
            spinner = me;
            long deadline = System.nanoTime() + spinNanos;
            for (int i = 1; !me.baton && !halted && spinner == me; i++) {
                Thread.onSpinWait();
                if ((i & 63) == 0 && System.nanoTime() > deadline) break;
            }
            if (spinner == me) spinner = null;
        }
        while (!me.baton) {
            if (halted) throw new Halt();
            // Dekker-style with hand(): parked is written before baton is read here, and baton
            // before parked is read there, so one of the two sees the other's write
            me.parked = true;
            if (!me.baton && !halted) LockSupport.park(this);
            me.parked = false;
        }
        if (halted) throw new Halt();
    }
}
