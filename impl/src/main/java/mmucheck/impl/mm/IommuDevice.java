package mmucheck.impl.mm;

/**
 * A shared-page-table device (AMD IOMMUv2 / Intel SVM with ATS): it walks the CPU page
 * table itself and caches translations in its IOTLB, which the hardware may refill from any
 * present PTE at any time; only ->invalidate_range (mn_invalidate_range of
 * drivers/iommu/amd_iommu_v2.c) and v4.10's ->invalidate_page flush it.
 */
public final class IommuDevice implements MmuNotifier {
    private final String name;
    final Tlb iotlb;
    Task task;

    IommuDevice(String name, int nva) {
        this.name = name;
        this.iotlb = new Tlb(nva);
    }

    public String name() { return name; }
    public Tlb iotlb() { return iotlb; }

    @Override
    public void invalidate_range(int lo, int hi) { iotlb.flush(lo, hi); }

    @Override
    public void invalidate_page(int va) { iotlb.flush(va, va); }
}
