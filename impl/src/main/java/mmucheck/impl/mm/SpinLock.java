package mmucheck.impl.mm;

/**
 * A spinlock (the split PT lock, kvm->mmu_lock). Under the baton scheduler a task only
 * takes a lock at a scheduling point whose guard saw it free, so finding it held here is a
 * bug of the implementation, reported as such.
 */
public final class SpinLock {
    private final String name;
    private Object owner;
    // bumped by every change of owner (for the trace writer)
    private long version;

    public SpinLock(String name) { this.name = name; }

    public boolean free() { return owner == null; }

    public Object owner() { return owner; }

    public void spin_lock(Object t) {
        if (owner != null) throw new IllegalStateException(name + " taken by " + t + " while held by " + owner);
        owner = t;
        version++;
    }

    public void spin_unlock(Object t) {
        if (owner != t) throw new IllegalStateException(name + " released by " + t + " but held by " + owner);
        owner = null;
        version++;
    }

    /** Changes whenever the owner may have changed. */
    public long version() { return version; }
}
