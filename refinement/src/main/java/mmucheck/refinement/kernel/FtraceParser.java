package mmucheck.refinement.kernel;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;

/**
 * Reads ftrace text (plain or gzip'ed) into events. Every field is checked against
 * {@link FtraceSchema} (its event known, its fields those the capture prints, in order, each
 * value in range for what it is), CPU numbers against the capture's CPU count (the trace
 * header's {@code #P:}, the capture's trace marker and the health file, which must agree),
 * and timestamps must not go backwards (the translator trusts file order). The first bad
 * line is the error, "FILE:LINE: event: field ...".
 */
public final class FtraceParser {
    // "  comm-pid  [cpu] flags  timestamp: name..." ; comm may itself contain '-' and spaces.
    private static final Pattern LINE = Pattern.compile(
            "^\\s*(.*?)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\S+)\\s+(\\d+(?:\\.\\d{1,9})?):\\s+([A-Za-z0-9_]+)(.*)$");
    private static final Pattern HEADER_CPUS = Pattern.compile("#P:(\\d{1,5})\\s*$");
    private static final Pattern PROBE = Pattern.compile("^\\(([A-Za-z0-9_.]+)\\+0x[0-9a-f]+/0x[0-9a-f]+\\)$");
    private static final Pattern RETPROBE =
            Pattern.compile("^\\([A-Za-z0-9_.]+\\+0x[0-9a-f]+/0x[0-9a-f]+ <- ([A-Za-z0-9_.]+)\\)$");
    private static final Pattern TLB_FLUSH = Pattern.compile("^pages:(\\S+) reason:([a-z ]+) \\((\\S+)\\)$");
    private static final Pattern SYS_ENTER = Pattern.compile("^\\((.*)\\)$");
    private static final Pattern SYS_EXIT = Pattern.compile("^ -> (0x[0-9a-f]{1,16})$");
    private static final Pattern HEALTH_SMP = Pattern.compile("^options .*\\bsmp=(\\S+)");
    private static final String MARK = "mmucheck-capture";

    private FtraceParser() {}

    /** The parsed trace, or the first bad line; cpus is the capture's CPU count (0 if no source gives it). */
    public record Result(List<FtraceEvent> events, String error, int cpus) {
        public Result(List<FtraceEvent> events, String error) {
            this(events, error, 0);
        }

        public boolean ok() {
            return error == null;
        }
    }

