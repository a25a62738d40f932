package mmucheck.refinement.kernel;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.spec.tlc.TlcLauncher;

/**
 * Checks a FULL-state KernelView log with TLC's command line in a forked JVM: the log is
 * cut into chunks of {@code chunk} steps; a generated trace module starts TLC in the
 * logged state at each chunk's start (the first chunk in the spec's Init, which must
 * equal the logged initial state), replays the logged actions with their logged
 * arguments through KernelView's own action operators, checks KernelView's invariants
 * in every state, and at each chunk's end demands that the state KernelView computed
 * equals the logged one. A step the spec does not allow shows as a TLC deadlock.
 *
 * <p>Stop-gap until the generic in-process refinement checker lands; it reads the
 * log only through docs/trace-format.md.
 */
public final class TlcTraceCheck {
    /** Formal parameters of KernelView's actions, in operator order. */
    static final Map<String, List<String>> ACTIONS = new LinkedHashMap<>();

    static {
        ACTIONS.put("sys_enter", List.of("t", "call"));
        ACTIONS.put("sys_exit", List.of("t"));
        ACTIONS.put("wp_page_copy", List.of("t"));
        ACTIONS.put("wp_page_copy_return", List.of("t"));
        ACTIONS.put("tlb_gather_mmu", List.of("t", "m", "pending", "fullmm"));
        ACTIONS.put("tlb_remove_page_size", List.of("t", "pfn", "va", "table"));
        ACTIONS.put("ptep_clear_flush", List.of("t", "m", "pfn", "va"));
        ACTIONS.put("tlb_finish_mmu", List.of("t", "pending"));
        ACTIONS.put("tlb_finish_mmu_return", List.of("t"));
        ACTIONS.put("mmu_notifier_register", List.of("m"));
        ACTIONS.put("mmu_notifier_invalidate_range_start", List.of("t", "m", "lo", "hi"));
        ACTIONS.put("mmu_notifier_invalidate_range_end", List.of("t", "m", "lo", "hi"));
        ACTIONS.put("mmu_notifier_invalidate_range", List.of("t", "m", "lo", "hi"));
        ACTIONS.put("flush_tlb_mm_range", List.of("t", "c", "m", "lo", "hi", "all"));
        ACTIONS.put("native_flush_tlb_multi", List.of("c", "targets"));
        ACTIONS.put("flush_tlb_func", List.of("c", "i", "m", "lo", "hi", "all", "pages", "recovered"));
        ACTIONS.put("page_free", List.of("pfn"));
        ACTIONS.put("mmdrop", List.of("m"));
        ACTIONS.put("enter_lazy_tlb", List.of("c"));
        ACTIONS.put("switch_mm_irqs_off", List.of("c", "m", "lz"));
        ACTIONS.put("switch_mm_irqs_off_return", List.of("c", "flushed"));
    }

    static final List<String> VARS = KernelViewState.VARS;
    static final List<String> INVARIANTS = List.of("TypeOK", "NoFreedPageReachable", "ZappedPageUnreachableAfterReturn", "NestedFlushBeforeReturn",
            "NotifierPaired", "NotifierBracketsZap", "QueuedOncePerMapping");

    public enum Kind { HOLDS, VIOLATION, NOT_A_STEP, STATE_MISMATCH, ERROR }

    /**
     * The verdict: for a violation, the seq of the step after which it shows (0: the
     * initial state) and the invariant or mismatch; {@code detail} is one line.
     */
    public record Verdict(Kind kind, long seq, String invariant, String detail, long steps, double seconds) {}

    private TlcTraceCheck() {}

