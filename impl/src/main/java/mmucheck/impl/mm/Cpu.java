package mmucheck.impl.mm;

import java.util.TreeSet;

/** A CPU of the mm: its TLB, its mmu_gather and the user thread running on it. */
public final class Cpu {
    private final String name;
    final Tlb tlb;
    final MmuGather gather = new MmuGather();
    /** The reclaim state of the thread on this CPU (issue 12). */
    final TlbUbc ubc = new TlbUbc();
    Task task;

    Cpu(String name, int nva) {
        this.name = name;
        this.tlb = new Tlb(nva);
    }

    public String name() { return name; }
    public Tlb tlb() { return tlb; }
    public MmuGather gather() { return gather; }
    public TlbUbc ubc() { return ubc; }
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

    /**
     * current->tlb_ubc (struct tlbflush_unmap_batch, include/linux/mm_types_task.h):
     * flush_required and writable, plus shrink_folio_list()'s free_folios list (the pages to
     * free once the deferred flush is done), as the spec's ubc.
     */
    public static final class TlbUbc {
        boolean flushRequired;
        boolean writable;
        final TreeSet<Integer> free = new TreeSet<>();

        public boolean flushRequired() { return flushRequired; }
        public boolean writable() { return writable; }
        public TreeSet<Integer> free() { return free; }
    }
}
