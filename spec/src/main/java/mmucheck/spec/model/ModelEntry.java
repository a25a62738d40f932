package mmucheck.spec.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One model of the manifest: its cfg, what it shows, and the verdict TLC must give.
 *
 * @param variant the protocol variant constants (cpu_flush, secondary, shadow), in manifest order
 * @param expected {@code holds}, {@code deadlock} or {@code violates:<Name>}
 * @param distinct distinct states TLC must find (exactly); {@link #UNMEASURED} when not yet measured
 * @param depth the search depth TLC must report (exactly); {@link #UNMEASURED} when not yet measured
 * @param spec the model's top module when it is not the manifest's (e.g. {@code KernelLink}); null otherwise
 */
public record ModelEntry(String name, String cfg, String scenario, Map<String, String> variant, String expected,
        long distinct, int depth, Tier tier, String explain, String spec) {

    /** A count the manifest does not record yet (a bench model too big to have been run). */
    public static final long UNMEASURED = -1;

    public ModelEntry {
        variant = Collections.unmodifiableMap(new LinkedHashMap<>(variant));
    }

    /** A model of the manifest's own top module. */
    public ModelEntry(String name, String cfg, String scenario, Map<String, String> variant, String expected,
            long distinct, int depth, Tier tier, String explain) {
        this(name, cfg, scenario, variant, expected, distinct, depth, tier, explain, null);
    }

    /** How expensive a model is, hence who runs it. */
    public enum Tier {
        /** seconds: run by JUnit */
        UNIT,
        /** run by {@code check} by default, under a minute */
        CI,
        /** only when named, or with --all */
        BENCH;

        public String label() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** The variant as one short cell, e.g. {@code gather/under_ptl/seq}. */
    public String variantCell() {
        return String.join("/", variant.values());
    }
}