    /** Runs TLC over {@code log}; {@code work} receives the generated module and TLC's output. */
    public static Verdict check(Path log, Path work, int chunk, Path specDir, Path tlcJar) {
        long t0 = System.nanoTime();
        try {
            Files.createDirectories(work);
            Gen gen = generate(log, work, chunk).with(tlcJar);
            if (gen.error != null) {
                return new Verdict(Kind.ERROR, 0, "", gen.error, 0, secs(t0));
            }
            Files.copy(specDir.resolve("KernelView.tla"), work.resolve("KernelView.tla"),
                    java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            // TLC explores the chunks side by side (breadth first), so the violation it reports
            // first need not be the earliest in the log: re-check the chunks before it until
            // none of them fails.
            Verdict found = null;
            int upto = gen.chunkBase.size();
            for (int run = 0; run < 8 && upto >= 1; run++) {
                Verdict v = runTlc(work, gen, upto, t0);
                if (v.kind() == Kind.HOLDS) {
                    return found != null ? withTime(found, t0) : v;
                }
                if (v.kind() == Kind.ERROR) {
                    return v;
                }
                found = v;
                upto = chunkOf(gen, v) - 1;
            }
            return withTime(found, t0);
        } catch (IOException e) {
            return new Verdict(Kind.ERROR, 0, "", "cannot run TLC: " + e.getMessage(), 0, secs(t0));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Verdict(Kind.ERROR, 0, "", "interrupted", 0, secs(t0));
        }
    }

    private static Verdict runTlc(Path work, Gen gen, int upto, long t0) throws IOException, InterruptedException {
        Files.writeString(work.resolve("KVTrace.cfg"), gen.cfg + "CONSTANT Upto = " + upto + "\n",
                StandardCharsets.UTF_8);
        Duration timeout = Duration.ofSeconds(600);
        TlcLauncher.Result r = TlcLauncher.run(TlcLauncher.Fork.of(List.of("-Xss64m", "-XX:+UseParallelGC"),
                List.of(tlcJar(gen)), List.of("-workers", "1", "-cleanup", "-config", "KVTrace.cfg", "KVTrace"),
                work, work, timeout));
        switch (r.status()) {
            case TIMED_OUT:
                return new Verdict(Kind.ERROR, 0, "", "TLC did not finish within 600 s", gen.steps, secs(t0));
            case INTERRUPTED:
                throw new InterruptedException();
            case NOT_STARTED:
                throw new IOException(r.error());
            default:
                break;
        }
        // TLC's output beside the generated module, for whoever reads the work directory.
        Files.writeString(work.resolve("tlc.out"), r.output(), StandardCharsets.UTF_8);
        return interpret(r.output(), gen, secs(t0));
    }

    private static Path tlcJar(Gen gen) {
        return gen.tlcJar;
    }

    /** The 1-based chunk a verdict's step lies in. */
    private static int chunkOf(Gen gen, Verdict v) {
        long step = v.kind() == Kind.NOT_A_STEP ? v.seq() - 1 : Math.max(0, v.seq() - 1);
        int c = 1;
        for (int k = 0; k < gen.chunkBase.size(); k++) {
            if (gen.chunkBase.get(k) <= step) {
                c = k + 1;
            }
        }
        return c;
    }

    private static Verdict withTime(Verdict v, long t0) {
        return new Verdict(v.kind(), v.seq(), v.invariant(), v.detail(), v.steps(), secs(t0));
    }

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    record Gen(long steps, List<Long> chunkBase, String error, String cfg, Path tlcJar) {
        Gen(long steps, List<Long> chunkBase, String error) {
            this(steps, chunkBase, error, "", null);
        }

        Gen with(Path jar) {
            return new Gen(steps, chunkBase, error, cfg, jar);
        }
    }

    /** Writes KVTrace.tla and KVTrace.cfg for the log; a malformed log gives an error naming its line. */
    static Gen generate(Path log, Path work, int chunk) throws IOException {
        ObjectMapper om = new ObjectMapper();
        StringBuilder starts = new StringBuilder();
        StringBuilder ends = new StringBuilder();
        StringBuilder steps = new StringBuilder();
        List<Long> base = new ArrayList<>();
        String cpus = null;
        String cpuFlush = null;
        long n = 0;
        int lineNo = 0;
        boolean ended = false;
        String lastState = null;
        boolean partial = false;
        ObjectNode current = null;
        int inChunk = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = r.readLine()) != null) {
                lineNo++;
                if (line.isBlank()) {
                    continue;
                }
                JsonNode j;
                try {
                    j = om.readTree(line);
                } catch (IOException e) {
                    return new Gen(0, base, log + ":" + lineNo + ": not a JSON object");
                }
                if (ended) {
                    return new Gen(0, base, log + ":" + lineNo + ": line after the end line");
                }
                if (lineNo == 1) {
                    if (!"mmucheck-trace".equals(j.path("format").asText()) || j.path("version").asInt() != 1) {
                        return new Gen(0, base, log + ":1: not an mmucheck-trace version 1 header");
                    }
                    if (!"KernelView".equals(j.path("spec").asText())) {
                        return new Gen(0, base, log + ":1: spec is '" + j.path("spec").asText() + "', not KernelView");
                    }
                    partial = "partial".equals(j.path("mode").asText());
                    if (!partial && !"full".equals(j.path("mode").asText())) {
                        return new Gen(0, base, log + ":1: mode must be full or partial");
                    }
                    cpus = tla(j.path("constants").path("Cpus"));
                    cpuFlush = tla(j.path("constants").path("cpu_flush"));
                    continue;
                }
                if (j.has("end")) {
                    ended = true;
                    continue;
                }
                long seq = j.path("seq").asLong(-1);
                if (seq != n) {
                    return new Gen(0, base, log + ":" + lineNo + ": seq " + seq + " out of order (expected " + n + ")");
                }
                JsonNode state = j.get("state");
                if (state == null || !state.isObject()) {
                    return new Gen(0, base, log + ":" + lineNo + ": no state");
                }
                if (partial && seq > 0) {
                    // a partial line carries what the step changed: the rest is the state before it
                    // (rendered below before the next line updates it, so it is completed in place)
                    current.setAll((ObjectNode) state);
                    state = current;
                }
                for (String v : VARS) {
                    if (!state.has(v)) {
                        return new Gen(0, base, log + ":" + lineNo + ": state lacks variable " + v);
                    }
                }
                current = (ObjectNode) state;
                for (Iterator<String> it = state.fieldNames(); it.hasNext();) {
                    String v = it.next();
                    if (!VARS.contains(v)) {
                        return new Gen(0, base, log + ":" + lineNo + ": KernelView has no variable " + v);
                    }
                }
                String st = stateRecord(state);
                if (seq == 0) {
                    starts.append(st);
                    base.add(0L);
                    steps.append("<<");
                    inChunk = 0;
                } else {
                    String action = j.path("action").asText();
                    List<String> params = ACTIONS.get(action);
                    if (params == null) {
                        return new Gen(0, base, log + ":" + lineNo + ": KernelView has no action " + action);
                    }
                    JsonNode args = j.path("args");
                    StringBuilder rec = new StringBuilder("[a |-> \"").append(action).append('"');
                    for (Iterator<String> it = args.fieldNames(); it.hasNext();) {
                        String a = it.next();
                        if (!params.contains(a)) {
                            return new Gen(0, base, log + ":" + lineNo + ": action " + action + " has no argument " + a);
                        }
                    }
                    for (String a : params) {
                        if (!args.has(a)) {
                            return new Gen(0, base, log + ":" + lineNo + ": action " + action + " lacks argument " + a);
                        }
                        rec.append(", ").append(a).append(" |-> ").append(tla(args.get(a)));
                    }
                    rec.append(']');
                    if (inChunk == chunk) { // close the chunk; the previous state ends it and starts the next
                        steps.append(">>,\n<<");
                        ends.append(lastState).append(",\n");
                        starts.append(",\n").append(lastState);
                        base.add(seq - 1);
                        inChunk = 0;
                    }
                    if (inChunk > 0) {
                        steps.append(", ");
                    }
                    steps.append(rec);
                    inChunk++;
                }
                lastState = st;
                n++;
            }
        }
        if (n == 0 || cpus == null) {
            return new Gen(0, base, log + ": no header or no initial state");
        }
        if (!ended) {
            return new Gen(0, base, log + ":" + lineNo + ": no end line (truncated log)");
        }
        steps.append(">>");
        ends.append(lastState);
        StringBuilder m = new StringBuilder();
        m.append("---- MODULE KVTrace ----\n");
        m.append("\\* Generated by mmucheck (TlcTraceCheck) from ").append(log.getFileName()).append("\n");
        m.append("EXTENDS KernelView, Sequences\n");
        m.append("CONSTANT Upto \\* check chunks 1..Upto\n");
        m.append("VARIABLES chunk, i\n");
        m.append("StartOf == <<").append(starts).append(">>\n");
        m.append("EndOf == <<").append(ends).append(">>\n");
        m.append("Steps == <<").append(steps).append(">>\n");
        m.append("Cur == [").append(String.join(", ", VARS.stream().map(v -> v + " |-> " + v).toList())).append("]\n");
        m.append("SetTo(s) == ").append(String.join(" /\\ ", VARS.stream().map(v -> v + " = s." + v).toList()))
                .append("\n");
        m.append("TInit == \\E k \\in 1..Upto : chunk = k /\\ i = 0 /\\ IF k = 1 THEN Init ELSE SetTo(StartOf[k])\n");
        m.append("Do(e) ==\n");
        for (Map.Entry<String, List<String>> a : ACTIONS.entrySet()) {
            m.append("    \\/ e.a = \"").append(a.getKey()).append("\" /\\ ").append(a.getKey()).append('(')
                    .append(String.join(", ", a.getValue().stream().map(x -> "e." + x).toList())).append(")\n");
        }
        m.append("TNext ==\n");
        m.append("    \\/ i < Len(Steps[chunk]) /\\ i' = i + 1 /\\ chunk' = chunk /\\ Do(Steps[chunk][i + 1])\n");
        m.append("    \\/ i = Len(Steps[chunk]) /\\ UNCHANGED <<vars, chunk, i>>\n");
        // A later chunk's start state is the previous chunk's end state, already checked there;
        // not checking it again keeps the reported violation at the step that caused it.
        for (String inv : INVARIANTS) {
            m.append("Chk_").append(inv).append(" == (i > 0 \\/ chunk = 1) => ").append(inv).append("\n");
        }
        m.append("InitMatches == (chunk = 1 /\\ i = 0) => Cur = StartOf[1]\n");
        m.append("ChunkEndMatches == i = Len(Steps[chunk]) => Cur = EndOf[chunk]\n");
        m.append("====\n");
        Files.writeString(work.resolve("KVTrace.tla"), m, StandardCharsets.UTF_8);
        String cfg = "CONSTANT Cpus = " + cpus + "\nCONSTANT cpu_flush = " + cpuFlush + "\nINIT TInit\nNEXT TNext\n"
                + "INVARIANTS " + String.join(" ", INVARIANTS.stream().map(x -> "Chk_" + x).toList())
                + " InitMatches ChunkEndMatches\n";
        return new Gen(n - 1, base, null, cfg, null);
    }

    private static String stateRecord(JsonNode state) {
        StringBuilder b = new StringBuilder("[");
        for (int k = 0; k < VARS.size(); k++) {
            if (k > 0) {
                b.append(", ");
            }
            b.append(VARS.get(k)).append(" |-> ").append(tla(state.get(VARS.get(k))));
        }
        return b.append(']').toString();
    }

    /** A JSON value (docs/trace-format.md encoding) as a TLA+ expression. */
    static String tla(JsonNode v) {
        if (v.isInt() || v.isLong()) {
            return Long.toString(v.asLong());
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "TRUE" : "FALSE";
        }
        if (v.isTextual()) {
            return '"' + v.asText().replace("\\", "\\\\").replace("\"", "\\\"") + '"';
        }
        if (v.isArray()) {
            List<String> xs = new ArrayList<>();
            v.forEach(x -> xs.add(tla(x)));
            return "<<" + String.join(", ", xs) + ">>";
        }
        if (v.isObject() && v.has("#set")) {
            List<String> xs = new ArrayList<>();
            v.get("#set").forEach(x -> xs.add(tla(x)));
            return "{" + String.join(", ", xs) + "}";
        }
        if (v.isObject() && v.has("#map")) {
            List<String> xs = new ArrayList<>();
            v.get("#map").forEach(kv -> xs.add(tla(kv.get(0)) + " :> " + tla(kv.get(1))));
            return xs.isEmpty() ? "<<>>" : "(" + String.join(" @@ ", xs) + ")";
        }
        if (v.isObject() && v.has("#bigint")) {
            return v.get("#bigint").asText();
        }
        if (v.isObject()) {
            List<String> xs = new ArrayList<>();
            v.fields().forEachRemaining(f -> xs.add(f.getKey() + " |-> " + tla(f.getValue())));
            return "[" + String.join(", ", xs) + "]";
        }
        throw new IllegalArgumentException("no TLA+ form for JSON value " + v);
    }

    private static final Pattern INV = Pattern.compile("Error: Invariant (\\w+) is violated");
    private static final Pattern CHUNK = Pattern.compile("^/\\\\ chunk = (\\d+)\\s*$", Pattern.MULTILINE);
    private static final Pattern I = Pattern.compile("^/\\\\ i = (\\d+)\\s*$", Pattern.MULTILINE);

    static Verdict interpret(String out, Gen gen, double secs) {
        if (out.contains("Model checking completed. No error has been found.")) {
            return new Verdict(Kind.HOLDS, 0, "", "", gen.steps, secs);
        }
        Matcher inv = INV.matcher(out);
        boolean deadlock = out.contains("Error: Deadlock reached.");
        if (!inv.find() && !deadlock) {
            String err = out.lines().filter(l -> l.startsWith("Error") || l.contains("rror:") || l.contains("***"))
                    .findFirst().orElse("TLC ended without a verdict");
            return new Verdict(Kind.ERROR, 0, "", "TLC: " + err.trim(), gen.steps, secs);
        }
        long chunk = last(CHUNK, out);
        long i = last(I, out);
        if (chunk < 1 || i < 0 || chunk > gen.chunkBase.size()) {
            return new Verdict(Kind.ERROR, 0, "", "TLC reported an error but no trace position", gen.steps, secs);
        }
        long seq = gen.chunkBase.get((int) chunk - 1) + i;
        if (deadlock) {
            return new Verdict(Kind.NOT_A_STEP, seq + 1, "", "", gen.steps, secs);
        }
        String name = inv.group(1).replaceFirst("^Chk_", "");
        if (name.equals("ChunkEndMatches") || name.equals("InitMatches")) {
            return new Verdict(Kind.STATE_MISMATCH, seq, name, "", gen.steps, secs);
        }
        return new Verdict(Kind.VIOLATION, seq, name, "", gen.steps, secs);
    }

    private static long last(Pattern p, String s) {
        Matcher m = p.matcher(s);
        long v = -1;
        while (m.find()) {
            v = Long.parseLong(m.group(1));
        }
        return v;
    }
}