    public static Result read(Path file) {
        String where = file.toString();
        Path health = healthFile(file);
        int healthCpus = 0;
        if (health != null) {
            try {
                List<String> lines = Files.readAllLines(health, StandardCharsets.UTF_8);
                for (int k = 0; k < lines.size(); k++) {
                    Matcher m = HEALTH_SMP.matcher(lines.get(k));
                    if (m.find()) {
                        String v = m.group(1);
                        if (!v.matches("[0-9]{1,5}") || Integer.parseInt(v) < 1 || Integer.parseInt(v) > FtraceSchema.MAX_CPUS) {
                            return new Result(List.of(), health + ":" + (k + 1) + ": options: field smp=" + v
                                    + " is not a CPU count (1.." + FtraceSchema.MAX_CPUS + ")");
                        }
                        healthCpus = Integer.parseInt(v);
                    }
                }
            } catch (IOException | RuntimeException e) {
                return new Result(List.of(), health + ": cannot read: " + e.getMessage());
            }
        }
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(raw, 1 << 16);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), where, healthCpus,
                    health == null ? null : health.getFileName().toString());
        } catch (IOException e) {
            return new Result(List.of(), where + ": cannot read: " + e.getMessage());
        }
    }

    /** The capture's health file beside a trace: NAME.health.txt for NAME.txt.gz, or health.txt for trace.txt.gz. */
    static Path healthFile(Path trace) {
        String n = trace.getFileName().toString();
        String base = n.replaceFirst("\\.gz$", "").replaceFirst("\\.txt$", "");
        Path dir = trace.toAbsolutePath().getParent();
        for (String h : List.of(base + ".health.txt", base.equals("trace") ? "health.txt" : "")) {
            if (!h.isEmpty() && Files.isRegularFile(dir.resolve(h))) {
                return dir.resolve(h);
            }
        }
        return null;
    }

    public static Result parse(BufferedReader r, String where) throws IOException {
        return parse(r, where, 0, null);
    }

    /** healthCpus: the health file's CPU count (0 if none), named healthName in a disagreement. */
    static Result parse(BufferedReader r, String where, int healthCpus, String healthName) throws IOException {
        List<FtraceEvent> out = new ArrayList<>();
        String s;
        int n = 0;
        int headerCpus = 0;
        long lastTime = Long.MIN_VALUE;
        int lastTimeLine = 0;
        while ((s = r.readLine()) != null) {
            n++;
            if (s.isBlank()) {
                continue;
            }
            if (s.startsWith("#")) {
                Matcher h = HEADER_CPUS.matcher(s);
                if (h.find()) {
                    headerCpus = Integer.parseInt(h.group(1));
                    if (headerCpus < 1 || headerCpus > FtraceSchema.MAX_CPUS) {
                        return bad(where, n, "header: #P:" + headerCpus + " is not a CPU count (1.."
                                + FtraceSchema.MAX_CPUS + ")");
                    }
                }
                continue;
            }
            Matcher m = LINE.matcher(s);
            if (!m.matches()) {
                return bad(where, n, "not an ftrace event line: " + (s.length() > 80 ? s.substring(0, 80) + "..." : s));
            }
            String name = m.group(6);
            if (m.group(2).length() > 7 || Long.parseLong(m.group(2)) > FtraceSchema.PID_MAX_LIMIT) {
                return bad(where, n, name + ": the task's pid " + m.group(2) + " is not a pid (0.."
                        + FtraceSchema.PID_MAX_LIMIT + ")");
            }
            long pid = Long.parseLong(m.group(2));
            if (m.group(3).length() > 5 || Integer.parseInt(m.group(3)) >= FtraceSchema.MAX_CPUS) {
                return bad(where, n, name + ": CPU [" + m.group(3) + "] is beyond " + FtraceSchema.MAX_CPUS + " CPUs");
            }
            int cpu = Integer.parseInt(m.group(3));
            String ts = m.group(5);
            long time;
            if (ts.contains(".")) {
                String[] p = ts.split("\\.");
                if (p[0].length() > 12) {
                    return bad(where, n, name + ": timestamp " + ts + " is out of range");
                }
                time = Long.parseLong(p[0]) * 1_000_000_000L + Long.parseLong((p[1] + "000000000").substring(0, 9));
            } else {
                if (ts.length() > FtraceSchema.MAX_INTEGER_DIGITS) {
                    return bad(where, n, name + ": timestamp " + ts + " is out of range");
                }
                time = Long.parseLong(ts);
            }
            // ftrace merges its per-CPU buffers by timestamp; an event nested in another (an interrupt
            // while it was written) may share its value, even under the "counter" clock
            if (time < lastTime) {
                return bad(where, n, name + ": timestamp " + ts + " is not after the one of line " + lastTimeLine
                        + " (events out of order)");
            }
            lastTime = time;
            lastTimeLine = n;
            Map<String, String> f = new LinkedHashMap<>();
            boolean exit;
            String err;
            if (FtraceSchema.SYSCALLS.containsKey(name)) {
                String rest = m.group(7);
                exit = rest.startsWith(" ->");
                err = exit ? sysExit(rest, f) : sysEnter(name, rest, f);
            } else {
                exit = false;
                err = fields(name, m.group(7), f);
            }
            if (err == null) {
                err = FtraceSchema.checkFlags(name, m.group(4), f.getOrDefault("gfp_flags", ""));
            }
            if (err != null) {
                return bad(where, n, name + ": " + err);
            }
            out.add(new FtraceEvent(n, m.group(1).trim(), (int) pid, cpu, time, name, exit, f, s, m.group(4)));
        }
        if (out.isEmpty()) {
            return new Result(List.of(), where + ": no ftrace events");
        }
        return crossCheck(out, where, headerCpus, healthCpus, healthName);
    }

    private static Result bad(String where, int line, String what) {
        return new Result(List.of(), where + ":" + line + ": " + what);
    }

    /** An event's fields, checked against its schema; the error (without the line) or null. */
    private static String fields(String name, String rest, Map<String, String> f) {
        FtraceSchema.Event ev = FtraceSchema.EVENTS.get(name);
        if (ev == null) {
            return "not an event kernel/capture.sh enables";
        }
        if (!rest.startsWith(": ")) {
            return "no ': ' after the event name";
        }
        String body = rest.substring(2);
        if (ev.probe()) {
            int close = body.indexOf(')');
            String point = close < 0 ? body : body.substring(0, close + 1);
            Matcher pm = (ev.retprobe() ? RETPROBE : PROBE).matcher(point);
            if (!pm.matches() || !pm.group(1).equals(ev.symbol())) {
                return "the probe point '" + point + "' is not " + (ev.retprobe() ? "a return from " : "") + ev.symbol();
            }
            body = body.substring(close + 1);
            if (!body.isEmpty() && !body.startsWith(" ")) {
                return "no space after the probe point";
            }
            body = body.isEmpty() ? body : body.substring(1);
        }
        if (name.equals("tlb_flush")) {
            Matcher tm = TLB_FLUSH.matcher(body);
            if (!tm.matches()) {
                return "not 'pages:N reason:TEXT (N)' (a cut line?)";
            }
            String e = FtraceSchema.check(FtraceSchema.Kind.PAGES, tm.group(1), 0);
            if (e != null) {
                return "field pages:" + tm.group(1) + " " + e;
            }
            String reason = tm.group(3);
            if (!reason.matches("[0-9]") || Integer.parseInt(reason) >= FtraceSchema.REASONS.size()) {
                return "field reason (" + reason + ") is not a tlb_flush_reason (0.." + (FtraceSchema.REASONS.size() - 1) + ")";
            }
            if (!FtraceSchema.REASONS.get(Integer.parseInt(reason)).equals(tm.group(2))) {
                return "field reason:" + tm.group(2) + " (" + reason + ") names another reason than its number ("
                        + FtraceSchema.REASONS.get(Integer.parseInt(reason)) + ")";
            }
            f.put("pages", tm.group(1));
            f.put("reason", reason);
            return null;
        }
        List<String> toks = body.isEmpty() ? List.of() : List.of(body.split(" ", -1));
        int k = 0;
        if (name.equals("tracing_mark_write")) {
            if (toks.isEmpty() || !toks.get(0).equals(MARK)) {
                return "not the capture's '" + MARK + "' marker";
            }
            k = 1;
        }
        for (Map.Entry<String, FtraceSchema.Kind> want : ev.fields().entrySet()) {
            String key = want.getKey();
            if (name.equals("sched_switch") && key.equals("next_comm")) {
                if (k >= toks.size() || !toks.get(k).equals("==>")) {
                    return "no '==>' before next_comm (a cut line?)";
                }
                k++;
            }
            if (k >= toks.size()) {
                return "field " + key + " is missing (a cut line?)";
            }
            String t = toks.get(k++);
            int eq = t.indexOf('=');
            if (eq < 0 || !t.substring(0, eq).equals(key)) {
                return "field " + key + " expected, found '" + t + "'";
            }
            String v = t.substring(eq + 1);
            String e = FtraceSchema.check(want.getValue(), v, 0);
            if (e != null) {
                return "field " + key + "=" + v + " " + e;
            }
            f.put(key, v);
        }
        if (k < toks.size()) {
            return "unexpected text after its fields: '" + String.join(" ", toks.subList(k, toks.size())) + "'";
        }
        return null;
    }

    private static String sysEnter(String name, String rest, Map<String, String> f) {
        Matcher m = SYS_ENTER.matcher(rest);
        if (!m.matches()) {
            return "not '(arg: value, ...)' (a cut line?)";
        }
        List<String> want = FtraceSchema.SYSCALLS.get(name);
        String[] args = m.group(1).split(", ", -1);
        if (args.length != want.size()) {
            return "has " + args.length + " arguments, not " + want.size();
        }
        for (int k = 0; k < args.length; k++) {
            String key = want.get(k);
            if (!args[k].startsWith(key + ": ")) {
                return "argument " + key + " expected, found '" + args[k] + "'";
            }
            String v = args[k].substring(key.length() + 2);
            String e = FtraceSchema.check(FtraceSchema.Kind.XARG, v, 0);
            if (e != null) {
                return "argument " + key + ": " + v + " " + e;
            }
            f.put(key, v);
        }
        return null;
    }

    private static String sysExit(String rest, Map<String, String> f) {
        Matcher m = SYS_EXIT.matcher(rest);
        if (!m.matches()) {
            return "not ' -> 0xRESULT' (a cut line?)";
        }
        f.put("ret", m.group(1));
        return null;
    }

    /**
     * Checks across lines: the CPU count (header, marker, health file agree), every CPU
     * number and mask below it, ranges start < end, the queued page inside the vmemmap.
     */
    private static Result crossCheck(List<FtraceEvent> ev, String where, int headerCpus, int healthCpus,
            String healthName) {
        int cpus = headerCpus;
        String source = "the trace header (#P:" + headerCpus + ")";
        int pageStruct = 64;
        if (healthCpus != 0) {
            // the header counts the CPUs the kernel brought up: fewer than qemu's -smp when it
            // could not start them all (the built kernels have no ACPI: #P:1 with -smp 2), never more
            if (cpus != 0 && cpus > healthCpus) {
                return new Result(List.of(), where + ": " + healthName + " (smp=" + healthCpus + ") and " + source
                        + " disagree on the CPU count");
            }
            cpus = healthCpus;
            source = healthName + " (smp=" + healthCpus + ")";
        }
        for (FtraceEvent e : ev) {
            if (e.name().equals("tracing_mark_write")) {
                int smp = Integer.parseInt(e.str("smp"));
                if (smp < 1 || smp > FtraceSchema.MAX_CPUS) {
                    return bad(where, e.line(), "tracing_mark_write: field smp=" + smp + " is not a CPU count (1.."
                            + FtraceSchema.MAX_CPUS + ")");
                }
                if (cpus != 0 && smp != cpus) {
                    return bad(where, e.line(), "tracing_mark_write: field smp=" + smp + " disagrees with " + source);
                }
                cpus = smp;
                source = "the capture's marker (smp=" + smp + ", line " + e.line() + ")";
                pageStruct = Integer.parseInt(e.str("sizeof_page"));
                if (pageStruct < 8 || pageStruct > 4096 || pageStruct % 8 != 0) {
                    return bad(where, e.line(), "tracing_mark_write: field sizeof_page=" + pageStruct
                            + " is not a struct page size (8..4096, a multiple of 8)");
                }
            }
        }
        long vmemmap = 0;
        int vmemmapLine = 0;
        for (FtraceEvent e : ev) {
            String err = null;
            if (cpus != 0 && e.cpu() >= cpus) {
                err = "CPU [" + e.cpu() + "] is not a CPU of the capture (" + cpus + " by " + source + ")";
            } else {
                switch (e.name()) {
                    case "flush_func" -> {
                        String c = FtraceSchema.check(FtraceSchema.Kind.CPU, e.str("initiator"), cpus);
                        err = c != null ? "field initiator=" + e.str("initiator") + " " + c : range(e, false);
                    }
                    case "flush_multi" -> {
                        String c = FtraceSchema.check(FtraceSchema.Kind.MASK, e.str("mask"), cpus);
                        err = c != null ? "field mask=" + e.str("mask") + " " + c
                                : e.num("mask") == 0 ? "field mask=0x0 names no CPU" : null;
                    }
                    case "flush", "mn_start", "mn_end", "mn_invalidate" -> err = range(e, false);
                    case "queue" -> {
                        err = range(e, true);
                        long page = e.num("page");
                        long vm = e.num("vmemmap");
                        if (err != null) {
                            break;
                        }
                        if (vmemmapLine == 0) {
                            vmemmap = vm;
                            vmemmapLine = e.line();
                        }
                        if (vm != vmemmap) {
                            err = "field vmemmap=" + e.str("vmemmap") + " differs from line " + vmemmapLine
                                    + "'s (vmemmap_base does not move)";
                        } else if (Long.compareUnsigned(page, vm) < 0 || Long.remainderUnsigned(page - vm, pageStruct) != 0
                                || Long.compareUnsigned(Long.divideUnsigned(page - vm, pageStruct), FtraceSchema.PFN_LIMIT) >= 0) {
                            err = "field page=" + e.str("page") + " is not a struct page in the vmemmap at "
                                    + e.str("vmemmap") + " (sizeof " + pageStruct + ")";
                        }
                    }
                    default -> {}
                }
            }
            if (err != null) {
                return bad(where, e.line(), e.name() + ": " + err);
            }
        }
        return new Result(ev, null, cpus);
    }

    /** start < end for a range of user pages, or end = TLB_FLUSH_ALL (a queue's gather range: start < end too). */
    private static String range(FtraceEvent e, boolean queue) {
        long start = e.num("start");
        long end = e.num("end");
        if (end == KernelTranslator.FLUSH_ALL) {
            return null;
        }
        if (start == KernelTranslator.FLUSH_ALL || Long.compareUnsigned(start, end) >= 0) {
            return "field start=" + e.str("start") + " is not below end=" + e.str("end")
                    + (queue ? " (the gather's range holds the page just queued)" : "");
        }
        return null;
    }
}
