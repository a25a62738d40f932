package mmucheck.refinement.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaValue;

/**
 * A trace as a kernel-style lane diagram: one column per agent (CPUs, threads, devices, vCPUs),
 * time going down, each step's kernel function in its agent's column followed by only the
 * variables it changed, hardware steps (TLB/IOTLB fills and evictions) in brackets, and the
 * violated property in one sentence at the end. Used for TLC counterexamples, refinement
 * divergences and rendered logs alike.
 */
public final class LaneDiagram {
    private static final int INDEX = 4; // "%3d " step numbers

    private final int width;

    /** @param width the line width to fit (80 or 120) */
    public LaneDiagram(int width) {
        this.width = width;
    }

    /**
     * @param title first line, e.g. "Counterexample for S1_gather"
     * @param trace the steps, first one initial; agents are inferred where not given
     * @param ending the last line: what is violated, in one sentence
     */
    public String render(String title, Trace trace, String ending) {
        Trace t = Agents.attribute(trace);
        StringBuilder out = new StringBuilder();
        for (String tl : title.split("\n")) {
            for (String l : wrap(tl, width, 2)) {
                out.append(l).append('\n');
            }
        }
        out.append('\n');
        if (t.steps().isEmpty()) {
            return out.append(ending).append('\n').toString();
        }
        out.append("Initial state:\n");
        for (var e : t.steps().get(0).state().entrySet()) {
            for (String l : wrap(e.getKey() + " = " + Change.show(e.getValue()), width - 2, 4)) {
                out.append("  ").append(l).append('\n');
            }
        }
        out.append('\n');
        List<String> lanes = Agents.lanes(t);
        if (lanes.isEmpty()) {
            return out.append(ending).append('\n').toString();
        }
        // Each step's cell text, then lane widths that fit it best.
        List<List<String>> cells = new ArrayList<>();
        int[] want = new int[lanes.size()];
        for (int c = 0; c < lanes.size(); c++) {
            want[c] = lanes.get(c).length();
        }
        for (int i = 1; i < t.steps().size(); i++) {
            Step prev = t.steps().get(i - 1);
            Step s = t.steps().get(i);
            List<String> lines = cellLines(prev, s, Agents.isHardware(prev, s));
            cells.add(lines);
            int c = lanes.indexOf(s.agent());
            for (String l : lines) {
                want[c] = Math.max(want[c], l.length());
            }
        }
        int[] w = widths(want, width - INDEX - 3 * lanes.size());
        // Header.
        StringBuilder head = new StringBuilder(pad("  #", INDEX));
        StringBuilder rule = new StringBuilder("-".repeat(INDEX));
        for (int c = 0; c < lanes.size(); c++) {
            head.append("| ").append(pad(lanes.get(c), w[c])).append(' ');
            rule.append('+').append("-".repeat(w[c] + 2));
        }
        out.append(rstrip(head)).append('\n').append(rule).append('\n');
        for (int i = 1; i < t.steps().size(); i++) {
            Step s = t.steps().get(i);
            int col = lanes.indexOf(s.agent());
            List<String> wrapped = new ArrayList<>();
            for (String l : cells.get(i - 1)) {
                wrapped.addAll(wrap(l, w[col], l.startsWith("  ") ? 4 : 2));
            }
            for (int j = 0; j < wrapped.size(); j++) {
                StringBuilder row = new StringBuilder(j == 0 ? String.format("%3d ", i) : " ".repeat(INDEX));
                for (int c = 0; c < lanes.size(); c++) {
                    row.append("| ").append(pad(c == col ? wrapped.get(j) : "", w[c])).append(' ');
                }
                out.append(rstrip(row)).append('\n');
            }
        }
        if (t.loopsBackTo() >= 0) {
            out.append(String.format("%3d ", t.steps().size())).append("... back to the state after step ")
                    .append(t.loopsBackTo()).append(", forever\n");
        } else if (t.stutters()) {
            out.append(String.format("%3d ", t.steps().size())).append("... nothing more happens (stuttering forever)\n");
        }
        out.append('\n');
        for (String l : wrap(ending, width, 2)) {
            out.append(l).append('\n');
        }
        return out.toString();
    }

    /**
     * Lane widths within {@code room}: every lane gets what it wants if all fit (the slack spread
     * evenly); otherwise lanes wanting little keep it and the rest share what is left equally
     * (water-filling), never below 12 columns.
     */
    static int[] widths(int[] want, int room) {
        int n = want.length;
        int[] w = new int[n];
        int total = 0;
        for (int x : want) {
            total += x;
        }
        if (total <= room) {
            int extra = (room - total) / n;
            for (int i = 0; i < n; i++) {
                w[i] = want[i] + extra;
            }
            return w;
        }
        boolean[] fixed = new boolean[n];
        int left = room;
        int open = n;
        boolean changed = true;
        while (changed && open > 0) {
            changed = false;
            int share = left / open;
            for (int i = 0; i < n; i++) {
                if (!fixed[i] && want[i] <= share) {
                    w[i] = want[i];
                    fixed[i] = true;
                    left -= want[i];
                    open--;
                    changed = true;
                }
            }
        }
        for (int i = 0; i < n; i++) {
            if (!fixed[i]) {
                w[i] = Math.max(12, left / Math.max(1, open));
            }
        }
        return w;
    }

