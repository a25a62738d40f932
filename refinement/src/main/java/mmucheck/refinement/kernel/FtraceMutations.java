package mmucheck.refinement.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Perturbed real traces: each mutation breaks one rule of the protocol in a captured
 * trace, so the checker can be shown to reject it. Where a perturbation can be harmless
 * (a dropped IPI to a CPU that is not running the mm), the first candidate that the
 * translator's own model finds harmful is taken; the test then demands that TLC,
 * checking the spec itself, rejects it and names the event.
 */
public final class FtraceMutations {
    /** A mutated trace (cut shortly after the perturbation), the event it changed, and why. */
    public record Mutation(List<FtraceEvent> events, FtraceEvent target, String description) {}

    private static final int TAIL = 150; // events kept after the perturbation
    private static final int TRIES = 60;

    private FtraceMutations() {}

    /** Drops a remote flush_tlb_func (and its tlb:tlb_flush, so it cannot be recovered). */
    public static Mutation dropFlush(List<FtraceEvent> ev) {
        Set<Long> mms = workloadMms(ev);
        int tries = 0;
        for (int k = 0; k < ev.size() && tries < TRIES; k++) {
            FtraceEvent e = ev.get(k);
            if (!e.name().equals("flush_func") || e.num("initiator") == e.cpu() || !mms.contains(e.num("mm"))) {
                continue;
            }
            tries++;
            List<FtraceEvent> m = new ArrayList<>(ev);
            int tp = nextOnCpu(ev, k);
            if (tp >= 0 && ev.get(tp).name().equals("tlb_flush")) {
                m.remove(tp);
            }
            m.remove(k);
            List<FtraceEvent> cut = cut(m, k);
            if (firstViolation(cut).contains("NoFreedPageReachable")) {
                return new Mutation(cut, e, "dropped flush_tlb_func on CPU" + e.cpu() + " (ftrace line " + e.line() + ")");
            }
        }
        return null;
    }

    /** Moves the first page free of a finishing gather to just before that gather's flush. */
    public static Mutation freeBeforeFlush(List<FtraceEvent> ev) {
        Set<Long> mms = workloadMms(ev);
        Map<Integer, Integer> flushAt = new HashMap<>(); // pid -> index of its finishing gather's flush
        Set<Integer> finishing = new HashSet<>();
        Map<Integer, Set<Long>> queuedPfns = new HashMap<>();
        int pageStruct = pageStruct(ev);
        for (int k = 0; k < ev.size(); k++) {
            FtraceEvent e = ev.get(k);
            int pid = e.pid();
            switch (e.name()) {
                case "gather" -> {
                    if (mms.contains(e.num("mm"))) {
                        queuedPfns.put(pid, new HashSet<>());
                    }
                }
                case "queue" -> {
                    if (queuedPfns.containsKey(pid)) {
                        queuedPfns.get(pid).add(Long.divideUnsigned(e.num("page") - e.num("vmemmap"), pageStruct));
                    }
                }
                case "finish" -> finishing.add(pid);
                case "flush" -> {
                    if (finishing.contains(pid) && mms.contains(e.num("mm"))) {
                        flushAt.put(pid, k);
                    }
                }
                case "finish_ret" -> {
                    finishing.remove(pid);
                    flushAt.remove(pid);
                    queuedPfns.remove(pid);
                }
                case "mm_page_free" -> {
                    Integer f = flushAt.get(pid);
                    if (f != null && queuedPfns.getOrDefault(pid, Set.of()).contains(e.num("pfn"))) {
                        List<FtraceEvent> m = new ArrayList<>(ev);
                        m.remove(k);
                        m.add(f, e);
                        return new Mutation(cut(m, k), e, "moved mm_page_free of pfn 0x" + Long.toHexString(e.num("pfn"))
                                + " (ftrace line " + e.line() + ") before flush_tlb_mm_range (ftrace line "
                                + ev.get(f).line() + ")");
                    }
                }
                default -> {}
            }
        }
        return null;
    }

    /** Drops the first mmu_notifier_invalidate_range_end of a workload madvise. */
    public static Mutation dropMnEnd(List<FtraceEvent> ev) {
        Set<Integer> inMadvise = new HashSet<>();
        for (int k = 0; k < ev.size(); k++) {
            FtraceEvent e = ev.get(k);
            if (e.name().equals("sys_madvise") && e.comm().equals(KernelTranslator.WORKLOAD)) {
                if (e.exit()) {
                    inMadvise.remove(e.pid());
                } else {
                    inMadvise.add(e.pid());
                }
            }
            if (e.name().equals("mn_end") && inMadvise.contains(e.pid())) {
                List<FtraceEvent> m = new ArrayList<>(ev);
                m.remove(k);
                return new Mutation(cut(m, k), e, "dropped mmu_notifier_invalidate_range_end (ftrace line " + e.line() + ")");
            }
        }
        return null;
    }

