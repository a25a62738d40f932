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

/** Reads ftrace text (plain or gzip'ed) into events; a malformed line is an error naming it. */
public final class FtraceParser {
    // "  comm-pid  [cpu] flags  timestamp: name..." ; comm may itself contain '-' and spaces.
    private static final Pattern LINE =
            Pattern.compile("^\\s*(.*?)-(\\d+)\\s+\\[(\\d+)\\]\\s+(\\S+)\\s+(\\d+(?:\\.\\d+)?):\\s+([A-Za-z0-9_]+)(.*)$");
    private static final Pattern KV = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)[=:](\\S+)");
    private static final Pattern REASON = Pattern.compile("\\((\\d+)\\)\\s*$");

    private FtraceParser() {}

    /** The parsed trace, or the first bad line. */
    public record Result(List<FtraceEvent> events, String error) {
        public boolean ok() {
            return error == null;
        }
    }

    public static Result read(Path file) {
        try (InputStream raw = Files.newInputStream(file)) {
            InputStream in = raw;
            if (file.getFileName().toString().endsWith(".gz")) {
                in = new GZIPInputStream(raw, 1 << 16);
            }
            return parse(new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)), file.toString());
        } catch (IOException e) {
            return new Result(List.of(), file + ": cannot read: " + e.getMessage());
        }
    }

    public static Result parse(BufferedReader r, String where) throws IOException {
        List<FtraceEvent> out = new ArrayList<>();
        String s;
        int n = 0;
        while ((s = r.readLine()) != null) {
            n++;
            if (s.isBlank() || s.startsWith("#")) {
                continue;
            }
            FtraceEvent e = parseLine(n, s);
            if (e == null) {
                return new Result(List.of(), where + ":" + n + ": not an ftrace event line: "
                        + (s.length() > 80 ? s.substring(0, 80) + "..." : s));
            }
            out.add(e);
        }
        if (out.isEmpty()) {
            return new Result(List.of(), where + ": no ftrace events");
        }
        return new Result(out, null);
    }

    static FtraceEvent parseLine(int n, String s) {
        Matcher m = LINE.matcher(s);
        if (!m.matches()) {
            return null;
        }
        String rest = m.group(7);
        String name = m.group(6);
        boolean exit = rest.startsWith(" ->");
        Map<String, String> f = new LinkedHashMap<>();
        Matcher kv = KV.matcher(rest);
        while (kv.find()) {
            f.putIfAbsent(kv.group(1), kv.group(2));
        }
        if (name.equals("tlb_flush")) {
            Matcher rm = REASON.matcher(rest);
            if (rm.find()) {
                f.put("reason", rm.group(1));
            }
        }
        long time;
        String ts = m.group(5);
        time = ts.contains(".") ? Math.round(Double.parseDouble(ts) * 1e6) : Long.parseLong(ts);
        return new FtraceEvent(n, m.group(1).trim(), Integer.parseInt(m.group(2)), Integer.parseInt(m.group(3)),
                time, name, exit, f, s);
    }
}
