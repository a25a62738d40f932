package mmucheck.refinement.report;

import java.util.List;
import java.util.Map;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaValue;

/**
 * A trace as one self-contained HTML page (no network resources): one lane per agent, time
 * going down, the same cells as the text diagram; click a step or use the arrow keys / buttons to
 * step through, and the full state of the selected (or hovered) step shows beside the lanes.
 */
public final class HtmlTrace {
    private HtmlTrace() {}

    public static String render(String title, Trace trace, String ending) {
        return render(title, trace, ending, Map.of(), -1);
    }

    /**
     * @param params the model's constants (scenario and variant), shown under the title
     * @param mark   the step to highlight as the verdict's (the step into the violating state, the
     *               diverging step), -1 for none; the page opens on it
     */
    public static String render(String title, Trace trace, String ending, Map<String, TlaValue> params, int mark) {
        Trace t = Agents.attribute(trace);
        List<String> lanes = Agents.lanes(t);
        String constants = constants(params);
        String verdict = firstSentence(ending);
        StringBuilder sb = new StringBuilder();
        sb.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n<title>")
                .append(esc(title + (constants.isEmpty() ? "" : " (" + constants + ")") + ": " + verdict))
                .append("</title>\n<style>\n").append(CSS).append("</style></head>\n<body>\n");
        sb.append("<h1>").append(esc(title)).append("</h1>\n");
        if (!constants.isEmpty()) {
            sb.append("<p id=\"constants\">").append(esc(constants)).append("</p>\n");
        }
        // the verdict above the lanes, where the page opens
        sb.append("<p id=\"verdict\"><strong>").append(esc(verdict)).append("</strong>")
                .append(esc(ending.substring(Math.min(ending.length(), verdict.length())))).append(mark > 0 ? " <a href=\"#step-" + mark
                + "\">(step " + mark + ")</a>" : "").append("</p>\n");
        sb.append("<div id=\"controls\"><button id=\"prev\">&larr; prev</button> <button id=\"next\">next &rarr;</button>"
                + " <span id=\"pos\"></span> <label><input type=\"checkbox\" id=\"onlychanged\" checked> changed"
                + " variables only</label></div>\n");
        sb.append("<div id=\"main\"><table id=\"lanes\" style=\"width: ").append(4 + 22 * Math.max(1, lanes.size()))
                .append("em\">\n<colgroup><col class=\"idx\">");
        for (int i = 0; i < Math.max(1, lanes.size()); i++) {
            sb.append("<col class=\"lane\">");
        }
        sb.append("</colgroup>\n<thead><tr><th class=\"idx\">#</th>");
        for (String lane : lanes) {
            sb.append("<th class=\"lane\" data-lane=\"").append(esc(lane)).append("\">").append(esc(lane)).append("</th>");
        }
        sb.append("</tr></thead>\n<tbody>\n");
        sb.append("<tr class=\"step\" data-step=\"0\"><td class=\"idx\">0</td><td colspan=\"")
                .append(Math.max(1, lanes.size())).append("\" class=\"init\">initial state</td></tr>\n");
        for (int i = 1; i < t.steps().size(); i++) {
            Step prev = t.steps().get(i - 1);
            Step s = t.steps().get(i);
            boolean hw = Agents.isHardware(prev, s);
            List<String> lines = LaneDiagram.cellLines(prev, s, hw);
            sb.append("<tr class=\"step").append(hw ? " hw" : "").append(i == mark ? " mark" : "")
                    .append("\" id=\"step-").append(i).append("\" data-step=\"").append(i).append("\">")
                    .append("<td class=\"idx\">").append(i).append("</td>");
            for (String lane : lanes) {
                sb.append("<td>");
                if (lane.equals(s.agent())) {
                    sb.append("<div class=\"fn\">").append(esc(lines.get(0))).append("</div>");
                    for (String l : lines.subList(1, lines.size())) {
                        sb.append("<div class=\"chg\">").append(esc(l.strip())).append("</div>");
                    }
                }
                sb.append("</td>");
            }
            sb.append("</tr>\n");
        }
        sb.append("</tbody></table>\n<div id=\"state\"><h2 id=\"statehead\"></h2><pre id=\"statebody\"></pre></div></div>\n");
        sb.append("<p id=\"ending\">").append(esc(ending)).append("</p>\n");
        // Every full state, as TLA+ text, for the side panel.
        sb.append("<script>\nconst STATES = [\n");
        for (int i = 0; i < t.steps().size(); i++) {
            Step s = t.steps().get(i);
            Map<String, TlaValue> prev = i == 0 ? Map.of() : t.steps().get(i - 1).state();
            sb.append("  {head: ").append(js("State after step " + i + ": " + s.action()
                    + (s.agent() == null ? "" : " (" + s.agent() + ")"))).append(", vars: [");
            boolean first = true;
            for (var e : s.state().entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                boolean changed = i > 0 && !e.getValue().equals(prev.get(e.getKey()));
                sb.append("[").append(js(e.getKey())).append(", ").append(js(e.getValue().toTla())).append(", ")
                        .append(changed).append("]");
            }
            sb.append("]},\n");
        }
        sb.append("];\nconst MARK = ").append(Math.max(0, mark)).append(";\n").append(JS).append("</script>\n</body></html>\n");
        return sb.toString();
    }

