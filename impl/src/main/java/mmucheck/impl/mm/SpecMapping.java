package mmucheck.impl.mm;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.io.SerializedString;
import java.io.IOException;
import java.util.List;

/**
 * The refinement mapping: the Java state, read in place, as the spec's variables (MMState.tla)
 * in the value encoding of docs/trace-format.md. Functions over 1..n are arrays, functions
 * over agent names are objects, sets are {"#set": [...]}. The variables, in the spec's order:
 */
public final class SpecMapping {
    public static final List<String> VARIABLES = List.of(
            "pte", "ptl", "fstate", "ref", "pglock", "mem", "copied", "swapcache", "swapslot", "tlb",
            "iotlb", "spte", "kvm", "pending", "gather", "pc", "ip", "loc", "clock", "writes", "seen",
            "incoherent", "obl", "vma", "oblw",
            // issue 12: reclaim's batched flush
            "batched", "ubc");

    private static final String NO_ONE = "none";

    // names written on every line, encoded once
    private static final Name[] VAR_NAMES = VARIABLES.stream().map(Name::new).toArray(Name[]::new);
    private static final Name K = new Name("k"), F = new Name("f"), W = new Name("w"), SET = new Name("#set"),
            LO = new Name("lo"), HI = new Name("hi"), BATCH = new Name("batch"), VA = new Name("va"),
            F2 = new Name("f2"), PTP = new Name("ptp"), SEQ = new Name("seq"), OK = new Name("ok"),
            COUNT = new Name("count"), D = new Name("d"), AGENT = new Name("agent"), GOT = new Name("got"),
            EXPECTED = new Name("expected"), FLUSH = new Name("flush"), WRITABLE = new Name("writable"),
            FREE = new Name("free");
    private final java.util.HashMap<String, Name> strings = new java.util.HashMap<>();

    /**
     * A string the mapping writes (a field name, or a value such as a pc or an agent's name),
     * encoded once: as Jackson quotes it, and with the quotes (and the colon of a field name)
     * as the trace writer's renderer copies it.
     */
    public static final class Name extends SerializedString {
        private final byte[] quoted, field;

        public Name(String s) {
            super(s);
            byte[] q = asQuotedUTF8();
            quoted = new byte[q.length + 2];
            quoted[0] = '"';
            System.arraycopy(q, 0, quoted, 1, q.length);
            quoted[q.length + 1] = '"';
            field = java.util.Arrays.copyOf(quoted, quoted.length + 1);
            field[quoted.length] = ':';
        }

        /** {@code "s"}: the bytes of the string as a JSON value (do not modify). */
        public byte[] quotedBytes() { return quoted; }

        /** {@code "s":}: the bytes of the string as a field name (do not modify). */
        public byte[] fieldBytes() { return field; }
    }

    /** The name of variable number i, encoded. */
    public static Name name(int i) { return VAR_NAMES[i]; }

    // in front of the map, a direct-mapped cache by identity: the mapping runs after every step
    private final String[] strKeys = new String[256];
    private final Name[] strValues = new Name[256];

    /** {@code s} encoded, from this mapping's cache (the trace writer's agent and action names too). */
    public Name encode(String s) { return str(s); }

    private Name str(String s) {
        int h = s.hashCode() & 255;
        if (strKeys[h] == s) return strValues[h];
        Name v = strings.computeIfAbsent(s, Name::new);
        strKeys[h] = s;
        strValues[h] = v;
        return v;
    }

    private final Mm mm;

    public SpecMapping(Mm mm) { this.mm = mm; }

    /**
     * Writes variable number {@code i} of {@link #VARIABLES} as a value. One small method per
     * variable: the JIT inlines the generator's calls into each (into one method of all 25 it
     * could not, and every token became a call).
     */
    public void write(int i, JsonGenerator g) throws IOException {
        switch (i) {
            case 0 -> pte(g);
            case 1 -> ptl(g);
            case 2 -> fstate(g);
            case 3 -> ref(g);
            case 4 -> pglock(g);
            case 5 -> mem(g);
            case 6 -> copied(g);
            case 7 -> swapcache(g);
            case 8 -> swapslot(g);
            case 9 -> tlb(g);
            case 10 -> iotlb(g);
            case 11 -> entries(g, mm.kvm.spte);
            case 12 -> kvm(g);
            case 13 -> g.writeNumber(mm.tlbFlushPending);
            case 14 -> gather(g);
            case 15 -> pc(g);
            case 16 -> ip(g);
            case 17 -> loc(g);
            case 18 -> g.writeNumber(mm.clock);
            case 19 -> writes(g);
            case 20 -> seen(g);
            case 21 -> incoherent(g);
            case 22 -> vaFrames(g, c -> c.task.obl);
            case 23 -> vma(g);
            case 24 -> vaFrames(g, c -> c.task.oblw);
            case 25 -> g.writeBoolean(mm.tlbFlushBatched);
            case 26 -> ubc(g);
            default -> throw new IllegalArgumentException("no variable " + i);
        }
    }

