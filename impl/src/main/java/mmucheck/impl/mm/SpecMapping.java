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
            "incoherent", "obl", "vma", "oblw");

    private static final String NO_ONE = "none";

    // names written on every line, encoded once
    private static final SerializedString[] VAR_NAMES = VARIABLES.stream().map(SerializedString::new).toArray(SerializedString[]::new);
    private static final SerializedString K = new SerializedString("k"), F = new SerializedString("f"),
            W = new SerializedString("w"), SET = new SerializedString("#set"), LO = new SerializedString("lo"),
            HI = new SerializedString("hi"), BATCH = new SerializedString("batch"), VA = new SerializedString("va"),
            F2 = new SerializedString("f2"), PTP = new SerializedString("ptp"), SEQ = new SerializedString("seq"),
            OK = new SerializedString("ok"), COUNT = new SerializedString("count"), D = new SerializedString("d");
    private final java.util.HashMap<String, SerializedString> strings = new java.util.HashMap<>();

    /** The name of variable number i, encoded. */
    public static SerializedString name(int i) { return VAR_NAMES[i]; }

    // in front of the map, a direct-mapped cache by identity: the mapping runs after every step
    private final String[] strKeys = new String[64];
    private final SerializedString[] strValues = new SerializedString[64];

    private SerializedString str(String s) {
        int h = s.hashCode() & 63;
        if (strKeys[h] == s) return strValues[h];
        SerializedString v = strings.computeIfAbsent(s, SerializedString::new);
        strKeys[h] = s;
        strValues[h] = v;
        return v;
    }

    private final Mm mm;

    public SpecMapping(Mm mm) { this.mm = mm; }

    /** Writes variable number {@code i} of {@link #VARIABLES} as a value. */
    public void write(int i, JsonGenerator g) throws IOException {
        int nva = mm.pt.nva();
        int nframe = mm.alloc.nframe();
        switch (i) {
            case 0 -> { // pte
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
            case 1 -> { // ptl
                g.writeStartArray();
                for (int p = 1; p <= mm.pt.nptp(); p++) {
                    Object o = mm.pt.ptl(p).owner();
                    g.writeString(str(o == null ? NO_ONE : ((Task) o).name()));
                }
                g.writeEndArray();
            }
            case 2 -> { // fstate
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) g.writeString(str(mm.frame(f).free ? "free" : "mm"));
                g.writeEndArray();
            }
            case 3 -> { // ref
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).refcount);
                g.writeEndArray();
            }
            case 4 -> { // pglock
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) {
                    Task o = mm.frame(f).lockOwner;
                    g.writeString(str(o == null ? NO_ONE : o.name()));
                }
                g.writeEndArray();
            }
            case 5 -> { // mem
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).contents);
                g.writeEndArray();
            }
            case 6 -> { // copied
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) g.writeNumber(mm.frame(f).copied);
                g.writeEndArray();
            }
            case 7 -> { // swapcache
                g.writeStartArray();
                for (int v = 1; v <= nva; v++) g.writeNumber(mm.swapcache[v]);
                g.writeEndArray();
            }
            case 8 -> { // swapslot
                g.writeStartArray();
                for (int v = 1; v <= nva; v++) g.writeNumber(mm.swapslot[v]);
                g.writeEndArray();
            }
            case 9 -> { // tlb
                g.writeStartObject();
                for (Cpu c : mm.cpus) {
                    g.writeFieldName(str(c.name()));
                    entries(g, c.tlb);
                }
                g.writeEndObject();
            }
            case 10 -> { // iotlb
                g.writeStartObject();
                for (IommuDevice d : mm.devices) {
                    g.writeFieldName(str(d.name()));
                    entries(g, d.iotlb);
                }
                g.writeEndObject();
            }
            case 11 -> entries(g, mm.kvm.spte);
            case 12 -> { // kvm
                g.writeStartObject();
                g.writeFieldName(COUNT);
                g.writeNumber(mm.kvm.mmuNotifierCount);
                g.writeFieldName(SEQ);
                g.writeNumber(mm.kvm.mmuNotifierSeq);
                g.writeEndObject();
            }
            case 13 -> g.writeNumber(mm.tlbFlushPending);
            case 14 -> { // gather
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
            case 15 -> { // pc
                g.writeStartObject();
                for (Task t : mm.tasks) {
                    g.writeFieldName(str(t.name()));
                    g.writeString(str(t.pc()));
                }
                g.writeEndObject();
            }
            case 16 -> { // ip
                g.writeStartObject();
                for (Task t : mm.tasks) {
                    g.writeFieldName(str(t.name()));
                    g.writeNumber(t.ip);
                }
                g.writeEndObject();
            }
            case 17 -> { // loc
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
            case 18 -> g.writeNumber(mm.clock);
            case 19 -> { // writes
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
            case 20 -> { // seen
                g.writeStartObject();
                for (Task t : mm.tasks) {
                    g.writeFieldName(str(t.name()));
                    g.writeNumber(t.seen);
                }
                g.writeEndObject();
            }
            case 21 -> { // incoherent
                g.writeStartObject();
                g.writeArrayFieldStart("#set");
                for (Mm.Incoherent x : mm.incoherent) {
                    g.writeStartObject();
                    g.writeStringField("agent", x.agent());
                    g.writeNumberField("va", x.va());
                    g.writeNumberField("got", x.got());
                    g.writeNumberField("expected", x.expected());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            case 22 -> vaFrames(g, c -> c.task.obl);
            case 23 -> vma(g);
            case 24 -> vaFrames(g, c -> c.task.oblw);
            default -> throw new IllegalArgumentException("no variable " + i);
        }
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
