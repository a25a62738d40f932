package mmucheck.impl.mm;

/**
 * A physical page (struct page): allocator state, refcount, the page lock, its contents
 * (the stamp of the store that wrote them; 0 = zero page) and, for the run-time watch, the
 * contents a migration copy, a pageout or a KSM merge took (-1: none), after which a store
 * into the frame is lost.
 */
public final class Frame {
    final int pfn;
    boolean free = true;
    int refcount;
    Task lockOwner;
    long contents;
    long copied = -1;

    Frame(int pfn) { this.pfn = pfn; }

    public int pfn() { return pfn; }
    public boolean free() { return free; }
    public int refcount() { return refcount; }
    public Task lockOwner() { return lockOwner; }
    public long contents() { return contents; }
    public long copied() { return copied; }

    /** trylock_page() as a guard: the page lock is free. */
    public boolean unlocked() { return lockOwner == null; }

    /** lock_page(): the caller waited at a point whose guard saw the lock free. */
    void lock_page(Task t) {
        if (lockOwner != null) throw new IllegalStateException("page " + pfn + " locked by " + lockOwner.name());
        lockOwner = t;
    }

    void unlock_page(Task t) {
        if (lockOwner != t) throw new IllegalStateException("page " + pfn + " unlocked by " + t.name() + " but held by " + lockOwner);
        lockOwner = null;
    }
}
