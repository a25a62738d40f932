package mmucheck.impl.mm;

import com.fasterxml.jackson.core.JsonGenerator;
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
            "incoherent", "obl");

    private static final String NO_ONE = "none";

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
                    g.writeStringField("k", p.kind().spec());
                    g.writeNumberField("f", p.frame());
                    g.writeBooleanField("w", p.writable());
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case 1 -> { // ptl
                g.writeStartArray();
                for (int p = 1; p <= mm.pt.nptp(); p++) {
                    Object o = mm.pt.ptl(p).owner();
                    g.writeString(o == null ? NO_ONE : ((Task) o).name());
                }
                g.writeEndArray();
            }
            case 2 -> { // fstate
                g.writeStartArray();
                for (int f = 1; f <= nframe; f++) g.writeString(mm.frame(f).free ? "free" : "mm");
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
                    g.writeString(o == null ? NO_ONE : o.name());
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
                    g.writeFieldName(c.name());
                    entries(g, c.tlb);
                }
                g.writeEndObject();
            }
            case 10 -> { // iotlb
                g.writeStartObject();
                for (IommuDevice d : mm.devices) {
                    g.writeFieldName(d.name());
                    entries(g, d.iotlb);
                }
                g.writeEndObject();
            }
            case 11 -> entries(g, mm.kvm.spte);
            case 12 -> { // kvm
                g.writeStartObject();
                g.writeNumberField("count", mm.kvm.mmuNotifierCount);
                g.writeNumberField("seq", mm.kvm.mmuNotifierSeq);
                g.writeEndObject();
            }
            case 13 -> g.writeNumber(mm.tlbFlushPending);
            case 14 -> { // gather
                g.writeStartObject();
                for (Cpu c : mm.cpus) {
                    g.writeObjectFieldStart(c.name());
                    g.writeNumberField("lo", c.gather.start);
                    g.writeNumberField("hi", c.gather.end);
                    g.writeFieldName("batch");
                    g.writeStartObject();
                    g.writeArrayFieldStart("#set");
                    for (int f : c.gather.batch) g.writeNumber(f);
                    g.writeEndArray();
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            case 15 -> { // pc
                g.writeStartObject();
                for (Task t : mm.tasks) g.writeStringField(t.name(), t.pc());
                g.writeEndObject();
            }
            case 16 -> { // ip
                g.writeStartObject();
                for (Task t : mm.tasks) g.writeNumberField(t.name(), t.ip);
                g.writeEndObject();
            }
            case 17 -> { // loc
                g.writeStartObject();
                for (Task t : mm.tasks) {
                    g.writeObjectFieldStart(t.name());
                    g.writeNumberField("va", t.va);
                    g.writeNumberField("f", t.page);
                    g.writeNumberField("f2", t.newPage);
                    g.writeNumberField("ptp", t.ptp);
                    g.writeNumberField("seq", t.mmuSeq);
                    g.writeBooleanField("ok", t.ok);
                    g.writeEndObject();
                }
                g.writeEndObject();
            }
            case 18 -> g.writeNumber(mm.clock);
            case 19 -> { // writes
                g.writeStartArray();
                for (int v = 1; v <= nva; v++) {
                    g.writeStartObject();
                    g.writeArrayFieldStart("#set");
                    for (long w : mm.writes[v]) g.writeNumber(w);
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            case 20 -> { // seen
                g.writeStartObject();
                for (Task t : mm.tasks) g.writeNumberField(t.name(), t.seen);
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
            case 22 -> { // obl
                g.writeStartObject();
                for (Cpu c : mm.cpus) {
                    g.writeObjectFieldStart(c.name());
                    g.writeArrayFieldStart("#set");
                    for (Task.VaFrame o : c.task.obl) {
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
            default -> throw new IllegalArgumentException("no variable " + i);
        }
    }

    /** [VAS -> [f, w]]: a translation cache, "no entry" as [f |-> 0, w |-> FALSE]. */
    private static void entries(JsonGenerator g, Tlb tlb) throws IOException {
        g.writeStartArray();
        for (int v = 1; v <= tlb.nva(); v++) {
            TlbEntry e = tlb.get(v);
            g.writeStartObject();
            g.writeNumberField("f", e == null ? 0 : e.frame());
            g.writeBooleanField("w", e != null && e.writable());
            g.writeEndObject();
        }
        g.writeEndArray();
    }
}
