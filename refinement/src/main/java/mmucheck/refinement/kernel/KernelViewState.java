package mmucheck.refinement.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * The translator's own computation of spec/tla/KernelView.tla's state, step by step, so
 * that the log it writes is a FULL-state log. It mirrors the spec's actions one for one;
 * TLC (see {@link TlcTraceCheck}) then checks the log against the spec itself, so a
 * disagreement between this class and the spec shows up as a divergence, not a verdict.
 * Mutable, and private to one translation.
 */
final class KernelViewState {
    static final int NO_MM = 0;

    record Gather(int mm, int pending, String phase, Set<Integer> with, boolean decided, boolean fullmm) {}

    record Queued(int pfn, int mm, int va, int task, Set<Integer> cache, boolean released, boolean table, boolean bracketed,
            Set<Integer> exposed) {}

    record Stale(int cpu, int pfn, int mm, int va, boolean table) {}

    record Flush(int mm, int lo, int hi, boolean all, Set<Integer> snap, Set<Integer> targets) {}

    record Bracket(int depth, int lo, int hi) {}

    final int cpus;
    final String cpuFlush;
    final int[] loaded;
    final boolean[] lazy;
    final TreeSet<Integer> switching = new TreeSet<>();
    final TreeMap<Integer, String> sys = new TreeMap<>();
    final TreeSet<Integer> fault = new TreeSet<>();
    final TreeMap<Integer, Gather> gathers = new TreeMap<>();
    final TreeSet<Integer> owes = new TreeSet<>();
    List<Queued> queued = new ArrayList<>();
    Set<Stale> stale = new HashSet<>();
    final Flush[] flushing;
    final TreeSet<Integer> notifier = new TreeSet<>();
    final TreeMap<Integer, Bracket> mn = new TreeMap<>();
    /** Nested-flush debts excused because every gather that made them ended first (not spec state). */
    int excusedRaces;

    private static final Flush NO_FLUSH = new Flush(NO_MM, 0, 0, false, Set.of(), Set.of());

    KernelViewState(int cpus, String cpuFlush) {
        this.cpus = cpus;
        this.cpuFlush = cpuFlush;
        loaded = new int[cpus];
        lazy = new boolean[cpus];
        java.util.Arrays.fill(lazy, true);
        flushing = new Flush[cpus];
        java.util.Arrays.fill(flushing, NO_FLUSH);
    }

    private Set<Integer> allCpus() {
        Set<Integer> s = new TreeSet<>();
        for (int c = 0; c < cpus; c++) {
            s.add(c);
        }
        return s;
    }

