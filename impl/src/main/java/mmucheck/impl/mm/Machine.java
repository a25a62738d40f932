package mmucheck.impl.mm;

import java.util.function.BooleanSupplier;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Op;
import mmucheck.impl.sched.Scheduler;

/**
 * What each agent's thread runs: a CPU's user program (loads, stores, and the system calls
 * and kernel work the scenario gives it: madvise, migration, reclaim, KSM), a device's DMA
 * through its IOTLB, a vCPU's guest accesses through KVM's shadow page table, and the
 * hardware's speculative TLB and IOTLB fills and evictions.
 */
public final class Machine {
    private final Mm mm;
    private final Fault fault;
    private final Zap zap;
    private final Rmap rmap;
    private final Madvise madvise;
    private final Mprotect mprotect;
    private final Reclaim reclaim;

    public Machine(Mm mm) {
        this.mm = mm;
        this.fault = new Fault(mm);
        this.zap = new Zap(mm);
        this.rmap = new Rmap(mm);
        this.madvise = new Madvise(mm, zap);
        this.mprotect = new Mprotect(mm, zap);
        this.reclaim = new Reclaim(mm, rmap);
    }

    public Mm mm() { return mm; }

    /** Registers every agent with the scheduler, in the spec's order, then the hardware. */
    public void register(Scheduler s) {
        for (Cpu c : mm.cpus) c.task.agent = s.add(c.name(), false, a -> cpu(c));
        for (IommuDevice d : mm.devices) d.task.agent = s.add(d.name(), false, a -> device(d));
        for (Task v : mm.vcpus) v.agent = s.add(v.name(), false, a -> vcpu(v));
        s.add("hw", true, this::hardware);
        mm.setStepNo(s::currentStep);
    }

    // ---- a CPU's thread ---------------------------------------------------------------

    private void cpu(Cpu cpu) {
        Task t = cpu.task;
        while (t.busy()) {
            Ins ins = t.cur();
            // the first step's guard: the locks it takes (mmap_lock for reading or, for
            // mprotect, writing; a page lock) are free
            BooleanSupplier ready = switch (ins.op()) {
                case MIGRATE, SWAP_OUT, KSM -> () -> rmap.canStart(ins);
                case LOAD, STORE -> () -> fault.canStart(cpu, ins);
                case MADVISE_DONTNEED, MADVISE_FREE -> mm.mmap::readable;
                case MPROTECT_RO, MPROTECT_RW -> mm.mmap::free;
                case RECLAIM -> () -> true; // shrink_folio_list() takes no mmap_lock
            };
            t.point("idle", ready);
            switch (ins.op()) {
                case LOAD, STORE -> fault.access(cpu, t, ins);
                case MADVISE_DONTNEED -> zap.zap_page_range(cpu, t, ins);
                case MADVISE_FREE -> madvise.madvise_free_single_vma(cpu, t, ins);
                case MPROTECT_RO, MPROTECT_RW -> mprotect.do_mprotect_pkey(cpu, t, ins);
                case MIGRATE, SWAP_OUT, KSM -> rmap.run(t, ins);
                case RECLAIM -> reclaim.shrink_folio_list(cpu, t, ins);
            }
        }
        t.agent.exit();
    }

    // ---- a shared-page-table device ---------------------------------------------------

    private void device(IommuDevice d) {
        Task t = d.task;
        while (t.busy()) {
            t.point("idle");
            Ins ins = t.cur();
            boolean write = ins.op() == Op.STORE;
            int va = ins.lo();
            TlbEntry e = d.iotlb.lookup(va, write);
            if (e == null) e = mm.hw_walk(va, write); // ATS translation request (a write sets the dirty bit)
            if (e != null) {
                d.iotlb.set(va, e);
                if (write) mm.store(t, va, e.frame()); else mm.load(t, va, e.frame());
                t.ip++;
                t.step(write ? "dev_store" : "dev_load");
            } else {
                t.ip++; // no translation: the page request (PRI) is not modelled, the access is dropped
                t.step("dev_fault");
            }
        }
        t.agent.exit();
    }

    // ---- a KVM vCPU ---------------------------------------------------------------------

    private void vcpu(Task t) {
        KvmMmu kvm = mm.kvm;
        while (t.busy()) {
            t.point("idle");
            Ins ins = t.cur();
            boolean write = ins.op() == Op.STORE;
            int va = ins.lo();
            TlbEntry e = kvm.spte.lookup(va, write);
            if (e != null) {
                if (write) mm.store(t, va, e.frame()); else mm.load(t, va, e.frame());
                t.ip++;
                t.step(write ? "kvm_store" : "kvm_load");
                continue;
            }
            kvm_mmu_page_fault(t, kvm, va, write);
        }
        t.agent.exit();
    }

