package mmucheck.impl.mm;

/**
 * A page-table entry: none | present(frame, writable, dirty) | swap entry | migration
 * entry(frame). Every PTE installed here is dirty (pte_mkdirty()); only MADV_FREE cleans one,
 * and a store through a translation that does not cache it dirty sets the bit again.
 */
public record Pte(Kind kind, int frame, boolean writable, boolean dirty) {
    public enum Kind {
        NONE("none"), PRESENT("present"), SWAP("swap"), MIGRATION("migration");

        private final String spec;

        Kind(String spec) { this.spec = spec; }

        public String spec() { return spec; }
    }

    public static final Pte NONE = new Pte(Kind.NONE, 0, false, false);
    public static final Pte SWAP_ENTRY = new Pte(Kind.SWAP, 0, false, false);

    public static Pte present(int frame, boolean writable) { return new Pte(Kind.PRESENT, frame, writable, true); }

    public static Pte migrationEntry(int frame, boolean writable) { return new Pte(Kind.MIGRATION, frame, writable, false); }

    public boolean pte_none() { return kind == Kind.NONE; }
    public boolean pte_present() { return kind == Kind.PRESENT; }
    public boolean pte_write() { return writable; }
    public boolean pte_dirty() { return dirty; }

    /** pte_mkwrite(). */
    public Pte pte_mkwrite() { return new Pte(kind, frame, true, dirty); }

    /** pte_wrprotect(). */
    public Pte pte_wrprotect() { return new Pte(kind, frame, false, dirty); }

    /** pte_mkdirty(). */
    public Pte pte_mkdirty() { return new Pte(kind, frame, writable, true); }

    /** pte_mkclean(). */
    public Pte pte_mkclean() { return new Pte(kind, frame, writable, false); }

    /** pte_same() with the read-only present PTE of {@code pfn} a fault or KSM saw (dirty bit aside). */
    public boolean sameReadOnly(int pfn) { return kind == Kind.PRESENT && frame == pfn && !writable; }
}