    /**
     * Applies one action; returns false when the spec does not allow it here (the state is
     * left unchanged and the log line will be rejected by the checker).
     */
    boolean apply(String action, Map<String, Object> a) {
        touched(action);
        switch (action) {
            case "sys_enter" -> sys.put(i(a, "t"), (String) a.get("call"));
            case "sys_exit" -> {
                if (sys.remove(i(a, "t")) == null) {
                    return false;
                }
            }
            case "wp_page_copy" -> fault.add(i(a, "t"));
            case "wp_page_copy_return" -> fault.remove(i(a, "t"));
            case "tlb_gather_mmu" -> {
                int t = i(a, "t");
                if (gathers.containsKey(t) || i(a, "m") == NO_MM) {
                    return false;
                }
                gathers.put(t, new Gather(i(a, "m"), i(a, "pending"), "zap", Set.of(), false, b(a, "fullmm")));
            }
            case "tlb_remove_page_size" -> {
                int t = i(a, "t");
                Gather g = gathers.get(t);
                if (g == null) {
                    return false;
                }
                int va = i(a, "va");
                Bracket br = mn.get(t);
                boolean bracketed = b(a, "table") || !notifier.contains(g.mm())
                        || (br != null && br.lo() <= va && va < br.hi());
                Queued q = new Queued(i(a, "pfn"), g.mm(), va, t, allCpus(), false, b(a, "table"), bracketed, Set.of());
                if (!queued.contains(q)) {
                    queued.add(q);
                }
            }
            case "ptep_clear_flush" -> {
                int m = i(a, "m");
                if (m == NO_MM) {
                    return false;
                }
                int t = i(a, "t");
                int va = i(a, "va");
                Bracket br = mn.get(t);
                boolean bracketed = !notifier.contains(m) || (br != null && br.lo() <= va && va < br.hi());
                Queued q = new Queued(i(a, "pfn"), m, va, 0, allCpus(), true, false, bracketed, Set.of());
                if (!queued.contains(q)) {
                    queued.add(q);
                }
            }
            case "tlb_finish_mmu" -> {
                int t = i(a, "t");
                Gather g = gathers.get(t);
                if (g == null || !g.phase().equals("zap")) {
                    return false;
                }
                int pending = i(a, "pending");
                Set<Integer> others = new TreeSet<>();
                gathers.forEach((u, h) -> {
                    if (u != t && h.mm() == g.mm()) {
                        others.add(u);
                    }
                });
                boolean nested = cpuFlush.equals("nested") && pending > 1 && !others.isEmpty();
                gathers.put(t, new Gather(g.mm(), pending, "finish", nested ? others : Set.of(), g.decided(), g.fullmm()));
                if (nested) {
                    owes.add(t);
                }
                List<Queued> nq = new ArrayList<>(queued.size());
                for (Queued q : queued) {
                    Queued r = q;
                    if (q.mm() == g.mm() && q.task() != t && !q.released()) {
                        Set<Integer> ex = new TreeSet<>(q.exposed());
                        ex.add(t);
                        r = new Queued(q.pfn(), q.mm(), q.va(), q.task(), q.cache(), q.released(), q.table(), q.bracketed(), ex);
                    }
                    if (!nq.contains(r)) {
                        nq.add(r);
                    }
                }
                queued = nq;
            }
            case "tlb_finish_mmu_return" -> {
                int t = i(a, "t");
                Gather g = gathers.get(t);
                if (g == null || !g.phase().equals("finish")) {
                    return false;
                }
                gathers.remove(t);
                Set<Integer> excused = new TreeSet<>();
                for (Map.Entry<Integer, Gather> en : gathers.entrySet()) {
                    Gather h = en.getValue();
                    if (h.phase().equals("finish") && !h.decided() && h.with().contains(t)) {
                        Set<Integer> w = new TreeSet<>(h.with());
                        w.remove(t);
                        en.setValue(new Gather(h.mm(), h.pending(), h.phase(), w, h.decided(), h.fullmm()));
                        if (w.isEmpty()) {
                            excused.add(en.getKey());
                        }
                    }
                }
                for (int u : excused) {
                    if (owes.remove(u)) {
                        excusedRaces++;
                    }
                }
                List<Queued> nq = new ArrayList<>(queued.size());
                for (Queued q : queued) {
                    if (q.task() == t && q.cache().isEmpty()) {
                        continue; // flushed everywhere: no free of it can be early
                    }
                    Queued r = q.task() == t ? new Queued(q.pfn(), q.mm(), q.va(), q.task(), q.cache(), true, q.table(), q.bracketed(), q.exposed()) : q;
                    if (!nq.contains(r)) {
                        nq.add(r);
                    }
                }
                queued = nq;
            }
            case "mmu_notifier_register" -> notifier.add(i(a, "m"));
            case "mmu_notifier_invalidate_range_start" -> {
                int t = i(a, "t");
                Bracket br = mn.get(t);
                mn.put(t, br != null ? new Bracket(br.depth() + 1, br.lo(), br.hi()) : new Bracket(1, i(a, "lo"), i(a, "hi")));
            }
            case "mmu_notifier_invalidate_range_end" -> {
                int t = i(a, "t");
                Bracket br = mn.get(t);
                if (br != null && br.depth() == 1) {
                    mn.remove(t);
                } else if (br != null) {
                    mn.put(t, new Bracket(br.depth() - 1, br.lo(), br.hi()));
                } else {
                    mn.put(t, new Bracket(0, i(a, "lo"), i(a, "hi")));
                }
            }
            case "mmu_notifier_invalidate_range" -> {
                if (!notifier.contains(i(a, "m"))) {
                    return false;
                }
            }
            case "flush_tlb_mm_range" -> {
                int t = i(a, "t");
                int c = i(a, "c");
                int m = i(a, "m");
                if (m == NO_MM) {
                    return false;
                }
                Set<Integer> snap = new TreeSet<>();
                for (Queued q : queued) {
                    if (q.mm() == m) {
                        snap.add(q.pfn());
                    }
                }
                for (Stale s : stale) {
                    if (s.mm() == m) {
                        snap.add(s.pfn());
                    }
                }
                boolean all = b(a, "all");
                flushing[c] = new Flush(m, i(a, "lo"), i(a, "hi"), all, snap, Set.of(c));
                Gather g = gathers.get(t);
                if (g != null && g.phase().equals("finish") && g.mm() == m) {
                    gathers.put(t, new Gather(g.mm(), g.pending(), g.phase(), g.with(), true, g.fullmm()));
                    if (all) {
                        owes.remove(t);
                    }
                }
            }
            case "native_flush_tlb_multi" -> {
                int c = i(a, "c");
                Flush f = flushing[c];
                if (f.mm() == NO_MM) {
                    return false;
                }
                @SuppressWarnings("unchecked")
                Set<Integer> ts = new TreeSet<>((Set<Integer>) a.get("targets"));
                flushing[c] = new Flush(f.mm(), f.lo(), f.hi(), f.all(), f.snap(), ts);
            }
            case "flush_tlb_func" -> {
                int c = i(a, "c");
                int m = i(a, "m");
                Flush f = flushing[i(a, "i")];
                int lo = i(a, "lo");
                int hi = i(a, "hi");
                boolean all = b(a, "all");
                int pages = i(a, "pages");
                if (m == NO_MM || f.mm() != m || !(all || (!f.all() && lo == f.lo() && hi == f.hi()))
                        || (pages > 0 && all)) {
                    return false;
                }
                if (loaded[c] == m && pages != 0) {
                    // -1: a full flush of the ASID; n > 0: the pages queued before the flush, in its range
                    forgetCached(c, q -> q.mm() == m && (pages == -1 || (f.snap().contains(q.pfn()) && lo <= q.va() && q.va() < hi)));
                    stale.removeIf(s -> s.cpu() == c && s.mm() == m
                            && (pages == -1 || (f.snap().contains(s.pfn()) && lo <= s.va() && s.va() < hi)));
                }
            }
            case "page_free" -> {
                int pfn = i(a, "pfn");
                List<Queued> gone = queued.stream().filter(q -> q.pfn() == pfn).toList();
                if (gone.isEmpty()) {
                    return false;
                }
                queued = new ArrayList<>(queued.stream().filter(q -> q.pfn() != pfn).toList());
                for (Queued q : gone) {
                    for (int c : q.cache()) {
                        stale.add(new Stale(c, pfn, q.mm(), q.va(), q.table()));
                    }
                }
            }
            case "mmdrop" -> {
                int m = i(a, "m");
                queued = new ArrayList<>(queued.stream().filter(q -> q.mm() != m).toList());
                stale.removeIf(x -> x.mm() == m);
                notifier.remove(m);
            }
            case "enter_lazy_tlb" -> {
                int c = i(a, "c");
                if (loaded[c] == NO_MM) {
                    return false;
                }
                lazy[c] = true;
            }
            case "switch_mm_irqs_off" -> {
                int c = i(a, "c");
                if (!switching.add(c)) {
                    return false;
                }
                loaded[c] = i(a, "m");
                lazy[c] = b(a, "lz");
            }
            case "switch_mm_irqs_off_return" -> {
                int c = i(a, "c");
                if (!switching.remove(c)) {
                    return false;
                }
                int m = loaded[c];
                if (b(a, "flushed") && m != NO_MM) {
                    forgetCached(c, q -> q.mm() == m);
                    stale.removeIf(s -> s.cpu() == c && s.mm() == m);
                }
            }
            default -> throw new IllegalArgumentException("unknown KernelView action " + action);
        }
        return true;
    }

