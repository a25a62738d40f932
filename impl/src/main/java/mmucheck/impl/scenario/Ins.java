package mmucheck.impl.scenario;

/**
 * One instruction of an agent's program, as Scenarios.tla's {@code Ins(op, lo, hi)}:
 * {@code lo = hi} = the virtual page for single-page operations.
 */
public record Ins(Op op, int lo, int hi) {
    public static Ins load(int va) { return new Ins(Op.LOAD, va, va); }
    public static Ins store(int va) { return new Ins(Op.STORE, va, va); }
    public static Ins dontNeed(int lo, int hi) { return new Ins(Op.MADVISE_DONTNEED, lo, hi); }
    public static Ins migrate(int va) { return new Ins(Op.MIGRATE, va, va); }
    public static Ins swapOut(int va) { return new Ins(Op.SWAP_OUT, va, va); }
    public static Ins ksm(int va) { return new Ins(Op.KSM, va, va); }
    public static Ins madvFree(int lo, int hi) { return new Ins(Op.MADVISE_FREE, lo, hi); }
    public static Ins protRead(int lo, int hi) { return new Ins(Op.MPROTECT_RO, lo, hi); }
    public static Ins reclaim(int lo, int hi) { return new Ins(Op.RECLAIM, lo, hi); }
    public static Ins protWrite(int lo, int hi) { return new Ins(Op.MPROTECT_RW, lo, hi); }

    public boolean isAccess() { return op == Op.LOAD || op == Op.STORE; }
}
