package mmucheck.refinement.explore;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.refinement.report.VerdictReport;
import mmucheck.spec.model.Manifest;
import mmucheck.spec.model.ModelEntry;

/** The explore summary as text (golden-tested; timing on its own line) and as JSON. */
public final class ExploreReport {
    private ExploreReport() {}

    /**
     * @param manifest the bundled models (null: none), to say whether TLC also finds a run's
     *                 violation in the model of that scenario and variant
     * @param timing   whether to add the steps/s line (left out of golden tests)
     */
    public static String text(Explorer.Summary s, Manifest manifest, boolean timing) {
        StringBuilder b = new StringBuilder();
        b.append("explore ").append(s.variant()).append(", ").append(s.strategy()).append(": ")
                .append(s.runs()).append(" runs, ").append(s.steps()).append(" steps over ")
                .append(String.join(" ", scenarioCounts(s.perScenario()))).append('\n');
        b.append("  refined ").append(s.refined()).append(", diverged ").append(s.diverged())
                .append(", violated ").append(s.violated()).append(", bad ").append(s.bad());
        if (s.implObserved() > 0) b.append("; the implementation's own watch flagged ").append(s.implObserved());
        b.append('\n');
        if (!s.violations().isEmpty()) {
            b.append("  violations: ");
            int i = 0;
            for (Map.Entry<String, Long> e : s.violations().entrySet()) {
                b.append(i++ == 0 ? "" : ", ").append(e.getKey()).append(" x").append(e.getValue());
            }
            b.append('\n');
            b.append("    these runs refine the spec, so the violation is a behaviour of the spec under this variant:\n")
                    .append("    the variant's bug, not the implementation's");
            List<String> agree = manifestAgrees(s, manifest);
            b.append(agree.isEmpty() ? "" : "; TLC's models agree: " + String.join(", ", agree)).append('\n');
        }
        if (s.diverged() + s.bad() > 0) {
            b.append("  divergences are implementation bugs (or injected ones): the run is no behaviour of the spec\n");
        }
        Explorer.Failure f = s.firstDivergence() != null ? s.firstDivergence() : s.firstFailure();
        if (f != null) {
            b.append(s.firstDivergence() != null ? "first diverging seed " : "first violating seed ").append(f.seed())
                    .append(" (").append(f.scenario()).append(")")
                    .append(f.log() == null ? "" : ", log " + f.log()).append(":\n");
            for (String line : VerdictReport.text(f.verdict(), f.log() == null ? "seed " + f.seed() : f.log().toString())
                    .split("\n")) {
                b.append("  ").append(line).append('\n');
            }
        }
        if (timing) {
            // per worker: the simulation time is summed over the workers
            double sim = s.simSeconds() / Math.max(1, s.jobs());
            b.append(String.format("  %.0f steps/s, %.1f s (simulation %.1f s, spec loads and refinement %.1f s%s), %d spec loads%n",
                    s.stepsPerSecond(), s.seconds(), sim, s.seconds() - sim,
                    s.jobs() > 1 ? " per worker, " + s.jobs() + " workers" : "", s.loads()));
        }
        return b.toString();
    }

    private static List<String> scenarioCounts(Map<String, Long> per) {
        List<String> l = new ArrayList<>();
        per.forEach((k, v) -> l.add(k + ":" + v));
        return l;
    }

    /** The manifest models of a scenario the runs covered, with this variant, whose expected verdict is a seen violation. */
    static List<String> manifestAgrees(Explorer.Summary s, Manifest m) {
        List<String> out = new ArrayList<>();
        if (m == null) return out;
        for (ModelEntry e : m.models()) {
            if (!s.perScenario().containsKey(e.scenario())) continue;
            if (!e.variant().equals(s.variant().constants())) continue;
            if (!e.expected().startsWith("violates:")) continue;
            if (s.violations().containsKey(e.expected().substring("violates:".length()))) {
                out.add(e.name() + " " + e.expected());
            }
        }
        return out;
    }

    public static String json(Explorer.Summary s) {
        ObjectMapper om = new ObjectMapper();
        ObjectNode o = om.createObjectNode();
        o.put("variant", s.variant().toString());
        o.put("strategy", s.strategy());
        o.put("runs", s.runs());
        o.put("steps", s.steps());
        o.put("refined", s.refined());
        o.put("diverged", s.diverged());
        o.put("violated", s.violated());
        o.put("bad", s.bad());
        ObjectNode v = o.putObject("violations");
        s.violations().forEach(v::put);
        ObjectNode p = o.putObject("scenarios");
        s.perScenario().forEach(p::put);
        o.put("steps_per_second", Math.round(s.stepsPerSecond()));
        o.put("seconds", s.seconds());
        o.put("jobs", s.jobs());
        o.put("spec_loads", s.loads());
        Explorer.Failure f = s.firstDivergence() != null ? s.firstDivergence() : s.firstFailure();
        if (f != null) {
            ObjectNode fo = o.putObject("first_failure");
            fo.put("seed", f.seed());
            fo.put("scenario", f.scenario());
            fo.put("log", f.log() == null ? null : f.log().toString());
            try {
                fo.set("verdict", om.readTree(VerdictReport.json(f.verdict(), f.log() == null ? "seed " + f.seed() : f.log().toString())));
            } catch (java.io.IOException e) {
                throw new IllegalStateException(e);
            }
        }
        return o.toString();
    }
}
