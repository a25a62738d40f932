package mmucheck.impl.mm;

/**
 * The mm's page table for virtual pages 1..nva, with split PT locks: one spinlock per
 * page-table page (pte_lockptr()), ptp[va] saying which PT page covers va.
 */
public final class PageTable {
    private final Pte[] pte;
    private final int[] ptp;
    private final SpinLock[] ptl;
    // bumped by every write to pte: the trace writer reads the PTEs again only when it moved
    private long version;

    PageTable(int nva, int[] ptp, int nptp) {
        this.pte = new Pte[nva + 1];
        this.ptp = ptp.clone();
        this.ptl = new SpinLock[nptp + 1];
        for (int p = 1; p <= nptp; p++) ptl[p] = new SpinLock("ptl" + p);
        for (int v = 1; v <= nva; v++) pte[v] = Pte.NONE;
    }

    public int nva() { return pte.length - 1; }
    public int nptp() { return ptl.length - 1; }

    public Pte get(int va) { return pte[va]; }

    void set_pte_at(int va, Pte p) {
        pte[va] = p;
        version++;
    }

    /** Changes whenever a PTE may have changed. */
    public long version() { return version; }

    /** Which PT page covers va. */
    public int ptp(int va) { return ptp[va - 1]; }

    /** pte_lockptr(). */
    public SpinLock pte_lockptr(int va) { return ptl[ptp(va)]; }

    public SpinLock ptl(int ptpage) { return ptl[ptpage]; }

    /** The hardware page walker (CPU or IOMMU ATS): a translation for the access, or null. */
    TlbEntry walk(int va, boolean write) {
        Pte p = pte[va];
        return p.pte_present() && (!write || p.pte_write()) ? TlbEntry.of(p) : null;
    }
}
