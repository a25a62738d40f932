package mmucheck.impl.mm;

/**
 * A translation cache indexed by virtual page 1..nva: a CPU's TLB, a device's IOTLB, or
 * KVM's shadow page table. {@code null} is "no entry".
 */
public final class Tlb {
    private final TlbEntry[] e;
    // bumped by every write to e: the trace writer reads the cache again only when it moved
    private long version;

    public Tlb(int nva) { e = new TlbEntry[nva + 1]; }

    public TlbEntry get(int va) { return e[va]; }

    /** A hit usable for the access, or null (a miss). */
    public TlbEntry lookup(int va, boolean write) {
        TlbEntry x = e[va];
        return x != null && x.usableFor(write) ? x : null;
    }

    public void set(int va, TlbEntry x) {
        e[va] = x;
        version++;
    }

    /** Drops the entries of [lo, hi]. */
    public void flush(int lo, int hi) {
        for (int v = lo; v <= hi; v++) e[v] = null;
        version++;
    }

    /** Changes whenever an entry may have changed. */
    public long version() { return version; }

    public int nva() { return e.length - 1; }
}
