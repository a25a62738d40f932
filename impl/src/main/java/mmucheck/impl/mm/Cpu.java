package mmucheck.impl.mm;

import java.util.TreeSet;

/** A CPU of the mm: its TLB, its mmu_gather and the user thread running on it. */
public final class Cpu {
    private final String name;
    final Tlb tlb;
    final MmuGather gather = new MmuGather();
    Task task;

    Cpu(String name, int nva) {
        this.name = name;
        this.tlb = new Tlb(nva);
    }

    public String name() { return name; }
    public Tlb tlb() { return tlb; }
    public MmuGather gather() { return gather; }
    public Task task() { return task; }

    /**
     * struct mmu_gather (include/asm-generic/tlb.h, v4.13): the range this gather cleared
     * (start = 0: nothing) and the batch of pages to free after the flush. The batch is a
     * set of frames, as in the spec (a page is queued once per gather).
     */
    public static final class MmuGather {
        int start;
        int end;
        final TreeSet<Integer> batch = new TreeSet<>();
        // bumped at every write of start, end or batch (for the trace writer)
        long version;

        public int start() { return start; }
        public int end() { return end; }
        public TreeSet<Integer> batch() { return batch; }

        /** __tlb_adjust_range(). */
        void adjust_range(int va) {
            start = start == 0 ? va : Math.min(start, va);
            end = Math.max(end, va);
            version++;
        }

        /** __tlb_reset_range(). */
        void reset_range() {
            start = 0;
            end = 0;
            version++;
        }
    }
}