    /**
     * A number that changes whenever variable {@code i} may have changed, or -1 where there is
     * none (the writer renders such a variable after every step). Only state with a narrow
     * write path keeps one (PageTable, Tlb, SpinLock and MmuGather bump it in their setters,
     * the ghost arrays and sets in Mm at each write); a sum of counters that only grow moves
     * exactly when one of them moves.
     */
    public long version(int i) {
        switch (i) {
            case 0: return mm.pt.version();
            case 1: {
                long s = 0;
                for (int p = 1; p <= mm.pt.nptp(); p++) s += mm.pt.ptl(p).version();
                return s;
            }
            case 7, 8: return mm.swapVersion;
            case 9: {
                long s = 0;
                for (Cpu c : mm.cpus) s += c.tlb.version();
                return s;
            }
            case 10: {
                long s = 0;
                for (IommuDevice d : mm.devices) s += d.iotlb.version();
                return s;
            }
            case 11: return mm.kvm.spte.version();
            case 14: {
                long s = 0;
                for (Cpu c : mm.cpus) s += c.gather.version;
                return s;
            }
            case 19: return mm.writesVersion;
            case 22: return mm.oblVersion;
            case 23: return mm.vmaVersion;
            case 24: return mm.oblwVersion;
            default: return -1;
        }
    }

    /** pte: [VAS -> [k, f, w, d]], the page table. */
    private void pte(JsonGenerator g) throws IOException {
        int nva = mm.pt.nva();
        g.writeStartArray();
        for (int v = 1; v <= nva; v++) {
            Pte p = mm.pt.get(v);
            g.writeStartObject();
            g.writeFieldName(K);
            g.writeString(str(p.kind().spec()));
            g.writeFieldName(F);
            g.writeNumber(p.frame());
            g.writeFieldName(W);
            g.writeBoolean(p.writable());
            g.writeFieldName(D);
            g.writeBoolean(p.dirty());
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** ptl: [PTPS -> agent or "none"], the split PT locks' owners. */
    private void ptl(JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (int p = 1; p <= mm.pt.nptp(); p++) {
            Object o = mm.pt.ptl(p).owner();
            g.writeString(str(o == null ? NO_ONE : ((Task) o).name()));
        }
        g.writeEndArray();
    }

    /** fstate: [FRAMES -> "free" or "mm"]. */
    private void fstate(JsonGenerator g) throws IOException {
        int nframe = mm.alloc.nframe();
        g.writeStartArray();
        for (int f = 1; f <= nframe; f++) g.writeString(str(mm.frame(f).free ? "free" : "mm"));
        g.writeEndArray();
    }

    /** ref: [FRAMES -> Nat], the refcounts. */
    private void ref(JsonGenerator g) throws IOException {
        int nframe = mm.alloc.nframe();
        g.writeStartArray();
        for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).refcount);
        g.writeEndArray();
    }

    /** pglock: [FRAMES -> agent or "none"], the page locks' owners. */
    private void pglock(JsonGenerator g) throws IOException {
        int nframe = mm.alloc.nframe();
        g.writeStartArray();
        for (int f = 1; f <= nframe; f++) {
            Task o = mm.frame(f).lockOwner;
            g.writeString(str(o == null ? NO_ONE : o.name()));
        }
        g.writeEndArray();
    }

