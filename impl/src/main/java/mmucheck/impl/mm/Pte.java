package mmucheck.impl.mm;

/** A page-table entry: none | present(frame, writable) | swap entry | migration entry(frame). */
public record Pte(Kind kind, int frame, boolean writable) {
    public enum Kind {
        NONE("none"), PRESENT("present"), SWAP("swap"), MIGRATION("migration");

        private final String spec;

        Kind(String spec) { this.spec = spec; }

        public String spec() { return spec; }
    }

    public static final Pte NONE = new Pte(Kind.NONE, 0, false);
    public static final Pte SWAP_ENTRY = new Pte(Kind.SWAP, 0, false);

    public static Pte present(int frame, boolean writable) { return new Pte(Kind.PRESENT, frame, writable); }

    public static Pte migrationEntry(int frame, boolean writable) { return new Pte(Kind.MIGRATION, frame, writable); }

    public boolean pte_none() { return kind == Kind.NONE; }
    public boolean pte_present() { return kind == Kind.PRESENT; }
    public boolean pte_write() { return writable; }

    /** pte_mkwrite(). */
    public Pte pte_mkwrite() { return new Pte(kind, frame, true); }

    /** pte_wrprotect(). */
    public Pte pte_wrprotect() { return new Pte(kind, frame, false); }
}
