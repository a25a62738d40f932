package mmucheck.impl.mm;

/**
 * struct mmu_notifier_ops (include/linux/mmu_notifier.h, v4.13): the callbacks a secondary
 * MMU registers on an mm. Each is called by the notifier chain of {@link Mm}.
 */
public interface MmuNotifier {
    default void invalidate_range_start(int lo, int hi) {}

    default void invalidate_range_end(int lo, int hi) {}

    /** ->invalidate_range: flush a secondary TLB that shares the CPU page table. */
    default void invalidate_range(int lo, int hi) {}

    /** v4.10's ->invalidate_page, called after the PT lock is released. */
    default void invalidate_page(int va) {}
}