    /** mem: [FRAMES -> Nat], the contents (the clock value of the last store). */
    private void mem(JsonGenerator g) throws IOException {
        int nframe = mm.alloc.nframe();
        g.writeStartArray();
        for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).contents);
        g.writeEndArray();
    }

    /** copied: [FRAMES -> Int], the contents a copy took (-1: none). */
    private void copied(JsonGenerator g) throws IOException {
        int nframe = mm.alloc.nframe();
        g.writeStartArray();
        for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).copied);
        g.writeEndArray();
    }

    /** swapcache: [VAS -> frame or 0]. */
    private void swapcache(JsonGenerator g) throws IOException {
        int nva = mm.pt.nva();
        g.writeStartArray();
        for (int v = 1; v <= nva; v++) g.writeNumber(mm.swapcache[v]);
        g.writeEndArray();
    }

    /** swapslot: [VAS -> Nat], the contents written to the slot. */
    private void swapslot(JsonGenerator g) throws IOException {
        int nva = mm.pt.nva();
        g.writeStartArray();
        for (int v = 1; v <= nva; v++) g.writeNumber(mm.swapslot[v]);
        g.writeEndArray();
    }

    /** tlb: [CPUS -> [VAS -> [f, w]]]. */
    private void tlb(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Cpu c : mm.cpus) {
            g.writeFieldName(str(c.name()));
            entries(g, c.tlb);
        }
        g.writeEndObject();
    }

    /** iotlb: [DEVICES -> [VAS -> [f, w]]]. */
    private void iotlb(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (IommuDevice d : mm.devices) {
            g.writeFieldName(str(d.name()));
            entries(g, d.iotlb);
        }
        g.writeEndObject();
    }

    /** kvm: [count, seq], mmu_notifier_count and mmu_notifier_seq. */
    private void kvm(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(COUNT);
        g.writeNumber(mm.kvm.mmuNotifierCount);
        g.writeFieldName(SEQ);
        g.writeNumber(mm.kvm.mmuNotifierSeq);
        g.writeEndObject();
    }

    /** gather: [CPUS -> [lo, hi, batch]], each CPU's mmu_gather. */
    private void gather(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Cpu c : mm.cpus) {
            g.writeFieldName(str(c.name()));
            g.writeStartObject();
            g.writeFieldName(LO);
            g.writeNumber(c.gather.start);
            g.writeFieldName(HI);
            g.writeNumber(c.gather.end);
            g.writeFieldName(BATCH);
            g.writeStartObject();
            g.writeFieldName(SET);
            g.writeStartArray();
            for (int f : c.gather.batch) g.writeNumber(f);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** pc: [agents -> code point]. */
    private void pc(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Task t : mm.tasks) {
            g.writeFieldName(str(t.name()));
            g.writeString(str(t.pc()));
        }
        g.writeEndObject();
    }

    /** ip: [agents -> Nat], the next instruction. */
    private void ip(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Task t : mm.tasks) {
            g.writeFieldName(str(t.name()));
            g.writeNumber(t.ip);
        }
        g.writeEndObject();
    }

    /** loc: [agents -> [va, f, f2, ptp, seq, ok]], the agents' locals. */
    private void loc(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Task t : mm.tasks) {
            g.writeFieldName(str(t.name()));
            g.writeStartObject();
            g.writeFieldName(VA);
            g.writeNumber(t.va);
            g.writeFieldName(F);
            g.writeNumber(t.page);
            g.writeFieldName(F2);
            g.writeNumber(t.newPage);
            g.writeFieldName(PTP);
            g.writeNumber(t.ptp);
            g.writeFieldName(SEQ);
            g.writeNumber(t.mmuSeq);
            g.writeFieldName(OK);
            g.writeBoolean(t.ok);
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** writes: [VAS -> SUBSET Nat], the stores readers are held to. */
    private void writes(JsonGenerator g) throws IOException {
        int nva = mm.pt.nva();
        g.writeStartArray();
        for (int v = 1; v <= nva; v++) {
            g.writeStartObject();
            g.writeFieldName(SET);
            g.writeStartArray();
            for (long w : mm.writes[v]) g.writeNumber(w);
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndArray();
    }

    /** seen: [agents -> Nat], the newest contents each agent has seen. */
    private void seen(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Task t : mm.tasks) {
            g.writeFieldName(str(t.name()));
            g.writeNumber(t.seen);
        }
        g.writeEndObject();
    }

    /** incoherent: SUBSET [agent, va, got, expected]. */
    private void incoherent(JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SET);
        g.writeStartArray();
        for (Mm.Incoherent x : mm.incoherent) {
            g.writeStartObject();
            g.writeFieldName(AGENT);
            g.writeString(str(x.agent()));
            g.writeFieldName(VA);
            g.writeNumber(x.va());
            g.writeFieldName(GOT);
            g.writeNumber(x.got());
            g.writeFieldName(EXPECTED);
            g.writeNumber(x.expected());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }
    /** obl and oblw: [CPUS -> SUBSET <<va, frame>>]. */
    private void vaFrames(JsonGenerator g, java.util.function.Function<Cpu, Iterable<Task.VaFrame>> of)
            throws IOException {
        g.writeStartObject();
        for (Cpu c : mm.cpus) {
            g.writeFieldName(str(c.name()));
            g.writeStartObject();
            g.writeFieldName(SET);
            g.writeStartArray();
            for (Task.VaFrame o : of.apply(c)) {
                g.writeStartArray();
                g.writeNumber(o.va());
                g.writeNumber(o.frame());
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** ubc: [CPUS -> [flush, writable, free]], each thread's tlb_ubc and free_folios list. */
    private void ubc(JsonGenerator g) throws IOException {
        g.writeStartObject();
        for (Cpu c : mm.cpus) {
            g.writeFieldName(str(c.name()));
            g.writeStartObject();
            g.writeFieldName(FLUSH);
            g.writeBoolean(c.ubc.flushRequired);
            g.writeFieldName(WRITABLE);
            g.writeBoolean(c.ubc.writable);
            g.writeFieldName(FREE);
            g.writeStartObject();
            g.writeFieldName(SET);
            g.writeStartArray();
            for (int f : c.ubc.free) g.writeNumber(f);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        g.writeEndObject();
    }

    /** vma: [VAS -> BOOLEAN], VM_WRITE per va. */
    private void vma(JsonGenerator g) throws IOException {
        g.writeStartArray();
        for (int v = 1; v <= mm.pt.nva(); v++) g.writeBoolean(mm.vma[v]);
        g.writeEndArray();
    }

    /** [VAS -> [f, w]]: a translation cache, "no entry" as [f |-> 0, w |-> FALSE]. */
    private void entries(JsonGenerator g, Tlb tlb) throws IOException {
        g.writeStartArray();
        for (int v = 1; v <= tlb.nva(); v++) {
            TlbEntry e = tlb.get(v);
            g.writeStartObject();
            g.writeFieldName(F);
            g.writeNumber(e == null ? 0 : e.frame());
            g.writeFieldName(W);
            g.writeBoolean(e != null && e.writable());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
