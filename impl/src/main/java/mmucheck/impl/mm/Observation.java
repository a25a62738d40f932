package mmucheck.impl.mm;

/**
 * What the implementation's own run-time watch saw: kind is "use-after-free" (an access
 * through a translation to a freed page, or a page freed while a translation still reaches it), "lost-write" (a store into a page whose contents
 * were already copied, written out or merged) or "stale-read" (a read older than what the
 * agent had seen, or a madvise() that returned while a TLB still mapped a page it unmapped).
 */
public record Observation(String kind, String agent, int va, int frame, long seq) {}