    private static final String CSS = """
            body { font-family: sans-serif; margin: 1em; }
            h1 { font-size: 1.2em; }
            #main { display: flex; gap: 1em; align-items: flex-start; }
            #lanes { border-collapse: collapse; font-family: monospace; font-size: 0.85em; table-layout: fixed; flex: none; }
            #lanes col.idx { width: 4em; }
            #lanes col.lane { width: 22em; }
            #lanes th, #lanes td { border: 1px solid #ccc; padding: 2px 6px; vertical-align: top; text-align: left;
                                   overflow-wrap: anywhere; }
            #lanes th.lane { background: #eef; }
            #constants { color: #444; margin: 0.2em 0; font-family: monospace; }
            #verdict { color: #a00000; max-width: 70em; }
            tr.mark { outline: 3px solid #d00000; outline-offset: -2px; background: #ffe0e0; }
            tr.mark td.idx::after { content: " \\2716"; color: #d00000; }
            td.idx { color: #888; text-align: right; }
            tr.step { cursor: pointer; }
            tr.step:hover { background: #f6f6ff; }
            tr.sel { background: #ffe9a8 !important; }
            tr.hw .fn, tr.hw .chg { color: #a05000; }
            .fn { font-weight: bold; }
            .chg { padding-left: 1em; }
            #state { position: sticky; top: 0; flex: 1 1 30em; min-width: 20em; max-width: 50em; font-size: 0.85em; }
            #state pre { white-space: pre-wrap; background: #f8f8f8; padding: 0.5em; }
            .changed { background: #d8f5d8; }
            #ending { font-weight: bold; color: #a00000; }
            """;

    private static final String JS = """
            const rows = Array.from(document.querySelectorAll('tr.step'));
            let cur = 0;
            function show(i) {
              const s = STATES[i];
              document.getElementById('statehead').textContent = s.head;
              const only = document.getElementById('onlychanged').checked && i > 0;
              const body = document.getElementById('statebody');
              body.textContent = '';
              for (const [name, val, changed] of s.vars) {
                if (only && !changed) continue;
                const line = document.createElement('div');
                line.textContent = '/\\\\ ' + name + ' = ' + val;
                if (changed) line.className = 'changed';
                body.appendChild(line);
              }
            }
            function select(i) {
              cur = Math.max(0, Math.min(rows.length - 1, i));
              rows.forEach((r, j) => r.classList.toggle('sel', j === cur));
              document.getElementById('pos').textContent = 'step ' + cur + ' of ' + (rows.length - 1);
              show(cur);
            }
            rows.forEach((r, j) => {
              r.addEventListener('click', () => select(j));
              r.addEventListener('mouseenter', () => show(j));
              r.addEventListener('mouseleave', () => show(cur));
            });
            document.getElementById('prev').onclick = () => select(cur - 1);
            document.getElementById('next').onclick = () => select(cur + 1);
            document.getElementById('onlychanged').onchange = () => show(cur);
            document.addEventListener('keydown', e => {
              if (e.key === 'ArrowDown' || e.key === 'ArrowRight') { select(cur + 1); e.preventDefault(); }
              if (e.key === 'ArrowUp' || e.key === 'ArrowLeft') { select(cur - 1); e.preventDefault(); }
            });
            select(MARK);
            if (MARK > 0) rows[MARK].scrollIntoView({block: 'center'});
            """;

    /** {@code Scenario = "S1", cpu_flush = "gather", ...} as {@code Scenario S1, cpu_flush=gather, ...}. */
    static String constants(Map<String, TlaValue> params) {
        StringBuilder b = new StringBuilder();
        params.forEach((k, v) -> {
            if (k.equals("MixedSeed") && v.equals(TlaValue.of(0))) return; // only mixed reads it
            b.append(b.length() == 0 ? "" : ", ").append(k).append('=')
                    .append(v instanceof TlaValue.Str str ? str.value() : v.toTla());
        });
        return b.toString();
    }

    /** The verdict's first sentence ("Violated: invariant X is false in ..."). */
    static String firstSentence(String ending) {
        int dot = ending.indexOf(". ");
        return dot > 0 ? ending.substring(0, dot + 1) : ending;
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }

    /** A JavaScript string literal that is also safe inside a script element. */
    static String js(String s) {
        StringBuilder sb = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '<' -> sb.append("\\u003c");
                case '>' -> sb.append("\\u003e");
                case '&' -> sb.append("\\u0026");
                default -> {
                    if (c < 0x20 || c == '\u2028' || c == '\u2029') {
                        sb.append(String.format("\\u%04x", (int) c));
                    } else {
                        sb.append(c);
                    }
                }
            }
        }
        return sb.append('"').toString();
    }
}