    /** Which of the spec's invariants this state violates (empty when none). */
    List<String> violated() {
        List<String> v = new ArrayList<>();
        for (Stale s : stale) {
            if (reachable(s)) {
                v.add("NoFreedPageReachable");
                break;
            }
        }
        zapped:
        for (Queued q : queued) {
            for (int t : q.exposed()) {
                if (!gathers.containsKey(t) && !sys.containsKey(t)) {
                    for (int c : q.cache()) {
                        if (reaches(c, q.mm(), q.table())) {
                            v.add("ZappedPageUnreachableAfterReturn");
                            break zapped;
                        }
                    }
                }
            }
        }
        for (int t : owes) {
            if (!gathers.containsKey(t) && !sys.containsKey(t)) {
                v.add("NestedFlushBeforeReturn");
                break;
            }
        }
        for (Map.Entry<Integer, Bracket> e : mn.entrySet()) {
            int t = e.getKey();
            if (e.getValue().depth() < 1 || !(sys.containsKey(t) || gathers.containsKey(t) || fault.contains(t))) {
                v.add("NotifierPaired");
                break;
            }
        }
        for (Queued q : queued) {
            if (!q.bracketed()) {
                v.add("NotifierBracketsZap");
                break;
            }
        }
        outer:
        for (int x = 0; x < queued.size(); x++) {
            for (int y = x + 1; y < queued.size(); y++) {
                Queued p = queued.get(x);
                Queued q = queued.get(y);
                if (p.pfn() == q.pfn() && p.mm() == q.mm()) {
                    v.add("QueuedOncePerMapping");
                    break outer;
                }
            }
        }
        return v;
    }

