package mmucheck.impl.mm;

/**
 * A cached translation (CPU TLB, IOTLB or KVM shadow PTE): a frame and a write permission.
 * {@code writable} means the hardware may store through it without touching the PTE: the PTE
 * was cached writable and dirty. An entry of a clean PTE serves loads only; a store walks again
 * and sets the dirty bit (x86's A/D assist; ATS alike).
 */
public record TlbEntry(int frame, boolean writable) {
    /** The translation a speculative walk (or a walk for a load) caches from a present PTE. */
    public static TlbEntry of(Pte p) { return new TlbEntry(p.frame(), p.writable() && p.dirty()); }

    public boolean usableFor(boolean write) { return !write || writable; }
}
