package mmucheck.impl.mm;

import java.util.List;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.sched.Scheduler;

/**
 * An agent's task: a user thread on a CPU (which also runs the kernel code of its system
 * calls, faults, reclaim, migration and KSM), a device or a KVM vCPU. Its fields are what
 * the kernel keeps on the stack of the call in progress (the fault address, the pages it
 * holds, the PT page it has locked, KVM's mmu_seq, whether the call is still on track),
 * kept here so the refinement mapping can read them; the program counter is the
 * scheduling point the task waits at.
 */
public final class Task {
    public enum Kind { CPU, DEVICE, VCPU }

    private final String name;
    private final Kind kind;
    private final List<Ins> program;
    Scheduler.Agent agent;

    /** How many instructions of the program are done. */
    int ip;
    // the call in progress (the spec's loc)
    int va;
    int page;
    int newPage;
    int ptp;
    long mmuSeq;
    boolean ok = true;

    /** Ghost: the newest store stamp this task has read or written. */
    long seen;
    /** Ghost, CPUs: the range of the MADV_DONTNEED in flight (0: none). */
    int zapLo;
    int zapHi;
    /** Ghost, CPUs: the (va, frame) translations this task's last zap saw and must have flushed. */
    final TreeSet<VaFrame> obl = new TreeSet<>();
    /** Ghost, CPUs: the (va, frame) translations this task's last MADV_FREE or mprotect(PROT_READ)
     *  cleaned or write-protected: nothing may store through them unseen once it returns. */
    final TreeSet<VaFrame> oblw = new TreeSet<>();

    public record VaFrame(int va, int frame) implements Comparable<VaFrame> {
        public int compareTo(VaFrame o) {
            return va != o.va ? Integer.compare(va, o.va) : Integer.compare(frame, o.frame);
        }
    }

    Task(String name, Kind kind, List<Ins> program) {
        this.name = name;
        this.kind = kind;
        this.program = program;
    }

    public String name() { return name; }
    public Kind kind() { return kind; }
    public List<Ins> program() { return program; }
    public int ip() { return ip; }
    public int va() { return va; }
    public int page() { return page; }
    public int newPage() { return newPage; }
    public int ptp() { return ptp; }
    public long mmuSeq() { return mmuSeq; }
    public boolean ok() { return ok; }
    public long seen() { return seen; }
    public TreeSet<VaFrame> obl() { return obl; }
    public TreeSet<VaFrame> oblw() { return oblw; }
    public String pc() { return agent == null ? "idle" : agent.pc(); }

    boolean busy() { return ip < program.size(); }

    Ins cur() { return program.get(ip); }

    /** The spec's parameter name for this task's own actions. */
    String param() {
        return switch (kind) { case CPU -> "c"; case DEVICE -> "d"; case VCPU -> "v"; };
    }

    /** The call in progress is over: forget its state (the spec's Locals0). */
    void resetLocals() {
        va = 0;
        page = 0;
        newPage = 0;
        ptp = 0;
        mmuSeq = 0;
        ok = true;
    }

    /** The instruction is done (the spec's Finish). */
    void finish() {
        ip++;
        resetLocals();
    }

    /** Waits at code point {@code where} until scheduled (only while {@code guard} holds). */
    void point(String where, BooleanSupplier guard) { agent.point(where, guard); }

    void point(String where) { agent.point(where, ALWAYS); }

    /** Names the step this task is taking: a spec action with the task's own parameter name. */
    void step(String action) { agent.step(action, param()); }

    /** A step whose spec action takes the generic agent parameter {@code a}. */
    void stepA(String action) { agent.step(action, "a"); }

    @Override
    public String toString() { return name; }

    static final BooleanSupplier ALWAYS = () -> true;
}