    /** Can the CPU of this stale translation use it: it runs the mm outside a switch, not lazily unless it is a page table? */
    boolean reachable(Stale s) {
        return reaches(s.cpu(), s.mm(), s.table());
    }

    /** KernelView's Reaches(c, s). */
    boolean reaches(int c, int mm, boolean table) {
        return loaded[c] == mm && !switching.contains(c) && (!lazy[c] || table);
    }

    /** The task of a queued record of pfn (0 if none). */
    boolean isQueued(int pfn) {
        for (Queued q : queued) {
            if (q.pfn() == pfn) {
                return true;
            }
        }
        return false;
    }

    int queuedBy(int pfn) {
        for (Queued q : queued) {
            if (q.pfn() == pfn) {
                return q.task();
            }
        }
        return 0;
    }

    // ---- JSON (docs/trace-format.md encoding) ----

    private static final JsonNodeFactory J = JsonNodeFactory.instance;

    /** Which variables each action may change: the complement of its UNCHANGED in KernelView.tla. */
    static final Map<String, List<String>> CHANGES = Map.ofEntries(
            Map.entry("sys_enter", List.of("sys")),
            Map.entry("sys_exit", List.of("sys")),
            Map.entry("wp_page_copy", List.of("fault")),
            Map.entry("wp_page_copy_return", List.of("fault")),
            Map.entry("tlb_gather_mmu", List.of("gathers")),
            Map.entry("tlb_remove_page_size", List.of("queued")),
            Map.entry("ptep_clear_flush", List.of("queued")),
            Map.entry("tlb_finish_mmu", List.of("gathers", "owes", "queued")),
            Map.entry("tlb_finish_mmu_return", List.of("gathers", "owes", "queued")),
            Map.entry("mmu_notifier_register", List.of("notifier")),
            Map.entry("mmu_notifier_invalidate_range_start", List.of("mn")),
            Map.entry("mmu_notifier_invalidate_range_end", List.of("mn")),
            Map.entry("mmu_notifier_invalidate_range", List.of()),
            Map.entry("flush_tlb_mm_range", List.of("flushing", "gathers", "owes")),
            Map.entry("native_flush_tlb_multi", List.of("flushing")),
            Map.entry("flush_tlb_func", List.of("queued", "stale")),
            Map.entry("page_free", List.of("queued", "stale")),
            Map.entry("mmdrop", List.of("queued", "stale", "notifier")),
            Map.entry("enter_lazy_tlb", List.of("lazy")),
            Map.entry("switch_mm_irqs_off", List.of("loaded", "lazy", "switching")),
            Map.entry("switch_mm_irqs_off_return", List.of("switching", "queued", "stale")));

