package mmucheck.refinement.kernel;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Translates ftrace text captured by kernel/capture.sh into a FULL-state log
 * (docs/trace-format.md) of spec/tla/KernelView.tla.
 *
 * <p>Only the workload's part of the trace is kept: its tasks (comm {@value #WORKLOAD}),
 * the mms its gathers work on, the flushes of those mms, the frees of the pages those
 * gathers queued. Pointers become pfns ((page - vmemmap_base) / sizeof(struct page)),
 * mm ids (1, 2, ... in order of first gather) and virtual page numbers rank-compressed
 * in order, so every value fits TLC's 32-bit integers.
 */
public final class KernelTranslator {
    public static final String WORKLOAD = "mmuwork";
    static final String KSMD = "ksmd";
    static final int LOOKAHEAD = 4000; // events searched for the page a ptep_clear_flush() frees
    static final long FLUSH_ALL = -1L; // TLB_FLUSH_ALL
    // tlb:tlb_flush reasons, arch/x86/include/asm/tlbflush.h (enum tlb_flush_reason)
    static final int TLB_FLUSH_ON_TASK_SWITCH = 0;
    static final int TLB_REMOTE_SHOOTDOWN = 1;
    static final int TLB_LOCAL_MM_SHOOTDOWN = 3;

    /** One translated step: the log line's content plus the ftrace line it came from. */
    public record Step(int seq, int cpu, String action, Map<String, Object> args, FtraceEvent source, FtraceEvent end,
            String note) {
        public Step(int seq, int cpu, String action, Map<String, Object> args, FtraceEvent source) {
            this(seq, cpu, action, args, source, null, null);
        }
    }

    /** What the translation saw, for the health report and the diagnoses. */
    public record Stats(int events, int steps, int cpus, int mms, int recoveredFlushFuncs, int nestedSeen,
            int nestedOwed, int racyNested, int pagesQueued, int pagesFreed, int releasedAtEnd,
            List<String> javaViolations) {}

