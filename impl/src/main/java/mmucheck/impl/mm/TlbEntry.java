package mmucheck.impl.mm;

/** A cached translation (CPU TLB, IOTLB or KVM shadow PTE): a frame and a write permission. */
public record TlbEntry(int frame, boolean writable) {
    /** The translation a present PTE gives. */
    public static TlbEntry of(Pte p) { return new TlbEntry(p.frame(), p.writable()); }

    public boolean usableFor(boolean write) { return !write || writable; }
}