    /** The spec's variables in the order the log writes them. */
    static final List<String> VARS = List.of("loaded", "lazy", "switching", "sys", "fault", "gathers", "owes",
            "queued", "stale", "flushing", "notifier", "mn");

    // each variable's JSON, rebuilt only after an action that may change it (most change one or two)
    private final Map<String, JsonNode> json = new HashMap<>();

    // the JSON of the variables the last action may have changed, as they were before it
    private final Map<String, JsonNode> before = new HashMap<>();

    private void touched(String action) {
        before.clear();
        List<String> vs = CHANGES.get(action);
        for (String v : vs == null ? VARS : vs) {
            before.put(v, json.remove(v)); // null when never built: changedJson() then logs it
        }
    }

    /** For a partial log line: the variables the last applied action changed, with their new values. */
    ObjectNode changedJson() {
        ObjectNode s = J.objectNode();
        for (String v : VARS) {
            if (before.containsKey(v)) {
                JsonNode now = json.computeIfAbsent(v, this::build);
                if (!now.equals(before.get(v))) {
                    s.set(v, now);
                }
            }
        }
        return s;
    }

    /** The whole state as the log's {@code state} object; unchanged variables reuse their last JSON. */
    ObjectNode toJson() {
        ObjectNode s = J.objectNode();
        for (String v : VARS) {
            s.set(v, json.computeIfAbsent(v, this::build));
        }
        return s;
    }

    /** The same, every variable built afresh (tests compare the two). */
    ObjectNode toJsonFresh() {
        ObjectNode s = J.objectNode();
        for (String v : VARS) {
            s.set(v, build(v));
        }
        return s;
    }