    /** The result: the log written to {@code log}, its steps, or an error line. */
    public record Translation(Path log, List<Step> steps, Stats stats, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    private KernelTranslator() {}

    public static Translation translate(List<FtraceEvent> events, Path log, String source) {
        try {
            return new Run(events).write(log, source);
        } catch (IllegalArgumentException e) {
            // a field the parser let through but the translation cannot use (FtraceEvent.num names its line)
            return new Translation(log, List.of(), null, source + ":" + e.getMessage());
        } catch (IOException e) {
            return new Translation(log, List.of(), null, log + ": cannot write: " + e.getMessage());
        }
    }

    private static final class Run {
        final List<FtraceEvent> ev;
        int cpus = 1;
        int pageStruct = 64;
        // mm pointer -> generation (bumped by __mmdrop, as the slab may reuse the pointer)
        final Map<Long, Integer> mmGen = new HashMap<>();
        // "pointer/generation" -> mm id, for the mms the workload's gathers work on
        final Map<String, Integer> mmIds = new LinkedHashMap<>();
        final TreeSet<Long> vpages = new TreeSet<>();
        Map<Long, Integer> rank = new HashMap<>();
        // per-CPU event order, for looking at a CPU's neighbouring events
        final Map<Integer, List<Integer>> perCpu = new HashMap<>();
        final int[] posInCpu;
        final List<Step> steps = new ArrayList<>();
        // a step's source when it is not the event being read (a flush_tlb_func logged at its tracepoint)
        final Map<Object[], FtraceEvent> src = new java.util.IdentityHashMap<>();
        final Map<Integer, FtraceEvent> also = new HashMap<>();
        final Map<Integer, String> notes = new HashMap<>(); // step seq -> why the step is there (for a diagnosis)
        KernelViewState st;

        Run(List<FtraceEvent> ev) {
            this.ev = ev;
            posInCpu = new int[ev.size()];
        }

        /** Pass 1: parameters, tracked mms, virtual pages to rank. */
        void scan() {
            int maxCpu = 0;
            for (int k = 0; k < ev.size(); k++) {
                FtraceEvent e = ev.get(k);
                maxCpu = Math.max(maxCpu, e.cpu());
                List<Integer> l = perCpu.computeIfAbsent(e.cpu(), x -> new ArrayList<>());
                posInCpu[k] = l.size();
                l.add(k);
                switch (e.name()) {
                    case "tracing_mark_write" -> {
                        if (e.has("smp")) {
                            maxCpu = Math.max(maxCpu, (int) e.num("smp") - 1);
                        }
                        if (e.has("sizeof_page")) {
                            pageStruct = (int) e.num("sizeof_page");
                        }
                    }
                    case "gather", "gather_fullmm" -> {
                        if (e.comm().equals(WORKLOAD)) {
                            mmIds.putIfAbsent(key(e.num("mm")), mmIds.size() + 1);
                        }
                    }
                    case "mmdrop" -> mmGen.merge(e.num("mm"), 1, Integer::sum);
                    default -> {}
                }
            }
            mmGen.clear(); // pass 2 replays the generations
            cpus = maxCpu + 1;
            for (FtraceEvent e : ev) {
                switch (e.name()) {
                    case "queue" -> vpages.add(queuedPage(e));
                    case "flush", "flush_func", "mn_start", "mn_end", "mn_invalidate" -> {
                        long end = e.num("end");
                        if (end != FLUSH_ALL) {
                            vpages.add(Long.divideUnsigned(e.num("start"), 4096));
                            vpages.add(Long.divideUnsigned(end + 4095, 4096));
                        }
                    }
                    default -> {}
                }
            }
            int r = 1;
            for (long v : vpages) {
                rank.put(v, r++);
            }
        }

        String key(long ptr) {
            return Long.toHexString(ptr) + "/" + mmGen.getOrDefault(ptr, 0);
        }

        int mm(long ptr) {
            return mmIds.getOrDefault(key(ptr), KernelViewState.NO_MM);
        }

        /** The virtual page just zapped: tlb->end - PAGE_SIZE (see KernelView's tlb_remove_page_size). */
        static long queuedPage(FtraceEvent e) {
            return Long.divideUnsigned(e.num("end"), 4096) - 1;
        }

        int va(long page) {
            return rank.get(page);
        }

        FtraceEvent neighbour(int k, int delta) {
            List<Integer> l = perCpu.get(ev.get(k).cpu());
            int p = posInCpu[k] + delta;
            return p >= 0 && p < l.size() ? ev.get(l.get(p)) : null;
        }

        Translation write(Path log, String source) throws IOException {
            scan();
            if (mmIds.isEmpty()) {
                throw new IllegalArgumentException(" no tlb_gather_mmu event of the workload ('" + WORKLOAD
                        + "'): not a kernel/capture.sh trace");
            }
            st = new KernelViewState(cpus, "nested");
            ObjectMapper om = new ObjectMapper();
            boolean dry = log == null; // model only: no log written (used to pick mutations)
            if (!dry) {
                Files.createDirectories(log.toAbsolutePath().getParent());
            }
            // translator-side bookkeeping (not spec state)
            Map<Integer, Long> openGather = new HashMap<>(); // pid -> mm pointer
            Set<Integer> inSys = new HashSet<>();
            // pfn of a queued page the view saw freed -> the task whose gather queued it. A second free
            // is a double free (not a step of the view) until the allocator hands the page out again:
            // a traced mm_page_alloc, or, since bulk allocations (vmalloc's alloc_pages_bulk) are
            // not traced, until that task's syscall returns or it starts its next gather.
            Map<Integer, Integer> freedOnce = new HashMap<>();
            // user pages the workload faulted in and no gather has queued: pfn -> {task, mm, mapped, line}
            Map<Integer, int[]> owned = new HashMap<>();
            Map<Integer, List<Integer>> faulted = new HashMap<>(); // task -> its allocations not yet known mapped
            notes.clear();
            // step seq -> the tlb:tlb_flush that ended a flush_tlb_func step (named in diagnoses)
            also.clear();
            // tasks past exit_mm_release(): they never touch user memory again and soon enter lazy TLB mode
            Set<Integer> exiting = new HashSet<>();
            // tasks inside migrate_pages() of a move_pages(2) (its kprobe to the syscall's return)
            Set<Integer> migrating = new HashSet<>();
            long[] lastFlushMm = new long[cpus];
            long[] lastFlushTime = new long[cpus];
            int recovered = 0;
            int nestedSeen = 0;
            int queuedCount = 0;
            int freedCount = 0;
            List<String> javaViolations = new ArrayList<>();
            int owedCount = 0;
            try (OutputStream os = dry ? OutputStream.nullOutputStream() : Files.newOutputStream(log);
                    JsonGenerator g = om.getFactory().createGenerator(os, JsonEncoding.UTF8)) {
                g.setRootValueSeparator(new com.fasterxml.jackson.core.io.SerializedString("\n"));
                ObjectNode header = om.createObjectNode();
                header.put("format", "mmucheck-trace");
                header.put("version", 1);
                header.put("spec", "KernelView");
                ObjectNode consts = header.putObject("constants");
                ObjectNode cpuSet = consts.putObject("Cpus");
                var arr = cpuSet.putArray("#set");
                for (int c = 0; c < cpus; c++) {
                    arr.add(c);
                }
                consts.put("cpu_flush", "nested");
                // events only: each line carries the variables its action changed (docs/trace-format.md)
                header.put("mode", "partial");
                header.put("seed", 0);
                header.put("strategy", "kernel");
                header.put("impl", "linux (ftrace via kernel/capture.sh): " + source);
                g.writeTree(header);
                ObjectNode initLine = om.createObjectNode();
                initLine.put("seq", 0);
                initLine.put("action", "Init");
                initLine.set("state", st.toJson());
                g.writeTree(initLine);

                for (int k = 0; k < ev.size(); k++) {
                    FtraceEvent e = ev.get(k);
                    int c = e.cpu();
                    boolean wl = e.comm().equals(WORKLOAD);
                    if (wl && !e.name().startsWith("mm_page_") && !e.interrupt()) {
                        // the task went on after its fault: the pages it allocated are mapped (an
                        // interrupt on top of it, such as a flush IPI's flush_tlb_func, is not the task)
                        List<Integer> fresh = faulted.remove(e.pid());
                        if (fresh != null) {
                            fresh.forEach(p -> { if (owned.containsKey(p)) { owned.get(p)[2] = 1; } });
                        }
                    }
                    List<Object[]> out = new ArrayList<>(1); // {action, args}
                    if (st.switching.contains(c)) {
                        // switch_mm_irqs_off() ran with interrupts off up to here: it ends at its
                        // TLB_FLUSH_ON_TASK_SWITCH tracepoint, or before the CPU's next event.
                        boolean end = e.name().equals("tlb_flush") && e.num("reason") == TLB_FLUSH_ON_TASK_SWITCH;
                        out.add(act("switch_mm_irqs_off_return", "c", c, "flushed", end && e.num("pages") != 0));
                    }
                    switch (e.name()) {
                        case "sys_madvise", "sys_munmap", "sys_mmap", "sys_clone" -> {
                            if (!e.exit() && wl) {
                                inSys.add(e.pid());
                                freedOnce.values().removeIf(t -> t == e.pid());
                                out.add(act("sys_enter", "t", e.pid(), "call", e.name().substring(4)));
                            } else if (e.exit() && inSys.remove(e.pid())) {
                                freedOnce.values().removeIf(t -> t == e.pid());
                                out.add(act("sys_exit", "t", e.pid()));
                            }
                        }
                        case "sys_move_pages" -> {
                            if (e.exit()) {
                                migrating.remove(e.pid());
                            }
                        }
                        case "migrate" -> {
                            if (wl) {
                                migrating.add(e.pid());
                            }
                        }
                        case "cow" -> {
                            if (wl) {
                                out.add(act("wp_page_copy", "t", e.pid()));
                            }
                        }
                        case "cow_ret" -> {
                            if (wl) {
                                out.add(act("wp_page_copy_return", "t", e.pid()));
                            }
                        }
                        case "gather", "gather_fullmm" -> {
                            int m = mm(e.num("mm"));
                            if (m != KernelViewState.NO_MM) {
                                openGather.put(e.pid(), e.num("mm"));
                                freedOnce.values().removeIf(t -> t == e.pid());
                                out.add(act("tlb_gather_mmu", "t", e.pid(), "m", m, "pending", (int) e.num("pending"),
                                        "fullmm", e.name().equals("gather_fullmm")));
                            }
                        }
                        case "queue" -> {
                            if (openGather.containsKey(e.pid())) {
                                long pfn = Long.divideUnsigned(e.num("page") - e.num("vmemmap"), pageStruct);
                                queuedCount++;
                                owned.remove((int) pfn); // from here on the gather answers for it
                                out.add(act("tlb_remove_page_size", "t", e.pid(), "pfn", (int) pfn, "va",
                                        va(queuedPage(e)), "table", e.has("tables") && e.num("tables") != 0));
                            }
                        }
                        case "finish" -> {
                            if (openGather.containsKey(e.pid())) {
                                int pending = (int) e.num("pending");
                                if (pending > 1) {
                                    nestedSeen++;
                                }
                                out.add(act("tlb_finish_mmu", "t", e.pid(), "pending", pending));
                            }
                        }
                        case "finish_ret" -> {
                            if (openGather.remove(e.pid()) != null) {
                                out.add(act("tlb_finish_mmu_return", "t", e.pid()));
                            }
                        }
                        case "flush" -> {
                            lastFlushMm[c] = e.num("mm");
                            lastFlushTime[c] = e.time();
                            int m = mm(e.num("mm"));
                            if (m != KernelViewState.NO_MM) {
                                if (wl && migrating.contains(e.pid())) {
                                    // flush_tlb_page() of try_to_migrate_one()'s ptep_clear_flush()
                                    int pfn = unmappedPage(k, m, owned);
                                    if (pfn >= 0) {
                                        out.add(act("ptep_clear_flush", "t", e.pid(), "m", m, "pfn", pfn, "va",
                                                va(Long.divideUnsigned(e.num("start"), 4096))));
                                    }
                                }
                                out.add(flushArgs(e, c, m));
                            }
                        }
                        case "flush_multi" -> {
                            if (mm(lastFlushMm[c]) != KernelViewState.NO_MM) {
                                long mask = e.num("mask");
                                Set<Integer> ts = new TreeSet<>();
                                for (int x = 0; x < cpus && x < 64; x++) {
                                    if ((mask >>> x & 1) != 0) {
                                        ts.add(x);
                                    }
                                }
                                out.add(act("native_flush_tlb_multi", "c", c, "targets", ts));
                            }
                        }
                        case "flush_func" -> {
                            // flush_tlb_func() ends at its tlb:tlb_flush (the next event on this CPU, with
                            // interrupts off), whose page count says what it did; without one it returned
                            // early (f->mm != loaded_mm, f->new_tlb_gen <= local_tlb_gen, lazy): pages 0.
                            FtraceEvent next = neighbour(k, 1);
                            boolean traced = next != null && next.name().equals("tlb_flush")
                                    && (next.num("reason") == TLB_REMOTE_SHOOTDOWN
                                            || next.num("reason") == TLB_LOCAL_MM_SHOOTDOWN);
                            if (!traced) {
                                Object[] f = flushFunc(e, null);
                                if (f != null) {
                                    out.add(f);
                                }
                            }
                        }
                        case "tlb_flush" -> {
                            int reason = (int) e.num("reason");
                            if (reason == TLB_REMOTE_SHOOTDOWN || reason == TLB_LOCAL_MM_SHOOTDOWN) {
                                FtraceEvent prev = neighbour(k, -1);
                                if (prev != null && prev.name().equals("flush_func")) {
                                    Object[] f = flushFunc(prev, e);
                                    if (f != null) {
                                        out.add(f);
                                        also.put(steps.size() + out.size(), e);
                                    }
                                } else {
                                    // The flush_tlb_func kprobe hit was missed (KERNEL-TRACES.md): the
                                    // tracepoint at its end was not. Its flush is the one its initiator
                                    // issued last: this CPU for a local flush, else the latest other one.
                                    int init = c;
                                    if (reason == TLB_REMOTE_SHOOTDOWN) {
                                        long best = Long.MIN_VALUE;
                                        for (int x = 0; x < cpus; x++) {
                                            if (x != c && lastFlushTime[x] > best && lastFlushTime[x] <= e.time()) {
                                                best = lastFlushTime[x];
                                                init = x;
                                            }
                                        }
                                    }
                                    int m = mm(lastFlushMm[init]);
                                    KernelViewState.Flush fl = st.flushing[init];
                                    // a count of pages with no range to flush: the guessed initiator is wrong; recover nothing
                                    if (m != KernelViewState.NO_MM && fl.mm() == m && !(fl.all() && e.num("pages") > 0)) {
                                        recovered++;
                                        out.add(act("flush_tlb_func", "c", c, "i", init, "m", m, "lo", fl.lo(), "hi", fl.hi(),
                                                "all", fl.all(), "pages", pages(e, fl.all()), "recovered", true));
                                    }
                                }
                            }
                        }
                        case "switch_mm" -> {
                            int m = mm(e.num("next"));
                            FtraceEvent prev = neighbour(k, -1);
                            FtraceEvent next = neighbour(k, 1);
                            boolean user = prev != null && prev.name().equals("sched_switch")
                                    ? !exiting.contains((int) prev.num("next_pid"))
                                    : wl && !exiting.contains(e.pid());
                            boolean flushed = next != null && next.name().equals("tlb_flush")
                                    && next.num("reason") == TLB_FLUSH_ON_TASK_SWITCH && next.num("pages") != 0;
                            boolean lz = !user;
                            if (m != st.loaded[c] || lz != st.lazy[c] || (flushed && m != KernelViewState.NO_MM)) {
                                if (m != KernelViewState.NO_MM || st.loaded[c] != KernelViewState.NO_MM) {
                                    out.add(act("switch_mm_irqs_off", "c", c, "m", m, "lz", lz));
                                }
                            }
                        }
                        case "sched_switch" -> {
                            FtraceEvent next = neighbour(k, 1);
                            boolean toUser = next != null && next.name().equals("switch_mm");
                            if (!toUser && st.loaded[c] != KernelViewState.NO_MM && !st.lazy[c]) {
                                // a kernel thread borrows the mm: lazy TLB mode, no switch_mm_irqs_off()
                                out.add(act("enter_lazy_tlb", "c", c));
                            }
                        }
                        case "exit_mm" -> {
                            // exit_mm(): the exiting thread drops its mm and the CPU enters lazy TLB
                            // mode (enter_lazy_tlb) without a context switch.
                            if (wl) {
                                exiting.add(e.pid());
                            }
                            if (wl && st.loaded[c] != KernelViewState.NO_MM && !st.lazy[c]) {
                                out.add(act("enter_lazy_tlb", "c", c));
                            }
                        }
                        case "mm_page_free" -> {
                            int pfn = (int) e.num("pfn");
                            int owner = st.isQueued(pfn) ? Math.max(st.queuedBy(pfn), 0) : 0;
                            boolean cleared = st.isQueued(pfn) && owner == 0; // by ptep_clear_flush
                            // a page the view saw freed and not allocated again since: a second free of it
                            // is a double free whenever it comes (not a step of the view)
                            int[] own = owned.remove(pfn);
                            if (owner != 0 || cleared || freedOnce.containsKey(pfn)) {
                                freedCount++;
                                freedOnce.putIfAbsent(pfn, owner != 0 ? owner : e.pid());
                                out.add(act("page_free", "pfn", pfn));
                                if (owner == 0 && !cleared) {
                                    notes.put(steps.size() + out.size(), "pfn 0x" + Integer.toHexString(pfn)
                                            + " was freed before (the view saw no allocation of it since): a double free");
                                }
                            } else if (own != null && own[2] == 1 && !st.fault.contains(e.pid()) && !e.comm().equals(KSMD)) {
                                // a page the workload faulted in and no gather queued: freed while still mapped
                                // (a CoW fault frees the old page after its own ptep_clear_flush: not counted;
                                // nor ksmd's put of a page that replace_page() or a CoW fault unmapped: the
                                // probes name no page, so the flush it needed is not known)
                                freedCount++;
                                out.add(act("page_free", "pfn", pfn));
                                notes.put(steps.size() + out.size(), "pfn 0x" + Integer.toHexString(pfn)
                                        + " was faulted in by task " + own[0] + " of mm " + own[1] + " (mm_page_alloc at ftrace"
                                        + " line " + own[3] + ") and is freed without going through a gather");
                            }
                        }
                        case "mm_page_alloc" -> {
                            long head = e.num("pfn");
                            owned.remove((int) head);
                            // a user page the workload allocates in a fault: mapped once the task goes on
                            // (an allocation freed before that lost a fault race and was never mapped)
                            if (wl && e.num("order") == 0 && e.str("gfp_flags").contains("GFP_HIGHUSER_MOVABLE")
                                    && st.loaded[c] != KernelViewState.NO_MM && !st.lazy[c]) {
                                owned.put((int) head, new int[] {e.pid(), st.loaded[c], 0, e.line()});
                                faulted.computeIfAbsent(e.pid(), x -> new ArrayList<>()).add((int) head);
                            }
                            for (long p = head; p < head + (1L << e.num("order")); p++) {
                                freedOnce.remove((int) p);
                            }
                        }
                        case "mmdrop" -> {
                            int m = mm(e.num("mm"));
                            if (m != KernelViewState.NO_MM) {
                                out.add(act("mmdrop", "m", m));
                                owned.values().removeIf(o -> o[1] == m);
                            }
                            mmGen.merge(e.num("mm"), 1, Integer::sum);
                        }
                        case "mn_register" -> {
                            int m = mm(e.num("mm"));
                            if (m != KernelViewState.NO_MM) {
                                out.add(act("mmu_notifier_register", "m", m));
                            }
                        }
                        case "mn_start", "mn_end", "mn_invalidate" -> {
                            int m = mm(e.num("mm"));
                            if (m != KernelViewState.NO_MM) {
                                String a = switch (e.name()) {
                                    case "mn_start" -> "mmu_notifier_invalidate_range_start";
                                    case "mn_end" -> "mmu_notifier_invalidate_range_end";
                                    default -> "mmu_notifier_invalidate_range";
                                };
                                long end = e.num("end");
                                int lo = end == FLUSH_ALL ? 0 : va(Long.divideUnsigned(e.num("start"), 4096));
                                int hi = end == FLUSH_ALL ? Integer.MAX_VALUE : va(Long.divideUnsigned(end + 4095, 4096));
                                out.add(act(a, "t", e.pid(), "m", m, "lo", lo, "hi", hi));
                            }
                        }
                        default -> {}
                    }
                    for (Object[] o : out) {
                        String action = (String) o[0];
                        @SuppressWarnings("unchecked")
                        Map<String, Object> args = (Map<String, Object>) o[1];
                        boolean owedBefore = action.equals("tlb_finish_mmu") && st.owes.contains((Integer) args.get("t"));
                        boolean ok = st.apply(action, args);
                        if (action.equals("tlb_finish_mmu") && !owedBefore && st.owes.contains((Integer) args.get("t"))) {
                            owedCount++; // a debt this finish made (a task may carry one across gathers of a syscall)
                        }
                        int seq = steps.size() + 1;
                        Step s = new Step(seq, c, action, args, src.getOrDefault(o, e), also.get(seq), notes.get(seq));
                        steps.add(s);
                        if (!ok && javaViolations.isEmpty()) {
                            javaViolations.add("seq " + seq + " " + action + ": not a step");
                        }
                        if (javaViolations.isEmpty()) {
                            List<String> v = st.violated();
                            if (!v.isEmpty()) {
                                javaViolations.add("seq " + seq + " " + action + ": " + String.join(", ", v));
                            }
                        }
                        ObjectNode line = om.createObjectNode();
                        line.put("seq", seq);
                        line.put("agent", "cpu" + c);
                        line.put("action", action);
                        ObjectNode an = line.putObject("args");
                        args.forEach((key, val) -> {
                            if (val instanceof Integer x) {
                                an.put(key, x);
                            } else if (val instanceof Boolean x) {
                                an.put(key, x);
                            } else if (val instanceof String x) {
                                an.put(key, x);
                            } else if (val instanceof Set<?> x) {
                                @SuppressWarnings("unchecked")
                                Set<Integer> xs = (Set<Integer>) x;
                                an.set(key, KernelViewState.intSet(xs));
                            }
                        });
                        if (!dry) {
                            line.set("state", st.changedJson());
                            g.writeTree(line);
                        }
                    }
                }
                ObjectNode end = om.createObjectNode();
                end.put("end", "completed");
                end.put("steps", steps.size());
                end.putArray("observed");
                g.writeTree(end);
                g.writeRaw('\n');
            }
            int released = (int) st.queued.stream().filter(KernelViewState.Queued::released).count();
            Stats stats = new Stats(ev.size(), steps.size(), cpus, mmIds.size(), recovered, nestedSeen, owedCount,
                    nestedSeen - owedCount + st.excusedRaces, queuedCount, freedCount, released, javaViolations);
            return new Translation(log, steps, stats, null);
        }

        /**
         * The page whose PTE the one-page flush_tlb_mm_range at event k (flush_tlb_page() of
         * try_to_migrate_one()'s ptep_clear_flush()) cleared: the probes give no page, so it is
         * the page of mm m the workload faulted in (mapped) that the same task frees next, before
         * its next flush (6.1's unmap_and_move() handles one page at a time: the new page
         * allocated, the old one unmapped, copied, remove_migration_ptes(), the old one put);
         * -1 when there is none (the free comes later and is judged as any other).
         */
        private int unmappedPage(int k, int m, Map<Integer, int[]> owned) {
            FtraceEvent f = ev.get(k);
            if (f.num("end") == FLUSH_ALL || f.num("end") - f.num("start") != 4096) {
                return -1;
            }
            for (int j = k + 1; j < ev.size() && j < k + LOOKAHEAD; j++) {
                FtraceEvent e = ev.get(j);
                if (e.pid() != f.pid() || e.interrupt()) {
                    continue;
                }
                if (e.name().equals("flush") || (e.name().equals("sys_move_pages") && e.exit())) {
                    return -1;
                }
                if (e.name().equals("mm_page_free")) {
                    int[] own = owned.get((int) e.num("pfn"));
                    if (own != null && own[1] == m && own[2] == 1) {
                        return (int) e.num("pfn");
                    }
                }
            }
            return -1;
        }

        /**
         * flush_tlb_func of the kprobe hit e on its CPU, ended by tracepoint tp (null: it returned
         * without one, pages 0); null when its mm is not the workload's.
         */
        private Object[] flushFunc(FtraceEvent e, FtraceEvent tp) {
            int m = mm(e.num("mm"));
            if (m == KernelViewState.NO_MM) {
                return null;
            }
            long end = e.num("end");
            boolean all = end == FLUSH_ALL;
            int lo = all ? 0 : va(Long.divideUnsigned(e.num("start"), 4096));
            int hi = all ? 0 : va(Long.divideUnsigned(end + 4095, 4096));
            int pages = 0;
            if (tp != null) {
                pages = pages(tp, all);
                if (pages > 0) {
                    long span = end - e.num("start");
                    if (span != (long) pages << 12 && span != (long) pages << 21 && span != (long) pages << 30) {
                        throw new IllegalArgumentException(tp.line() + ": tlb_flush: field pages:" + pages
                                + " is not the size of its flush_tlb_func's range (line " + e.line() + ", "
                                + e.str("start") + ".." + e.str("end") + ")");
                    }
                }
            }
            Object[] a = act("flush_tlb_func", "c", e.cpu(), "i", (int) e.num("initiator"), "m", m, "lo", lo, "hi", hi,
                    "all", all, "pages", pages, "recovered", false);
            src.put(a, e);
            return a;
        }

        /** A flush_tlb_func tracepoint's page count: -1 (TLB_FLUSH_ALL), 0 or a count of pages of a ranged flush. */
        private static int pages(FtraceEvent tp, boolean all) {
            long p = tp.num("pages");
            if (p > 0 && all) {
                throw new IllegalArgumentException(tp.line() + ": tlb_flush: field pages:" + p
                        + " counts pages of a TLB_FLUSH_ALL flush (a partial flush needs a range)");
            }
            return p > Integer.MAX_VALUE ? Integer.MAX_VALUE : (int) p;
        }

        private Object[] flushArgs(FtraceEvent e, int c, int m) {
            long end = e.num("end");
            boolean all = end == FLUSH_ALL;
            int lo = all ? 0 : va(Long.divideUnsigned(e.num("start"), 4096));
            int hi = all ? 0 : va(Long.divideUnsigned(end + 4095, 4096));
            return act("flush_tlb_mm_range", "t", e.pid(), "c", c, "m", m, "lo", lo, "hi", hi, "all", all);
        }
    }

    /** The view's state after step {@code seq} of a translation (seq 0: the initial state). */
    static KernelViewState replay(List<Step> steps, int cpus, int seq) {
        KernelViewState s = new KernelViewState(cpus, "nested");
        for (Step st : steps) {
            if (st.seq() > seq) {
                break;
            }
            s.apply(st.action(), st.args());
        }
        return s;
    }

    private static Object[] act(String action, Object... kv) {
        Map<String, Object> args = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            args.put((String) kv[k], kv[k + 1]);
        }
        return new Object[] {action, args};
    }
}
