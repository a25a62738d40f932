package mmucheck.refinement.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import mmucheck.spec.model.ModelEntry;
import mmucheck.spec.tlc.Verdict;

/** The verdict table of {@code check}: model, scenario, variant, expected, actual, distinct, depth, seconds. */
public final class VerdictTable {
    /**
     * One model's line.
     *
     * @param mismatch null when the verdict matches the manifest, else what differs
     */
    public record Row(ModelEntry model, Verdict verdict, String mismatch) {}

    private VerdictTable() {}

    /**
     * What differs between the manifest and the verdict, or null. Counts are compared only when
     * they are reproducible: always for a complete search, for a violation only with one worker
     * (several workers find a counterexample after a varying number of states), and never when
     * the manifest has not measured them (-1).
     */
    public static String mismatch(ModelEntry m, Verdict v, int workers) {
        List<String> d = new ArrayList<>();
        if (!m.expected().equals(v.result())) {
            d.add("result");
        }
        if (!v.isError() && (workers == 1 || Verdict.HOLDS.equals(v.result()))) {
            if (m.distinct() != ModelEntry.UNMEASURED && m.distinct() != v.distinct()) {
                d.add("distinct " + m.distinct() + " expected");
            }
            if (m.depth() != ModelEntry.UNMEASURED && m.depth() != v.depth()) {
                d.add("depth " + m.depth() + " expected");
            }
        }
        return d.isEmpty() ? null : String.join(", ", d);
    }

    public static String text(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"model", "scenario", "variant", "expected", "actual", "distinct", "depth", "seconds", "match"});
        for (Row r : rows) {
            Verdict v = r.verdict();
            cells.add(new String[] {r.model().name(), r.model().scenario(), r.model().variantCell(), r.model().expected(),
                v.isError() ? "error" : v.result(), Long.toString(v.distinct()), Integer.toString(v.depth()),
                String.format(Locale.ROOT, "%.1f", v.seconds()), r.mismatch() == null ? "ok" : "NO: " + r.mismatch()});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                boolean number = i >= 5 && i <= 7;
                String c = row[i];
                String pad = " ".repeat(w[i] - c.length());
                line.append(number ? pad + c : c + (i == row.length - 1 ? "" : pad));
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        long ok = rows.stream().filter(r -> r.mismatch() == null).count();
        sb.append(ok).append(" of ").append(rows.size()).append(" models match the manifest.\n");
        return sb.toString();
    }

    public static ObjectNode json(List<Row> rows) {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        ArrayNode models = root.putArray("models");
        for (Row r : rows) {
            ObjectNode o = models.addObject();
            o.put("name", r.model().name());
            o.put("scenario", r.model().scenario());
            ObjectNode variant = o.putObject("variant");
            r.model().variant().forEach(variant::put);
            o.put("expected", r.model().expected());
            o.put("actual", r.verdict().result());
            o.put("distinct", r.verdict().distinct());
            o.put("depth", r.verdict().depth());
            o.put("seconds", Math.round(r.verdict().seconds() * 1000) / 1000.0);
            o.put("match", r.mismatch() == null);
            if (r.verdict().isError()) {
                o.put("error", r.verdict().error());
            }
        }
        return root;
    }

    /**
     * Models of one's own (in no manifest): model, scenario, variant, verdict, distinct, depth,
     * seconds; no expected value, so nothing to match.
     */
    public static String textOwn(List<Row> rows) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"model (yours)", "scenario", "variant", "verdict", "distinct", "depth", "seconds"});
        for (Row r : rows) {
            Verdict v = r.verdict();
            cells.add(new String[] {r.model().name(), r.model().scenario(), r.model().variantCell(),
                v.isError() ? "error" : v.result(), Long.toString(v.distinct()), Integer.toString(v.depth()),
                String.format(Locale.ROOT, "%.1f", v.seconds())});
        }
        int[] w = new int[cells.get(0).length];
        for (String[] row : cells) {
            for (int i = 0; i < row.length; i++) {
                w[i] = Math.max(w[i], row[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] row : cells) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < row.length; i++) {
                String pad = " ".repeat(w[i] - row[i].length());
                line.append(i >= 4 ? pad + row[i] : row[i] + pad);
                if (i < row.length - 1) {
                    line.append("  ");
                }
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append(rows.size() == 1 ? "1 model of your own (no expected verdict: this is TLC's answer).\n"
                : rows.size() + " models of your own (no expected verdict: these are TLC's answers).\n");
        return sb.toString();
    }

    /** {@code {"own": [...]}}: as {@link #json}'s models, with no expected value and no match. */
    public static ObjectNode jsonOwn(List<Row> rows) {
        ObjectNode root = json(rows);
        ArrayNode models = (ArrayNode) root.remove("models");
        for (int i = 0; i < models.size(); i++) {
            ObjectNode o = (ObjectNode) models.get(i);
            o.remove("expected");
            o.remove("match");
            o.put("cfg", rows.get(i).model().cfg());
        }
        root.set("own", models);
        return root;
    }
}
