package mmucheck.impl.sched;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/**
 * The one stream every nondeterministic choice of a run comes from. A strategy decides
 * (from its seeded generator) and the decision is recorded here; in replay the decisions
 * are read back instead, and any mismatch (a different number of options or a different
 * agent at the recorded index) is a divergence naming the step.
 */
public final class Choices {
    /** One decision: at step {@code step}, option {@code k} of {@code n}; {@code label} names it. */
    public record Choice(long step, int n, int k, String label) {
        public String line() { return step + " " + n + " " + k + " " + label; }
    }

    private final List<Choice> recorded = new ArrayList<>();
    private final List<Choice> replay;
    private int cursor;
    private String divergence;

    private Choices(List<Choice> replay) { this.replay = replay; }

    /** A fresh stream to record into. */
    public static Choices recording() { return new Choices(null); }

    /** A stream that replays {@code script}. */
    public static Choices replaying(List<Choice> script) { return new Choices(List.copyOf(script)); }

    public boolean isReplay() { return replay != null; }

    /**
     * Records a decision made by a strategy (option {@code strategyPick} of {@code n}, named
     * {@code label.apply(k)}), or in replay returns the recorded one after checking it still
     * fits; returns -1 (and sets {@link #divergence()}) when it does not.
     */
    int decide(long step, int n, IntFunction<String> label, int strategyPick) {
        if (replay == null) {
            recorded.add(new Choice(step, n, strategyPick, label.apply(strategyPick)));
            return strategyPick;
        }
        if (cursor >= replay.size()) {
            divergence = "replay diverged at step " + step + ": the recorded stream ended ("
                    + replay.size() + " choices) but the run goes on";
            return -1;
        }
        Choice c = replay.get(cursor++);
        if (c.step() != step || c.n() != n || c.k() >= n || !label.apply(c.k()).equals(c.label())) {
            StringBuilder now = new StringBuilder();
            for (int i = 0; i < n; i++) now.append(i == 0 ? "" : ", ").append(label.apply(i));
            divergence = "replay diverged at step " + step + ": recorded choice " + cursor + " is '"
                    + c.line() + "' but now " + n + " options [" + now + "]";
            recorded.add(c);
            return -1;
        }
        recorded.add(c);
        return c.k();
    }

    public String divergence() { return divergence; }

    /** The decisions so far (in replay: the ones replayed). */
    public List<Choice> recorded() { return java.util.Collections.unmodifiableList(recorded); }

    /** Whether a replay used the whole recorded stream. */
    public boolean replayExhausted() { return replay == null || cursor == replay.size(); }

    /** Text form: a header line, then one {@link Choice#line()} per decision. */
    public String text() { return text(recorded); }

    public static String text(List<Choice> choices) {
        StringBuilder b = new StringBuilder("mmucheck-choices 1\n");
        for (Choice c : choices) b.append(c.line()).append('\n');
        return b.toString();
    }

    /** Parses {@link #text()}; returns null and fills {@code error[0]} on bad input. */
    public static List<Choice> parse(List<String> lines, String[] error) {
        List<Choice> out = new ArrayList<>();
        if (lines.isEmpty() || !lines.get(0).trim().equals("mmucheck-choices 1")) {
            error[0] = "line 1: not a choice stream (want 'mmucheck-choices 1')";
            return null;
        }
        for (int i = 1; i < lines.size(); i++) {
            String l = lines.get(i).trim();
            if (l.isEmpty()) continue;
            String[] f = l.split(" ", 4);
            try {
                if (f.length != 4) throw new NumberFormatException();
                out.add(new Choice(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3]));
            } catch (NumberFormatException e) {
                error[0] = "line " + (i + 1) + ": want 'STEP N K LABEL', got '" + l + "'";
                return null;
            }
        }
        return out;
    }
}