    /** Narrows a nested gather's TLB_FLUSH_ALL to the range it gathered (the pre-99baac21e458 flush). */
    public static Mutation nestedWithoutFullFlush(List<FtraceEvent> ev) {
        Map<Integer, FtraceEvent> nestedFinish = new HashMap<>();
        int tries = 0;
        for (int k = 0; k < ev.size() && tries < TRIES; k++) {
            FtraceEvent e = ev.get(k);
            switch (e.name()) {
                case "finish" -> {
                    if (e.num("pending") > 1 && Long.compareUnsigned(e.num("start"), e.num("end")) < 0) {
                        nestedFinish.put(e.pid(), e);
                    }
                }
                case "finish_ret" -> nestedFinish.remove(e.pid());
                case "flush" -> {
                    FtraceEvent f = nestedFinish.remove(e.pid());
                    if (f != null && e.num("end") == KernelTranslator.FLUSH_ALL) {
                        tries++;
                        Map<String, String> fields = new LinkedHashMap<>(e.fields());
                        fields.put("start", f.str("start"));
                        fields.put("end", f.str("end"));
                        String text = e.text().replace("start=" + e.str("start"), "start=" + f.str("start"))
                                .replace("end=" + e.str("end"), "end=" + f.str("end"));
                        FtraceEvent narrowed = new FtraceEvent(e.line(), e.comm(), e.pid(), e.cpu(), e.time(), e.name(),
                                e.exit(), fields, text);
                        List<FtraceEvent> m = new ArrayList<>(ev);
                        m.set(k, narrowed);
                        List<FtraceEvent> cut = cut(m, k);
                        if (firstViolation(cut).contains("NestedFlushBeforeReturn")) {
                            return new Mutation(cut, f, "narrowed the TLB_FLUSH_ALL of the gather that sampled pending="
                                    + f.num("pending") + " (ftrace line " + f.line() + ") to its own range");
                        }
                    }
                }
                default -> {}
            }
        }
        return null;
    }

    /**
     * The 2017 race itself: a nested gather that cleared no PTE (pte_none everywhere, an
     * empty range) skips its flush, as tlb_finish_mmu() did before 99baac21e458. Removes the
     * flush_tlb_mm_range, its native_flush_tlb_multi and every flush_tlb_func (with its
     * tlb:tlb_flush) it caused.
     */
    public static Mutation nestedEmptyGatherSkipsFlush(List<FtraceEvent> ev) {
        Map<Integer, FtraceEvent> emptyNested = new HashMap<>();
        int tries = 0;
        for (int k = 0; k < ev.size() && tries < TRIES; k++) {
            FtraceEvent e = ev.get(k);
            switch (e.name()) {
                case "finish" -> {
                    if (e.num("pending") > 1 && Long.compareUnsigned(e.num("start"), e.num("end")) >= 0) {
                        emptyNested.put(e.pid(), e);
                    }
                }
                case "finish_ret" -> emptyNested.remove(e.pid());
                case "flush" -> {
                    FtraceEvent f = emptyNested.remove(e.pid());
                    if (f == null) {
                        break;
                    }
                    tries++;
                    Set<Integer> drop = new HashSet<>();
                    drop.add(k);
                    String info = null;
                    for (int j = k + 1; j < ev.size() && j < k + 60; j++) {
                        FtraceEvent x = ev.get(j);
                        if (x.name().equals("flush_multi") && x.pid() == e.pid() && info == null) {
                            info = x.str("info");
                            drop.add(j);
                        } else if (x.name().equals("flush_func") && ((info != null && info.equals(x.str("info")))
                                || (info == null && x.cpu() == e.cpu() && x.num("initiator") == e.cpu()))) {
                            drop.add(j);
                            int tp = nextOnCpu(ev, j);
                            if (tp >= 0 && ev.get(tp).name().equals("tlb_flush")) {
                                drop.add(tp);
                            }
                        } else if (x.name().equals("tlb_flush") && x.pid() == e.pid() && x.num("reason") == 4) {
                            drop.add(j);
                        } else if (x.name().equals("finish_ret") && x.pid() == e.pid()) {
                            break;
                        }
                    }
                    List<FtraceEvent> m = new ArrayList<>();
                    for (int j = 0; j < ev.size(); j++) {
                        if (!drop.contains(j)) {
                            m.add(ev.get(j));
                        }
                    }
                    List<FtraceEvent> cut = cut(m, k);
                    if (firstViolation(cut).contains("NestedFlushBeforeReturn")) {
                        return new Mutation(cut, f, "removed the flush of the nested gather that cleared nothing"
                                + " (tlb_finish_mmu at ftrace line " + f.line() + ", pending=" + f.num("pending") + ")");
                    }
                }
                default -> {}
            }
        }
        return null;
    }

    private static List<FtraceEvent> cut(List<FtraceEvent> m, int k) {
        return List.copyOf(m.subList(0, Math.min(m.size(), k + TAIL)));
    }

    private static String firstViolation(List<FtraceEvent> ev) {
        KernelTranslator.Translation t = KernelTranslator.translate(ev, null, "mutation");
        return t.ok() && !t.stats().javaViolations().isEmpty() ? t.stats().javaViolations().get(0) : "";
    }

    private static int nextOnCpu(List<FtraceEvent> ev, int k) {
        for (int j = k + 1; j < ev.size(); j++) {
            if (ev.get(j).cpu() == ev.get(k).cpu()) {
                return j;
            }
        }
        return -1;
    }

    private static Set<Long> workloadMms(List<FtraceEvent> ev) {
        Set<Long> s = new HashSet<>();
        for (FtraceEvent e : ev) {
            if ((e.name().equals("gather") || e.name().equals("gather_fullmm")) && e.comm().equals(KernelTranslator.WORKLOAD)) {
                s.add(e.num("mm"));
            }
        }
        return s;
    }

    private static int pageStruct(List<FtraceEvent> ev) {
        for (FtraceEvent e : ev) {
            if (e.name().equals("tracing_mark_write") && e.has("sizeof_page")) {
                return (int) e.num("sizeof_page");
            }
        }
        return 64;
    }
}