    private JsonNode build(String v) {
        return switch (v) {
            case "loaded" -> cpuMap(c -> J.numberNode(loaded[c]));
            case "lazy" -> cpuMap(c -> J.booleanNode(lazy[c]));
            case "switching" -> intSet(switching);
            case "sys" -> {
                ArrayNode sysMap = J.arrayNode();
                sys.forEach((t, call) -> sysMap.add(J.arrayNode().add(t).add(call)));
                yield map(sysMap);
            }
            case "fault" -> intSet(fault);
            case "gathers" -> {
                ArrayNode gm = J.arrayNode();
                gathers.forEach((t, g) -> {
                    ObjectNode o = J.objectNode();
                    o.put("mm", g.mm());
                    o.put("pending", g.pending());
                    o.put("phase", g.phase());
                    o.set("with", intSet(g.with()));
                    o.put("decided", g.decided());
                    o.put("fullmm", g.fullmm());
                    gm.add(J.arrayNode().add(t).add(o));
                });
                yield map(gm);
            }
            case "owes" -> intSet(owes);
            case "queued" -> {
                ArrayNode qs = J.arrayNode();
                for (Queued q : queued) {
                    ObjectNode o = J.objectNode();
                    o.put("pfn", q.pfn());
                    o.put("mm", q.mm());
                    o.put("va", q.va());
                    o.put("task", q.task());
                    o.set("cache", intSet(q.cache()));
                    o.put("released", q.released());
                    o.put("table", q.table());
                    o.put("bracketed", q.bracketed());
                    o.set("exposed", intSet(q.exposed()));
                    qs.add(o);
                }
                yield set(qs);
            }
            case "stale" -> {
                ArrayNode ss = J.arrayNode();
                stale.stream().sorted(java.util.Comparator.comparingInt(Stale::cpu).thenComparingInt(Stale::pfn)
                        .thenComparingInt(Stale::mm).thenComparingInt(Stale::va).thenComparing(Stale::table)).forEach(x -> {
                            ObjectNode o = J.objectNode();
                            o.put("cpu", x.cpu());
                            o.put("pfn", x.pfn());
                            o.put("mm", x.mm());
                            o.put("va", x.va());
                            o.put("table", x.table());
                            ss.add(o);
                        });
                yield set(ss);
            }
            case "flushing" -> cpuMap(c -> {
                Flush f = flushing[c];
                ObjectNode o = J.objectNode();
                o.put("mm", f.mm());
                o.put("lo", f.lo());
                o.put("hi", f.hi());
                o.put("all", f.all());
                o.set("snap", intSet(f.snap()));
                o.set("targets", intSet(f.targets()));
                return o;
            });
            case "notifier" -> intSet(notifier);
            case "mn" -> {
                ArrayNode mm = J.arrayNode();
                mn.forEach((t, br) -> {
                    ObjectNode o = J.objectNode();
                    o.put("depth", br.depth());
                    o.put("lo", br.lo());
                    o.put("hi", br.hi());
                    mm.add(J.arrayNode().add(t).add(o));
                });
                yield map(mm);
            }
            default -> throw new IllegalArgumentException("not a KernelView variable: " + v);
        };
    }

    private JsonNode cpuMap(java.util.function.IntFunction<JsonNode> f) {
        ArrayNode pairs = J.arrayNode();
        for (int c = 0; c < cpus; c++) {
            pairs.add(J.arrayNode().add(c).add(f.apply(c)));
        }
        return map(pairs);
    }

    /** A function with an integer domain: {"#map":[[k,v],...]}; the empty function is []. */
    private static JsonNode map(ArrayNode pairs) {
        if (pairs.isEmpty()) {
            return J.arrayNode();
        }
        ObjectNode o = J.objectNode();
        o.set("#map", pairs);
        return o;
    }

    private static JsonNode set(ArrayNode elems) {
        ObjectNode o = J.objectNode();
        o.set("#set", elems);
        return o;
    }

    static JsonNode intSet(Set<Integer> xs) {
        ArrayNode a = J.arrayNode();
        new TreeSet<>(xs).forEach(a::add);
        return set(a);
    }

    private static int i(Map<String, Object> a, String k) {
        return (Integer) a.get(k);
    }

    private static boolean b(Map<String, Object> a, String k) {
        return (Boolean) a.get(k);
    }

    /** CPU c no longer caches the queued pages that match (a flush reached it); equal entries merge. */
    private void forgetCached(int c, Predicate<Queued> which) {
        List<Queued> nq = new ArrayList<>(queued.size());
        for (Queued q : queued) {
            Queued r = q;
            if (which.test(q) && q.cache().contains(c)) {
                Set<Integer> cache = new TreeSet<>(q.cache());
                cache.remove(c);
                r = new Queued(q.pfn(), q.mm(), q.va(), q.task(), cache, q.released(), q.table(), q.bracketed(), q.exposed());
            }
            if (!nq.contains(r)) {
                nq.add(r);
            }
        }
        queued = nq;
    }
}
