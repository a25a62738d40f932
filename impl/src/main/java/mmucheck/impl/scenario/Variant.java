package mmucheck.impl.scenario;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The protocol variant: MMState.tla's constants cpu_flush, secondary and shadow, with the
 * spec's per-site predicates, so the implementation branches exactly where the spec does; and
 * (issue 12) batched_flush, a definition of MMState that a cfg overrides: written out (in
 * {@link #constants()} and {@link #toString()}) only when it is not the default, so that the
 * logs and reports of the other variants read as before.
 */
public record Variant(String cpuFlush, String secondary, String shadow, String batchedFlush) {
    public static final List<String> CPU_FLUSH = List.of("gather", "nested", "always");
    public static final List<String> SECONDARY = List.of("under_ptl", "range_end", "after_unlock", "none", "v4_15",
            "v6_6", "skip_none");
    public static final List<String> SHADOW = List.of("seq", "start_only");
    /** flush_tlb_batched_pending(): 3ea277194daa (v4.13), or "v4_12" without it. */
    public static final List<String> BATCHED_FLUSH = List.of("flush_tlb_batched_pending", "v4_12");

    public static final Variant DEFAULT = new Variant("nested", "under_ptl", "seq");

    /** The three constants, with batched_flush at its default. */
    public Variant(String cpuFlush, String secondary, String shadow) {
        this(cpuFlush, secondary, shadow, BATCHED_FLUSH.get(0));
    }

    /**
     * Call sites of the notifier predicates, as the spec's sites: in try_to_unmap_one() a
     * migration entry, an anon swap entry, a clean MADV_FREE page discarded (LAZYFREE) or put
     * back (PUTBACK).
     */
    public enum Site { COW, MIGRATION, SWAP, LAZYFREE, PUTBACK, KSM }

    /**
     * Parses {@code K=V[,K=V]} over DEFAULT; returns the error text instead on bad input.
     */
    public static Result parse(String text) {
        String cf = DEFAULT.cpuFlush, sec = DEFAULT.secondary, sh = DEFAULT.shadow, bf = DEFAULT.batchedFlush;
        if (text != null && !text.isBlank()) {
            for (String kv : text.split(",")) {
                int eq = kv.indexOf('=');
                if (eq <= 0) {
                    return new Result(null, "bad variant '" + kv + "' (want K=V, e.g. cpu_flush=gather)");
                }
                String k = kv.substring(0, eq).trim(), v = kv.substring(eq + 1).trim();
                switch (k) {
                    case "cpu_flush" -> { if (!CPU_FLUSH.contains(v)) return bad(k, v, CPU_FLUSH); cf = v; }
                    case "secondary" -> { if (!SECONDARY.contains(v)) return bad(k, v, SECONDARY); sec = v; }
                    case "shadow" -> { if (!SHADOW.contains(v)) return bad(k, v, SHADOW); sh = v; }
                    case "batched_flush" -> { if (!BATCHED_FLUSH.contains(v)) return bad(k, v, BATCHED_FLUSH); bf = v; }
                    default -> { return new Result(null, "unknown variant key '" + k + "' (cpu_flush, secondary, shadow, batched_flush)"); }
                }
            }
        }
        return new Result(new Variant(cf, sec, sh, bf), null);
    }

    private static Result bad(String k, String v, List<String> ok) {
        return new Result(null, "bad " + k + " '" + v + "' (one of " + String.join(", ", ok) + ")");
    }

    /** A parsed variant or the reason it is not one. */
    public record Result(Variant variant, String error) {
        public Optional<Variant> ok() { return Optional.ofNullable(variant); }
    }

    /** Bracket(site): v4.10 (after_unlock) has no start/end bracket around rmap (KSM has one). */
    public boolean bracket(Site site) {
        return !(secondary.equals("after_unlock") && site != Site.COW && site != Site.KSM);
    }

    /** NotifyUnderPtl(site): ->invalidate_range inside ptep_clear_flush_notify(). */
    public boolean notifyUnderPtl(Site site) {
        return switch (secondary) {
            case "under_ptl" -> site != Site.PUTBACK;
            case "after_unlock" -> site == Site.COW || site == Site.KSM;
            case "v4_15" -> site == Site.COW || site == Site.SWAP || site == Site.LAZYFREE;
            case "v6_6", "skip_none" -> true; // ptep_clear_flush() -> flush_tlb_page() -> arch hook
            default -> false;
        };
    }

    /** InvalidatePageAfterUnlock(site). */
    public boolean invalidatePageAfterUnlock(Site site) { return !bracket(site); }

    /** EndInvalidates: range_end calls ->invalidate_range (v4.13-v6.5). */
    public boolean endInvalidates() {
        return !secondary.equals("none") && !secondary.equals("v6_6") && !secondary.equals("skip_none");
    }

    /** GatherInvalidates: the mmu_gather's flushes call ->invalidate_range (v6.6: the arch hook). */
    public boolean gatherInvalidates() {
        return !secondary.equals("range_end") && !secondary.equals("none");
    }

    /** v6.6: the secondary TLB is invalidated from the architecture's TLB flush itself. */
    public boolean archHook() { return secondary.equals("v6_6") || secondary.equals("skip_none"); }

    /** SecondaryRange: skip_none invalidates a gather's secondary TLBs for the gathered range only. */
    public boolean secondaryGatheredOnly() { return secondary.equals("skip_none"); }

    public boolean shadowSeq() { return shadow.equals("seq"); }

    /** zap_pte_range(), change_pte_range() and madvise_free_pte_range() call flush_tlb_batched_pending(). */
    public boolean flushBatchedPending() { return batchedFlush.equals("flush_tlb_batched_pending"); }

    private boolean batchedFlushDefault() { return batchedFlush.equals(DEFAULT.batchedFlush); }

    public Map<String, String> constants() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("cpu_flush", cpuFlush);
        m.put("secondary", secondary);
        m.put("shadow", shadow);
        if (!batchedFlushDefault()) m.put("batched_flush", batchedFlush);
        return m;
    }

    @Override
    public String toString() {
        return "cpu_flush=" + cpuFlush + ",secondary=" + secondary + ",shadow=" + shadow
                + (batchedFlushDefault() ? "" : ",batched_flush=" + batchedFlush);
    }
}