    /** The step's function, its arguments, then each changed variable (bracketed for hardware). */
    static List<String> cellLines(Step prev, Step s, boolean hardware) {
        List<String> lines = new ArrayList<>();
        StringBuilder head = new StringBuilder(s.action());
        if (!s.args().isEmpty()) {
            List<String> args = new ArrayList<>();
            s.args().forEach((k, v) -> args.add(k + "=" + Change.show(v)));
            head.append('(').append(String.join(", ", args)).append(')');
        }
        lines.add(hardware ? "[" + head + "]" : head.toString());
        List<Change> changes = Change.diff(prev.state(), s.state());
        // The agent's own pc first. In a software step the agent's own entries drop the
        // agent's name (the lane says it); hardware effects keep the full path (tlb[cpu0][1]).
        String own = "[" + s.agent() + "]";
        String ownPc = "pc" + own;
        changes.stream().filter(c -> c.path().equals(ownPc) && c.now() != null)
                .forEach(c -> lines.add("  pc = " + Change.show(c.now())));
        for (Change c : changes) {
            if (c.path().equals(ownPc)) {
                continue;
            }
            String text = c.text();
            if (hardware) {
                lines.add("  [" + text + "]");
            } else {
                lines.add("  " + (text.startsWith(c.var() + own) ? c.var() + text.substring(c.var().length() + own.length()) : text));
            }
        }
        if (changes.isEmpty()) {
            lines.add("  (no change)");
        }
        return lines;
    }

    /** Breaks a line at spaces to fit; continuation lines get {@code indent} spaces. */
    static List<String> wrap(String line, int width, int indent) {
        List<String> out = new ArrayList<>();
        String rest = line;
        String prefix = "";
        int lead = 0;
        while (lead < line.length() && line.charAt(lead) == ' ') {
            lead++;
        }
        while ((prefix + rest).length() > width) {
            int room = width - prefix.length();
            int cut = rest.lastIndexOf(' ', room);
            if (cut <= (prefix.isEmpty() ? lead : 0)) {
                cut = room; // no space to break at: hard break
                out.add(prefix + rest.substring(0, cut));
                rest = rest.substring(cut);
            } else {
                out.add(prefix + rest.substring(0, cut));
                rest = rest.substring(cut + 1);
            }
            prefix = " ".repeat(Math.min(indent, width / 2));
        }
        out.add(prefix + rest);
        return out;
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }

    private static String rstrip(StringBuilder sb) {
        int n = sb.length();
        while (n > 0 && sb.charAt(n - 1) == ' ') {
            n--;
        }
        return sb.substring(0, n);
    }

    /** The full state after a step, one variable a line, for "the full state one flag away". */
    public static String fullState(Map<String, TlaValue> state) {
        StringBuilder sb = new StringBuilder();
        state.forEach((k, v) -> sb.append("  /\\ ").append(k).append(" = ").append(v.toTla()).append('\n'));
        return sb.toString();
    }

    /**
     * Where lanes ending at step {@code last} should start: at least {@code min} steps before it,
     * and back to where every agent with a step in that window began its current operation (the
     * last state before the window with its {@code pc} "idle"), so the racing agent's earlier steps (cpu1's
     * gather and zap in S1) are shown too; never more than {@code max} steps before {@code last}.
     */
    public static int windowStart(Trace trace, int last, int min, int max) {
        Trace t = Agents.attribute(trace);
        int start = Math.max(0, last - min);
        int floor = Math.max(0, last - max);
        java.util.Set<String> agents = new java.util.HashSet<>();
        for (int i = start + 1; i <= last && i < t.steps().size(); i++) {
            if (t.steps().get(i).agent() != null) agents.add(t.steps().get(i).agent());
        }
        int from = start;
        for (String a : agents) {
            int k = start;
            while (k > floor && !idle(t.steps().get(k), a)) k--;
            from = Math.min(from, k);
        }
        return from;
    }

    private static boolean idle(Step s, String agent) {
        mmucheck.spec.value.TlaValue pc = s.state().get("pc");
        if (pc == null) return false;
        var g = mmucheck.spec.value.TlaValue.graph(pc);
        return g != null && mmucheck.spec.value.TlaValue.of("idle").equals(g.get(mmucheck.spec.value.TlaValue.of(agent)));
    }
}
