package mmucheck.spec.tlc;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Just enough of a TLC cfg file to name what a run checks: its PROPERTY names. */
final class CfgFile {
    private static final Set<String> KEYWORDS = Set.of("CONSTANT", "CONSTANTS", "INIT", "NEXT", "SPECIFICATION",
            "INVARIANT", "INVARIANTS", "PROPERTY", "PROPERTIES", "CONSTRAINT", "CONSTRAINTS", "ACTION_CONSTRAINT",
            "ACTION_CONSTRAINTS", "VIEW", "SYMMETRY", "CHECK_DEADLOCK", "ALIAS", "POSTCONDITION");

    private CfgFile() {}

    static List<String> temporalProperties(String cfgText) {
        List<String> props = new ArrayList<>();
        String noComments = cfgText.replaceAll("(?s)\\(\\*.*?\\*\\)", " ").replaceAll("\\\\\\*[^\\n]*", " ");
        boolean inProps = false;
        for (String tok : noComments.split("\\s+")) {
            if (tok.isEmpty()) {
                continue;
            }
            if (KEYWORDS.contains(tok)) {
                inProps = tok.equals("PROPERTY") || tok.equals("PROPERTIES");
            } else if (inProps) {
                props.add(tok);
            }
        }
        return props;
    }
}
