package mmucheck.impl.mm;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.LongSupplier;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Variant;

/**
 * One mm_struct and the machine around it: the page table with its split PT locks, the
 * page allocator, the swap cache and swap slots, mm->tlb_flush_pending, the MMU-notifier
 * chain with its secondary MMUs, the CPUs, devices and vCPUs, and the ghost bookkeeping
 * and run-time watch that the spec's properties read.
 */
public final class Mm {
    final Scenario sc;
    final Variant variant;
    /** Injected bugs (tests only; NONE otherwise). */
    final Bugs bugs;
    final PageTable pt;
    final PageAllocator alloc;
    /** The swap-cache page of va's swap entry (0: none); contents written to va's slot. */
    final int[] swapcache;
    final long[] swapslot;
    /** mm->tlb_flush_pending. */
    int tlbFlushPending;
    /** mm->tlb_flush_batched: a reclaim deferred the flush of a PTE it cleared (issue 12). */
    boolean tlbFlushBatched;
    final List<MmuNotifier> notifiers = new ArrayList<>();
    final List<Cpu> cpus = new ArrayList<>();
    final List<IommuDevice> devices = new ArrayList<>();
    final List<Task> vcpus = new ArrayList<>();
    final KvmMmu kvm;
    final List<Task> tasks = new ArrayList<>();
    final int ksmFrame;
    /** VM_WRITE of the VMA covering va (mprotect changes it; a VMA per page here). */
    final boolean[] vma;
    final MmapLock mmap = new MmapLock();

    // ghost state, for the spec's properties
    long clock;
    final TreeSet<Long>[] writes;
    final LinkedHashSet<Incoherent> incoherent = new LinkedHashSet<>();
    // bumped at every write of swapcache/swapslot, writes, vma, the tasks' obl and oblw: the
    // trace writer renders those variables again only when theirs moved (incoherent has none:
    // it is a few bytes, and no test run reaches a change of it)
    long swapVersion, writesVersion, vmaVersion, oblVersion, oblwVersion;

    /** A read that returned older contents than its agent had seen (the spec's incoherent). */
    public record Incoherent(String agent, int va, long got, long expected) {}

    final List<Observation> observed = new ArrayList<>();
    LongSupplier stepNo = () -> 0;

    public Mm(Scenario sc, Variant variant) {
        this(sc, variant, Bugs.NONE);
    }

    @SuppressWarnings("unchecked")
    public Mm(Scenario sc, Variant variant, Bugs bugs) {
        this.sc = sc;
        this.variant = variant;
        this.bugs = bugs;
        this.pt = new PageTable(sc.nva(), sc.ptp(), sc.nptp());
        for (int v = 1; v <= sc.nva(); v++) {
            Scenario.PteInit p = sc.pte().get(v - 1);
            Pte.Kind k = Pte.Kind.valueOf(p.k().toUpperCase());
            pt.set_pte_at(v, new Pte(k, p.f(), p.w(), k == Pte.Kind.PRESENT));
        }
        this.alloc = new PageAllocator(sc.nframe(), sc.ref());
        this.swapcache = new int[sc.nva() + 1];
        this.swapslot = new long[sc.nva() + 1];
        this.ksmFrame = sc.ksm();
        this.vma = new boolean[sc.nva() + 1];
        java.util.Arrays.fill(vma, true);
        this.writes = new TreeSet[sc.nva() + 1];
        for (int v = 1; v <= sc.nva(); v++) writes[v] = new TreeSet<>();
        for (Map.Entry<String, List<Ins>> e : sc.cpus().entrySet()) {
            Cpu c = new Cpu(e.getKey(), sc.nva());
            c.task = new Task(e.getKey(), Task.Kind.CPU, e.getValue());
            cpus.add(c);
            tasks.add(c.task);
        }
        for (Map.Entry<String, List<Ins>> e : sc.devs().entrySet()) {
            IommuDevice d = new IommuDevice(e.getKey(), sc.nva());
            d.task = new Task(e.getKey(), Task.Kind.DEVICE, e.getValue());
            devices.add(d);
            tasks.add(d.task);
            notifiers.add(d); // amd_iommu_bind_pasid() -> mmu_notifier_register()
        }
        this.kvm = new KvmMmu(sc.nva(), variant.shadowSeq());
        for (Map.Entry<String, List<Ins>> e : sc.vcpus().entrySet()) {
            Task t = new Task(e.getKey(), Task.Kind.VCPU, e.getValue());
            vcpus.add(t);
            tasks.add(t);
        }
        // kvm_create_vm() -> kvm_init_mmu_notifier(): only a VM registers KVM's notifier
        if (!vcpus.isEmpty()) notifiers.add(kvm);
        alloc.onFree = this::page_freed;
    }

    public Scenario scenario() { return sc; }
    public Variant variant() { return variant; }
    public Bugs bugs() { return bugs; }
    public PageTable pageTable() { return pt; }
    public PageAllocator allocator() { return alloc; }
    public List<Cpu> cpus() { return cpus; }
    public List<IommuDevice> devices() { return devices; }
    public List<Task> vcpus() { return vcpus; }
    public KvmMmu kvm() { return kvm; }
    public List<Task> tasks() { return tasks; }
    public int tlbFlushPending() { return tlbFlushPending; }
    public boolean tlbFlushBatched() { return tlbFlushBatched; }
    public int swapcache(int va) { return swapcache[va]; }
    public long swapslot(int va) { return swapslot[va]; }
    public long clock() { return clock; }
    public boolean vmaWritable(int va) { return vma[va]; }
    public TreeSet<Long> writes(int va) { return writes[va]; }
    public LinkedHashSet<Incoherent> incoherent() { return incoherent; }
    public List<Observation> observed() { return List.copyOf(observed); }

