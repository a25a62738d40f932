package mmucheck.impl.sched;

/**
 * One transition as the log names it: who stepped (the lane), the spec action and its
 * parameters. Agent actions have one parameter ({@code a}, {@code c}, {@code d} or {@code v},
 * as the spec's operator declares it) whose value is the agent; hardware actions have the
 * CPU or device ({@code c} or {@code d}) and the virtual page {@code v}.
 */
public record Step(String agent, String action, String param, int va) {
    /** va = 0: no second parameter. */
    public boolean hardware() { return va != 0; }
}