    /** tdp_page_fault(): mmu_seq = kvm->mmu_notifier_seq; gfn_to_pfn(); then map under mmu_lock. */
    private void kvm_mmu_page_fault(Task t, KvmMmu kvm, int va, boolean write) {
        t.va = va;
        t.mmuSeq = kvm.mmuNotifierSeq; // then smp_rmb()
        t.step("kvm_mmu_page_fault");

        t.point("kvm_gfn_to_pfn", mm.mmap::readable);
        // get_user_pages() under mmap_lock: look the frame up in the CPU page table and pin it
        // (FOLL_WRITE dirties the PTE)
        TlbEntry e = mm.hw_walk(va, write);
        if (e == null) {
            t.finish(); // a fault on KVM's behalf is not modelled: the access is dropped
            t.step("gfn_to_pfn");
            return;
        }
        mm.alloc.get_page(mm.frame(e.frame()));
        t.page = e.frame();
        t.ok = e.writable(); // as the walker caches it: a clean PTE maps read-only until a store
        t.step("gfn_to_pfn");

        t.point("kvm_map");
        kvm.mmuLock.spin_lock(Thread.currentThread());
        boolean retry = kvm.mmu_notifier_retry(t.mmuSeq);
        if (mm.bugs.has(Bug.KVM_NO_SEQ_RETRY)) retry = false;
        if (!retry) kvm.spte.set(va, new TlbEntry(t.page, t.ok)); // __direct_map()
        kvm.mmuLock.spin_unlock(Thread.currentThread());
        mm.alloc.put_page(mm.frame(t.page)); // kvm_release_pfn_clean()
        t.resetLocals();
        t.step(retry ? "mmu_notifier_retry" : "direct_map");
    }

    // ---- the hardware ---------------------------------------------------------------------

    private void hardware(Scheduler.Agent hw) {
        int nva = mm.pt.nva();
        int ncpu = mm.cpus.size();
        int ntlb = ncpu + mm.devices.size();
        // an option is (tlb index * (nva + 1) + va) * 2 + (0 fill | 1 evict); TLBs: CPUs, then devices
        int[] options = new int[ntlb * nva * 2];
        // each option's label, built once: the choice stream records one per hardware step
        String[] labels = new String[ntlb * (nva + 1) * 2];
        while (true) {
            hw.point("hw", this::hardwareCanStep);
            int n = 0;
            for (int i = 0; i < ntlb; i++) {
                Tlb tlb = i < ncpu ? mm.cpus.get(i).tlb : mm.devices.get(i - ncpu).iotlb;
                for (int va = 1; va <= nva; va++) {
                    Pte p = mm.pt.get(va);
                    if (walkable(p, i >= ncpu) && !TlbEntry.of(p).equals(tlb.get(va))) options[n++] = (i * (nva + 1) + va) * 2;
                    if (tlb.get(va) != null) options[n++] = (i * (nva + 1) + va) * 2 + 1;
                }
            }
            final int[] opts = options;
            int o = opts[hw.pickOption(n, k -> {
                int x = opts[k];
                if (labels[x] == null) labels[x] = hwLabel(x, ncpu, nva);
                return labels[x];
            })];
            int i = (o / 2) / (nva + 1), va = (o / 2) % (nva + 1);
            boolean evict = (o & 1) == 1;
            boolean cpu = i < ncpu;
            Tlb tlb = cpu ? mm.cpus.get(i).tlb : mm.devices.get(i - ncpu).iotlb;
            String who = cpu ? mm.cpus.get(i).name() : mm.devices.get(i - ncpu).name();
            // a speculative page walk fills, or the entry is dropped
            tlb.set(va, evict ? null : TlbEntry.of(mm.pt.get(va)));
            hw.hwStep(who, (cpu ? "" : "io") + (evict ? "tlb_evict" : "tlb_fill"), cpu ? "c" : "d", va);
        }
    }

    private String hwLabel(int o, int ncpu, int nva) {
        int i = (o / 2) / (nva + 1), va = (o / 2) % (nva + 1);
        boolean cpu = i < ncpu;
        String who = cpu ? mm.cpus.get(i).name() : mm.devices.get(i - ncpu).name();
        return (cpu ? "" : "io") + ((o & 1) == 1 ? "tlb_evict" : "tlb_fill") + "(" + who + "," + va + ")";
    }

    private boolean hardwareCanStep() {
        for (Cpu c : mm.cpus) if (canFillOrEvict(c.tlb, false)) return true;
        for (IommuDevice d : mm.devices) if (canFillOrEvict(d.iotlb, true)) return true;
        return false;
    }

    private boolean canFillOrEvict(Tlb tlb, boolean iommu) {
        for (int v = 1; v <= mm.pt.nva(); v++) {
            Pte p = mm.pt.get(v);
            if (tlb.get(v) != null || walkable(p, iommu)) return true;
        }
        return false;
    }

    /** A PTE the page walker may cache: a present one (the buggy IOMMU walker also takes a migration entry). */
    private boolean walkable(Pte p, boolean iommu) {
        if (iommu && mm.bugs.has(Bug.IOTLB_FILL_NON_PRESENT) && p.kind() == Pte.Kind.MIGRATION) return true;
        return p.pte_present();
    }
}
