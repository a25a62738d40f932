package mmucheck.impl.mm;

/**
 * KVM's shadow MMU for one VM (virt/kvm/kvm_main.c, arch/x86/kvm/mmu.c, v4.13): shadow PTEs
 * filled by the vCPUs' faults, and the MMU-notifier callbacks that zap them, all under
 * kvm->mmu_lock. With shadow = seq, range_start raises mmu_notifier_count and range_end
 * bumps mmu_notifier_seq, and a fault that raced with either retries; with start_only the
 * callbacks only zap.
 */
public final class KvmMmu implements MmuNotifier {
    final Tlb spte;
    final SpinLock mmuLock = new SpinLock("kvm->mmu_lock");
    long mmuNotifierCount;
    long mmuNotifierSeq;
    private final boolean seqRetry;

    KvmMmu(int nva, boolean seqRetry) {
        this.spte = new Tlb(nva);
        this.seqRetry = seqRetry;
    }

    public Tlb spte() { return spte; }
    public long count() { return mmuNotifierCount; }
    public long seq() { return mmuNotifierSeq; }

    @Override
    public void invalidate_range_start(int lo, int hi) {
        // kvm_mmu_notifier_invalidate_range_start(): under mmu_lock, count++ then unmap the range
        mmuLock.spin_lock(Thread.currentThread());
        if (seqRetry) mmuNotifierCount++;
        spte.flush(lo, hi);
        mmuLock.spin_unlock(Thread.currentThread());
    }

    @Override
    public void invalidate_range_end(int lo, int hi) {
        // kvm_mmu_notifier_invalidate_range_end(): seq++ before count-- (smp_wmb between)
        mmuLock.spin_lock(Thread.currentThread());
        if (seqRetry) {
            mmuNotifierSeq++;
            mmuNotifierCount--;
        }
        mmuLock.spin_unlock(Thread.currentThread());
    }

    @Override
    public void invalidate_page(int va) {
        // v4.10 kvm_mmu_notifier_invalidate_page(): seq++ and unmap the one page
        mmuLock.spin_lock(Thread.currentThread());
        mmuNotifierSeq++;
        spte.flush(va, va);
        mmuLock.spin_unlock(Thread.currentThread());
    }

    /** mmu_notifier_retry(): an invalidation is in flight or completed since mmu_seq was read. */
    boolean mmu_notifier_retry(long mmuSeq) {
        return seqRetry && (mmuNotifierCount != 0 || mmuNotifierSeq != mmuSeq);
    }
}
