package mmucheck.impl.scenario;

/** The operations of Scenarios.tla, with the spec's spelling of each. */
public enum Op {
    LOAD("load"), STORE("store"), MADVISE_DONTNEED("madvise_dontneed"),
    MIGRATE("migrate"), SWAP_OUT("swap_out"), KSM("ksm"), MADVISE_FREE("madvise_free"),
    MPROTECT_RO("mprotect_ro"), MPROTECT_RW("mprotect_rw"),
    /** shrink_folio_list() of the pages at lo..hi with TTU_BATCH_FLUSH (issue 12). */
    RECLAIM("reclaim");

    private final String spec;

    Op(String spec) { this.spec = spec; }

    public String spec() { return spec; }
}
