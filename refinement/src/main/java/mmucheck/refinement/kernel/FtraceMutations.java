package mmucheck.refinement.kernel;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
        return nestedWithoutFullFlush(ev, "NestedFlushBeforeReturn");
    }

    /** The same, the first mutant whose first violation names {@code invariant}. */
    public static Mutation nestedWithoutFullFlush(List<FtraceEvent> ev, String invariant) {
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
                                e.exit(), fields, text, e.flags());
                        List<FtraceEvent> m = new ArrayList<>(ev);
                        m.set(k, narrowed);
                        List<FtraceEvent> cut = cut(m, k);
                        if (firstViolation(cut).contains(invariant)) {
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
        return nestedEmptyGatherSkipsFlush(ev, "NestedFlushBeforeReturn");
    }

    /** The same, the first mutant whose first violation names {@code invariant}. */
    public static Mutation nestedEmptyGatherSkipsFlush(List<FtraceEvent> ev, String invariant) {
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
                    if (firstViolation(cut).contains(invariant)) {
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

    // ---- issue 19: the kinds KernelView was blind to, as event-level mutants ----

    /** Every mutant of one kind (up to a cap), in trace order; the test judges each. */
    public static List<Mutation> blindSpot(List<FtraceEvent> ev, String kind, int cap) {
        List<Mutation> out = new ArrayList<>();
        Set<Long> mms = workloadMms(ev);
        int pageStruct = pageStruct(ev);
        for (int k = 0; k < ev.size() && out.size() < cap; k++) {
            FtraceEvent e = ev.get(k);
            Mutation m = switch (kind) {
                case "narrowed-flush-func" -> narrowFlushFunc(ev, k, mms);
                case "remote-pages-zero" -> remotePagesZero(ev, k, mms);
                case "freed-twice-after-return" -> freedTwiceAfterReturn(ev, k, pageStruct);
                case "freed-without-gather" -> freedWithoutGather(ev, k, pageStruct);
                case "lazy-cpu-skipped-tables" -> lazySkippedTablesFreed(ev, k, mms);
                default -> throw new IllegalArgumentException("no blind-spot kind " + kind);
            };
            if (m != null) {
                out.add(m);
            }
        }
        return out;
    }

    public static final List<String> BLIND_SPOT_KINDS = List.of("narrowed-flush-func", "remote-pages-zero",
            "freed-twice-after-return", "freed-without-gather", "lazy-cpu-skipped-tables");

    /** The first violation the translator's own model sees in a mutant ("" when none). */
    public static String javaVerdict(Mutation m) {
        KernelTranslator.Translation t = KernelTranslator.translate(m.events(), null, "mutation");
        if (!t.ok()) {
            return "bad input: " + t.error();
        }
        return t.stats().javaViolations().isEmpty() ? "" : t.stats().javaViolations().get(0);
    }

    private static FtraceEvent with(FtraceEvent e, Map<String, String> changes, String text) {
        Map<String, String> f = new LinkedHashMap<>(e.fields());
        f.putAll(changes);
        return new FtraceEvent(e.line(), e.comm(), e.pid(), e.cpu(), e.time(), e.name(), e.exit(), f, text, e.flags());
    }

    /** flush_tlb_func's own range made narrower than the flush asked for (a TLB_FLUSH_ALL to one page). */
    private static Mutation narrowFlushFunc(List<FtraceEvent> ev, int k, Set<Long> mms) {
        FtraceEvent e = ev.get(k);
        if (!e.name().equals("flush_func") || !mms.contains(e.num("mm"))) {
            return null;
        }
        long start = e.num("start");
        long end = e.num("end");
        long ns;
        long ne;
        if (end == KernelTranslator.FLUSH_ALL) {
            ns = 0x1000;
            ne = 0x2000;
        } else if (end - start > 4096) {
            ns = end - 4096;
            ne = end;
        } else {
            ns = end;
            ne = end + 4096;
        }
        String s0 = "0x" + Long.toHexString(ns);
        String e0 = "0x" + Long.toHexString(ne);
        FtraceEvent n = with(e, Map.of("start", s0, "end", e0), e.text().replace("start=" + e.str("start"), "start=" + s0)
                .replace("end=" + e.str("end"), "end=" + e0));
        List<FtraceEvent> m = new ArrayList<>(ev);
        m.set(k, n);
        return new Mutation(cut(m, k), n, "narrowed flush_tlb_func's range to " + s0 + ".." + e0 + " (ftrace line "
                + e.line() + ")");
    }

    /** A remote flush_tlb_func's tlb:tlb_flush set to pages:0 (it flushed nothing). */
    private static Mutation remotePagesZero(List<FtraceEvent> ev, int k, Set<Long> mms) {
        FtraceEvent e = ev.get(k);
        if (!e.name().equals("tlb_flush") || e.num("reason") != 1 || e.num("pages") == 0) {
            return null;
        }
        int p = prevOnCpu(ev, k);
        if (p < 0 || !ev.get(p).name().equals("flush_func") || !mms.contains(ev.get(p).num("mm"))) {
            return null;
        }
        FtraceEvent n = with(e, Map.of("pages", "0"), e.text().replace("pages:" + e.str("pages"), "pages:0"));
        List<FtraceEvent> m = new ArrayList<>(ev);
        m.set(k, n);
        return new Mutation(cut(m, k), n, "set the remote tlb:tlb_flush at ftrace line " + e.line() + " to pages:0");
    }

    /** A page a gather freed, freed again after that gather's tlb_finish_mmu returned (before its syscall did). */
    private static Mutation freedTwiceAfterReturn(List<FtraceEvent> ev, int k, int pageStruct) {
        FtraceEvent e = ev.get(k);
        if (!e.name().equals("mm_page_free") || !e.comm().equals(KernelTranslator.WORKLOAD)) {
            return null;
        }
        long pfn = e.num("pfn");
        boolean queued = false;
        for (int j = k - 1; j >= 0 && j > k - 400 && !queued; j--) {
            FtraceEvent q = ev.get(j);
            queued = q.name().equals("queue") && q.pid() == e.pid()
                    && Long.divideUnsigned(q.num("page") - q.num("vmemmap"), pageStruct) == pfn;
        }
        if (!queued) {
            return null;
        }
        for (int j = k + 1; j < ev.size() && j < k + 400; j++) {
            FtraceEvent r = ev.get(j);
            if (r.name().equals("mm_page_alloc") && r.num("pfn") == pfn) {
                return null;
            }
            if (r.name().equals("finish_ret") && r.pid() == e.pid()) {
                FtraceEvent again = new FtraceEvent(e.line(), e.comm(), e.pid(), r.cpu(), r.time(), e.name(), false,
                        e.fields(), e.text(), e.flags());
                List<FtraceEvent> m = new ArrayList<>(ev);
                m.add(j + 1, again);
                return new Mutation(cut(m, j + 1), again, "freed pfn 0x" + Long.toHexString(pfn) + " (ftrace line "
                        + e.line() + ") again after tlb_finish_mmu returned (ftrace line " + r.line() + ")");
            }
        }
        return null;
    }

    /** A page's __tlb_remove_page_size dropped: the page is freed without going through the gather. */
    private static Mutation freedWithoutGather(List<FtraceEvent> ev, int k, int pageStruct) {
        FtraceEvent q = ev.get(k);
        if (!q.name().equals("queue") || !q.comm().equals(KernelTranslator.WORKLOAD) || q.num("tables") != 0) {
            return null;
        }
        long pfn = Long.divideUnsigned(q.num("page") - q.num("vmemmap"), pageStruct);
        for (int j = k + 1; j < ev.size() && j < k + 400; j++) {
            FtraceEvent f = ev.get(j);
            if (f.name().equals("queue") && Long.divideUnsigned(f.num("page") - f.num("vmemmap"), pageStruct) == pfn) {
                return null; // queued again (another mapping): not this kind
            }
            if (f.name().equals("mm_page_free") && f.num("pfn") == pfn) {
                List<FtraceEvent> m = new ArrayList<>(ev);
                m.remove(k);
                return new Mutation(cut(m, j - 1), f, "dropped __tlb_remove_page_size of pfn 0x" + Long.toHexString(pfn)
                        + " (ftrace line " + q.line() + "), freed at ftrace line " + f.line());
            }
        }
        return null;
    }

    /**
     * A lazy CPU left out while page tables are freed: native_flush_tlb_multi() IPIs it when
     * freed_tables is set, and its flush_tlb_func() switches it to init_mm; the mutant drops
     * that flush_tlb_func, its switch_mm_irqs_off() and the switch's tlb:tlb_flush.
     */
    private static Mutation lazySkippedTablesFreed(List<FtraceEvent> ev, int k, Set<Long> mms) {
        FtraceEvent e = ev.get(k);
        if (!e.name().equals("flush_func") || !mms.contains(e.num("mm")) || e.num("initiator") == e.cpu()) {
            return null;
        }
        int sw = nextOnCpu(ev, k);
        if (sw < 0 || !ev.get(sw).name().equals("switch_mm") || mms.contains(ev.get(sw).num("next"))) {
            return null;
        }
        Set<Integer> drop = new HashSet<>(List.of(k, sw));
        int tp = nextOnCpu(ev, sw);
        if (tp >= 0 && ev.get(tp).name().equals("tlb_flush") && ev.get(tp).num("reason") == 0) {
            drop.add(tp);
        }
        List<FtraceEvent> m = new ArrayList<>();
        for (int j = 0; j < ev.size(); j++) {
            if (!drop.contains(j)) {
                m.add(ev.get(j));
            }
        }
        return new Mutation(cut(m, k), e, "dropped the lazy CPU" + e.cpu() + "'s flush_tlb_func (ftrace line " + e.line()
                + ") and its switch to init_mm");
    }

    private static int prevOnCpu(List<FtraceEvent> ev, int k) {
        for (int j = k - 1; j >= 0; j--) {
            if (ev.get(j).cpu() == ev.get(k).cpu()) {
                return j;
            }
        }
        return -1;
    }

    // ---- text-level mutants: malformed ftrace lines (issue 18) ----

    /** A trace text with one line made malformed: the 1-based line it changed and the kind of damage. */
    public record TextMutant(List<String> lines, int line, String kind) {}

    /** The kinds of damage {@link #malformed} does; each leaves a line the capture cannot have written. */
    public static final List<String> MALFORMED_KINDS = List.of("cut-fields", "number-too-large", "negative-address",
            "not-a-number", "cpu-beyond-capture", "initiator-beyond-capture", "mask-beyond-capture",
            "timestamp-backwards", "unknown-event", "extra-field", "tlb-flush-pages", "tlb-flush-reason",
            "empty-range", "pid-too-large");

    private static final Pattern EVENT_LINE = Pattern.compile("^(\\s*.*?-)(\\d+)(\\s+\\[)(\\d+)(\\]\\s+\\S+\\s+)(\\d+)(:\\s+)([A-Za-z0-9_]+)(.*)$");
    private static final Set<String> TEXT_FIELDS = Set.of("prev_comm", "next_comm", "prev_state", "gfp_flags", "kernel");
    private static final Pattern FIELD = Pattern.compile(" ([a-z_]+)=(\\S+)");

    /**
     * One malformed mutant of an event line of {@code text} (lines beyond the header), of the
     * given kind, or null when the chosen line offers no place for it (the caller draws again).
     * cpus: the capture's CPU count.
     */
    public static TextMutant malformed(List<String> text, String kind, Random rnd, int cpus) {
        for (int tries = 0; tries < 200; tries++) { // a kind that needs a rare event (an initiator) draws again
            TextMutant m = malformedAt(text, kind, rnd, cpus);
            if (m != null) {
                return m;
            }
        }
        return null;
    }

    private static TextMutant malformedAt(List<String> text, String kind, Random rnd, int cpus) {
        int first = 0;
        while (first < text.size() && text.get(first).startsWith("#")) {
            first++;
        }
        int k = first + 1 + rnd.nextInt(text.size() - first - 1); // not the first event: timestamps need one before
        String l = text.get(k);
        Matcher m = EVENT_LINE.matcher(l);
        if (!m.matches()) {
            return null;
        }
        String name = m.group(8);
        String rest = m.group(9);
        List<int[]> fields = new ArrayList<>(); // {start of " key=", start of value, end}
        Matcher f = FIELD.matcher(rest);
        List<int[]> numeric = new ArrayList<>(); // the fields whose value is a number (not comm, state, flags)
        while (f.find()) {
            fields.add(new int[] {f.start(), f.start(2), f.end()});
            if (!TEXT_FIELDS.contains(f.group(1))) {
                numeric.add(fields.get(fields.size() - 1));
            }
        }
        String head = l.substring(0, m.start(9));
        String out = switch (kind) {
            case "cut-fields" -> {
                // cut inside the fields: a key without its value, or fewer fields than the event prints
                if (fields.isEmpty()) {
                    yield null;
                }
                int[] x = fields.get(rnd.nextInt(fields.size()));
                yield head + rest.substring(0, x[0] + 1 + rnd.nextInt(x[1] - x[0] - 1));
            }
            case "number-too-large" -> {
                String big = "99999999999" + rnd.nextInt(1_000_000_000);
                yield switch (rnd.nextInt(3)) {
                    case 0 -> m.group(1) + m.group(2) + m.group(3) + big + l.substring(m.end(4));
                    case 1 -> l.substring(0, m.start(6)) + big + big + l.substring(m.end(6)); // 20+ digits
                    default -> numeric.isEmpty() ? null : replaceValue(head, rest, pick(numeric, rnd), "0x1" + "0".repeat(16));
                };
            }
            case "negative-address" -> {
                int[] x = field(rest, fields, "start", "end");
                yield x == null ? null : replaceValue(head, rest, x, "-0x" + Integer.toHexString(4096 * (1 + rnd.nextInt(9))));
            }
            case "not-a-number" -> numeric.isEmpty() ? null : replaceValue(head, rest, pick(numeric, rnd), "0xzz" + rnd.nextInt(99));
            case "cpu-beyond-capture" -> m.group(1) + m.group(2) + m.group(3)
                    + String.format("%03d", cpus + rnd.nextInt(64 - cpus)) + l.substring(m.end(4));
            case "initiator-beyond-capture" -> {
                int[] x = field(rest, fields, "initiator");
                yield x == null ? null : replaceValue(head, rest, x, rnd.nextBoolean() ? "4294967295" : String.valueOf(cpus + rnd.nextInt(60)));
            }
            case "mask-beyond-capture" -> {
                int[] x = field(rest, fields, "mask");
                yield x == null ? null : replaceValue(head, rest, x, "0x" + Long.toHexString(1L << (cpus + rnd.nextInt(64 - cpus))));
            }
            case "timestamp-backwards" -> {
                long before = previousTime(text, k);
                yield before < 1 ? null : l.substring(0, m.start(6)) + (before - 1 - rnd.nextInt((int) Math.min(before, 50)))
                        + l.substring(m.end(6));
            }
            case "unknown-event" -> head.substring(0, m.start(8)) + name + "x" + rest;
            case "extra-field" -> name.startsWith("sys_") ? null : l + " extra=0x" + rnd.nextInt(99);
            case "tlb-flush-pages" -> name.equals("tlb_flush")
                    ? l.replaceFirst("pages:\\S+", "pages:" + List.of("-2", "abc", "99999999999999999999", "").get(rnd.nextInt(4)))
                    : null;
            case "tlb-flush-reason" -> name.equals("tlb_flush")
                    ? (rnd.nextBoolean() ? l.replaceFirst("\\((\\d)\\)$", "(" + (5 + rnd.nextInt(5)) + ")")
                            : l.replaceFirst("reason:[a-z ]+ \\(", "reason:remote shootdown (").replace("remote shootdown (1)", "remote shootdown (3)"))
                    : null;
            case "empty-range" -> {
                int[] st = field(rest, fields, "start");
                int[] en = field(rest, fields, "end");
                if (st == null || en == null || name.equals("finish") || rest.substring(en[1], en[2]).equals("0xffffffffffffffff")) {
                    yield null;
                }
                yield replaceValue(head, rest, st, rest.substring(en[1], en[2]));
            }
            case "pid-too-large" -> m.group(1) + (4194305 + rnd.nextInt(1000)) + l.substring(m.end(2));
            default -> throw new IllegalArgumentException("no mutation kind " + kind);
        };
        if (out == null || out.equals(l)) {
            return null;
        }
        List<String> t = new ArrayList<>(text);
        t.set(k, out);
        return new TextMutant(t, k + 1, kind);
    }

    private static int[] pick(List<int[]> fields, Random rnd) {
        return fields.get(rnd.nextInt(fields.size()));
    }

    private static int[] field(String rest, List<int[]> fields, String... keys) {
        for (int[] x : fields) {
            for (String key : keys) {
                if (rest.substring(x[0] + 1, x[1] - 1).equals(key)) {
                    return x;
                }
            }
        }
        return null;
    }

    private static String replaceValue(String head, String rest, int[] x, String v) {
        return head + rest.substring(0, x[1]) + v + rest.substring(x[2]);
    }

    private static long previousTime(List<String> text, int k) {
        for (int j = k - 1; j >= 0; j--) {
            Matcher m = EVENT_LINE.matcher(text.get(j));
            if (m.matches()) {
                return Long.parseLong(m.group(6));
            }
        }
        return -1;
    }
}