    /** Where observations get their step number from. */
    public void setStepNo(LongSupplier s) { stepNo = s; }

    Frame frame(int pfn) { return alloc.frame(pfn); }

    // ---- TLB shootdown and the notifier chain -------------------------------------------

    /** flush_tlb_mm_range(): IPIs every CPU of the mm and waits, so one step. */
    void flush_tlb_mm_range(int lo, int hi) {
        for (Cpu c : cpus) c.tlb.flush(lo, hi);
    }

    /**
     * flush_tlb_batched_pending() of mm/rmap.c (3ea277194daa), called under the PT lock by
     * zap_pte_range(), change_pte_range() and madvise_free_pte_range(): a reclaim may have
     * cleared a PTE of this mm without flushing it yet, so flush_tlb_mm().
     */
    void flush_tlb_batched_pending() {
        if (!variant.flushBatchedPending() || !tlbFlushBatched) return;
        if (!bugs.has(Bug.BATCHED_PENDING_NO_FLUSH)) flush_tlb_mm_range(1, pt.nva());
        tlbFlushBatched = false;
    }

    void mmu_notifier_invalidate_range_start(int lo, int hi) {
        for (MmuNotifier n : notifiers) n.invalidate_range_start(lo, hi);
    }

    /** v4.13: ->invalidate_range for the whole range (unless the variant has none), then ->invalidate_range_end. */
    void mmu_notifier_invalidate_range_end(int lo, int hi) {
        for (MmuNotifier n : notifiers) {
            if (variant.endInvalidates()) n.invalidate_range(lo, hi);
            n.invalidate_range_end(lo, hi);
        }
    }

    void mmu_notifier_invalidate_range(int lo, int hi) {
        for (MmuNotifier n : notifiers) n.invalidate_range(lo, hi);
    }

    void mmu_notifier_invalidate_page(int va) {
        for (MmuNotifier n : notifiers) n.invalidate_page(va);
    }

    // ---- ghost bookkeeping and the run-time watch ---------------------------------------

    /** A PTE maps fr at va again: translations to it are current, not stale. */
    void remapped(int va, int fr) {
        Task.VaFrame o = new Task.VaFrame(va, fr);
        for (Cpu c : cpus) c.task.obl.remove(o);
        oblVersion++;
    }

    /** A PTE maps fr at va writable and dirty again: a writable translation to it is legitimate. */
    void rewritable(int va, int fr) {
        Task.VaFrame o = new Task.VaFrame(va, fr);
        for (Cpu c : cpus) c.task.oblw.remove(o);
        oblwVersion++;
    }

    /**
     * The hardware page walker (CPU, or the IOMMU's ATS) for an access: the translation it
     * caches, or null (a fault). A walk for a store sets the dirty bit of a clean PTE.
     */
    TlbEntry hw_walk(int va, boolean write) {
        Pte p = pt.get(va);
        if (!p.pte_present() || (write && !p.pte_write())) return null;
        if (write && !p.pte_dirty()) {
            pt.set_pte_at(va, p.pte_mkdirty());
            rewritable(va, p.frame());
        }
        return new TlbEntry(p.frame(), p.pte_write() && (p.pte_dirty() || write));
    }

    /** A load by t at va through a translation to frame fr. */
    void load(Task t, int va, int fr) {
        Frame f = frame(fr);
        if (f.free) watch("use-after-free", t, va, fr);
        long val = f.contents;
        long expected = -1;
        for (long w : writes[va]) if (val < w && w <= t.seen) expected = Math.max(expected, w);
        if (expected >= 0) {
            incoherent.add(new Incoherent(t.name(), va, val, expected));
            watch("stale-read", t, va, fr);
        }
        t.seen = Math.max(t.seen, val);
    }

    /** A store by t at va through a translation to frame fr. */
    void store(Task t, int va, int fr) {
        Frame f = frame(fr);
        if (f.free) watch("use-after-free", t, va, fr);
        if (f.copied >= 0) watch("lost-write", t, va, fr);
        clock++;
        f.contents = clock;
        // a store racing with a MADV_DONTNEED of va may be discarded, legitimately: not one
        // that readers are held to
        if (!inZap(va)) writes[va].add(clock);
        writesVersion++;
        t.seen = clock;
    }

    /** InZap(v): some CPU's madvise(MADV_DONTNEED or MADV_FREE) covering va is in flight. */
    boolean inZap(int va) {
        for (Cpu c : cpus) if (c.task.zapLo != 0 && c.task.zapLo <= va && va <= c.task.zapHi) return true;
        return false;
    }

    void watch(String kind, Task t, int va, int fr) {
        for (Observation o : observed) {
            if (o.kind().equals(kind) && o.agent().equals(t.name()) && o.va() == va && o.frame() == fr) return;
        }
        observed.add(new Observation(kind, t.name(), va, fr, stepNo.getAsLong()));
    }

    /**
     * A page went back to the allocator (like CONFIG_DEBUG_VM's checks): a TLB, an IOTLB or a
     * shadow PTE that still reaches it lets its owner use a page that may be handed to someone else.
     */
    private void page_freed(Frame f) {
        for (int va = 1; va <= pt.nva(); va++) {
            for (Cpu c : cpus) if (maps(c.tlb, va, f)) watch("use-after-free", c.task, va, f.pfn);
            for (IommuDevice d : devices) if (maps(d.iotlb, va, f)) watch("use-after-free", d.task, va, f.pfn);
            for (Task v : vcpus) if (maps(kvm.spte, va, f)) watch("use-after-free", v, va, f.pfn);
        }
    }

    private static boolean maps(Tlb tlb, int va, Frame f) {
        TlbEntry e = tlb.get(va);
        return e != null && e.frame() == f.pfn;
    }
}
