package mmucheck.refinement.log;

import java.util.List;
import java.util.Map;

/** One line of a trace log (docs/trace-format.md), decoded; values are JDK values (see Values). */
public sealed interface LogLine {
    /** 1-based line number in the file. */
    int line();

    /** Line 1. */
    record Header(int line, String spec, int version, Map<String, Object> constants, String mode)
            implements LogLine {}

    /** The initial state (seq 0) or a transition; {@code state} is after the step. */
    record Step(int line, long seq, String agent, String action, Map<String, Object> args,
            Map<String, Object> state, boolean stutter) implements LogLine {}

    /** The last line: how the implementation's run ended. */
    record End(int line, String end, long steps, List<Object> observed) implements LogLine {}

    /** A line that breaks the format: reported as one line, exit 2. */
    record Bad(int line, String message) implements LogLine {}
}
