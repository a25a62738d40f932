package mmucheck.refinement.report;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import mmucheck.spec.trace.Step;
import mmucheck.spec.trace.Trace;
import mmucheck.spec.value.TlaValue;

/**
 * The violated MMU property told as what happened in this trace, in the kernel developer's
 * terms ("dev0 read new B and then old A"), found from the spec's ghost variables
 * (incoherent, obl, copied, ...). Returns null for a property or a spec it does not know, so
 * the caller falls back to the generic sentence.
 */
public final class Explanations {
    private Explanations() {}

    public static String of(String invariant, Trace trace) {
        Trace t = Agents.attribute(trace);
        if (t.steps().isEmpty()) {
            return null;
        }
        try {
            return switch (invariant) {
                case "Coherence" -> coherence(t);
                case "NoStaleAfterReturn" -> staleAfterReturn(t);
                case "NoWritableAfterReturn" -> writableAfterReturn(t);
                case "NoUseAfterFree" -> useAfterFree(t);
                case "NoLostWrite" -> lostWrite(t);
                case "ShadowValid" -> shadowValid(t);
                default -> null;
            };
        } catch (RuntimeException e) {
            return null; // another spec with other shapes: no story to tell
        }
    }

    // ---- the stories --------------------------------------------------------------------

    private static String coherence(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Rec bad = (TlaValue.Rec) ((TlaValue.Set) last.get("incoherent")).elements().get(0);
        String reader = str(bad.get("agent"));
        long va = num(bad.get("va"));
        long got = num(bad.get("got"));
        long expected = num(bad.get("expected"));
        int n = t.steps().size() - 1;
        long seenBefore = num(at(state(t, n - 1), "seen", reader));
        int wExpected = firstStep(t, s -> num(s.get("clock")) == expected);
        StringBuilder b = new StringBuilder();
        b.append(who(t, wExpected)).append(" stored to va ").append(va).append(" (store ").append(expected)
                .append(", step ").append(wExpected).append(")");
        if (seenBefore > expected) {
            int wSeen = firstStep(t, s -> num(s.get("clock")) == seenBefore);
            int learnt = firstStep(t, s -> num(at(s, "seen", reader)) == seenBefore);
            String where = vaOfStore(state(t, wSeen), seenBefore);
            String w2 = who(t, wSeen);
            b.append(w2.equals(who(t, wExpected)) ? " and then" : " before " + w2 + " stored")
                    .append(where == null ? "" : " to va " + where)
                    .append(" (store ").append(seenBefore).append(", step ").append(wSeen).append(")");
            if (learnt != wSeen) {
                b.append("; ").append(reader).append(" read store ").append(seenBefore).append(" at step ").append(learnt);
            }
        }
        b.append("; then ").append(reader).append(" read va ").append(va).append(" and got ")
                .append(got == 0 ? "the contents from before any store" : "store " + got)
                .append(translation(last, reader, va)).append(".");
        return b.toString();
    }

    private static String staleAfterReturn(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Rec pc = (TlaValue.Rec) last.get("pc");
        TlaValue.Rec obl = (TlaValue.Rec) last.get("obl");
        TlaValue.Rec tlb = (TlaValue.Rec) last.get("tlb");
        for (String c : obl.fields().keySet()) {
            if (!"idle".equals(str(pc.get(c)))) {
                continue;
            }
            for (TlaValue o : ((TlaValue.Set) obl.get(c)).elements()) {
                long va = num(index(o, 1));
                long f = num(index(o, 2));
                for (String x : tlb.fields().keySet()) {
                    if (num(((TlaValue.Rec) index(tlb.get(x), va)).get("f")) == f) {
                        int cleared = firstStep(t, s -> {
                            TlaValue.Rec p = (TlaValue.Rec) index(s.get("pte"), va);
                            return !("present".equals(str(p.get("k"))) && num(p.get("f")) == f);
                        });
                        int ret = t.steps().size() - 1;
                        return c + "'s MADV_DONTNEED returned (step " + ret + ") while " + x
                                + "'s TLB still maps va " + va + " to frame " + f + ", which " + who(t, cleared)
                                + " unmapped at step " + cleared + " (" + t.steps().get(cleared).action()
                                + ") and nobody has flushed yet.";
                    }
                }
            }
        }
        return null;
    }

    private static String writableAfterReturn(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Rec pc = (TlaValue.Rec) last.get("pc");
        TlaValue.Rec oblw = (TlaValue.Rec) last.get("oblw");
        for (String c : oblw.fields().keySet()) {
            if (!"idle".equals(str(pc.get(c)))) {
                continue;
            }
            for (TlaValue o : ((TlaValue.Set) oblw.get(c)).elements()) {
                long va = num(index(o, 1));
                long f = num(index(o, 2));
                String holder = writableHolder(last, va, f);
                if (holder != null) {
                    boolean ro = !((TlaValue.Bool) index(last.get("vma"), va)).value();
                    int ret = t.steps().size() - 1;
                    return c + "'s " + (ro ? "mprotect(PROT_READ)" : "MADV_FREE") + " returned (step " + ret + ") while "
                            + holder + " can still store to va " + va + " (frame " + f + ")"
                            + (ro ? ", which is now read-only: the store would land instead of faulting."
                                  : " without setting the PTE's dirty bit: reclaim may discard the page with the store in it.");
                }
            }
        }
        return null;
    }

    /** Who holds a writable translation of va to frame f: a CPU's TLB, a device's IOTLB or KVM. */
    private static String writableHolder(Map<String, TlaValue> st, long va, long f) {
        for (String holder : List.of("tlb", "iotlb")) {
            if (st.get(holder) instanceof TlaValue.Rec r) {
                for (Map.Entry<String, TlaValue> e : r.fields().entrySet()) {
                    TlaValue.Rec x = (TlaValue.Rec) index(e.getValue(), va);
                    if (num(x.get("f")) == f && ((TlaValue.Bool) x.get("w")).value()) {
                        return e.getKey() + "'s " + (holder.equals("tlb") ? "TLB" : "IOTLB");
                    }
                }
            }
        }
        TlaValue.Rec sp = (TlaValue.Rec) index(st.get("spte"), va);
        return num(sp.get("f")) == f && ((TlaValue.Bool) sp.get("w")).value() ? "KVM's shadow page table" : null;
    }

    private static String useAfterFree(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Seq fstate = (TlaValue.Seq) last.get("fstate");
        for (String holder : List.of("tlb", "iotlb")) {
            TlaValue v = last.get(holder);
            if (!(v instanceof TlaValue.Rec r)) {
                continue;
            }
            for (Map.Entry<String, TlaValue> e : r.fields().entrySet()) {
                String s = mapsFreed(t, fstate, (TlaValue.Seq) e.getValue(),
                        e.getKey() + "'s " + (holder.equals("tlb") ? "TLB" : "IOTLB"));
                if (s != null) {
                    return s;
                }
            }
        }
        return mapsFreed(t, fstate, (TlaValue.Seq) last.get("spte"), "KVM's shadow page table");
    }

    private static String mapsFreed(Trace t, TlaValue.Seq fstate, TlaValue.Seq entries, String holder) {
        for (int va = 1; va <= entries.elements().size(); va++) {
            long f = num(((TlaValue.Rec) entries.elements().get(va - 1)).get("f"));
            if (f != 0 && "free".equals(str(fstate.elements().get((int) f - 1)))) {
                int freed = lastChange(t, s -> "free".equals(str(index(s.get("fstate"), f))));
                return holder + " still maps va " + va + " to frame " + f + ", which " + who(t, freed)
                        + " freed at step " + freed + " (" + t.steps().get(freed).action() + ").";
            }
        }
        return null;
    }

    private static String lostWrite(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Seq copied = (TlaValue.Seq) last.get("copied");
        TlaValue.Seq mem = (TlaValue.Seq) last.get("mem");
        for (int f = 1; f <= copied.elements().size(); f++) {
            long c = num(copied.elements().get(f - 1));
            if (c >= 0 && num(mem.elements().get(f - 1)) != c) {
                final long fr = f;
                int took = lastChange(t, s -> num(index(s.get("copied"), fr)) == c);
                int stored = t.steps().size() - 1;
                return who(t, stored) + " stored to frame " + f + " at step " + stored + " ("
                        + t.steps().get(stored).action() + "), after " + who(t, took) + " had taken its contents at step "
                        + took + " (" + t.steps().get(took).action() + "): the store is lost.";
            }
        }
        return null;
    }

    private static String shadowValid(Trace t) {
        Map<String, TlaValue> last = lastState(t);
        TlaValue.Seq spte = (TlaValue.Seq) last.get("spte");
        for (int va = 1; va <= spte.elements().size(); va++) {
            long f = num(((TlaValue.Rec) spte.elements().get(va - 1)).get("f"));
            TlaValue.Rec p = (TlaValue.Rec) index(last.get("pte"), va);
            if (f != 0 && !("present".equals(str(p.get("k"))) && num(p.get("f")) == f)) {
                final int v = va;
                int installed = lastChange(t, s -> num(((TlaValue.Rec) index(s.get("spte"), v)).get("f")) == f);
                return "KVM's shadow page table maps va " + va + " to frame " + f + " (" + who(t, installed)
                        + ", step " + installed + ", " + t.steps().get(installed).action() + "), but the page table has "
                        + str(p.get("k")) + (num(p.get("f")) == 0 ? "" : " frame " + num(p.get("f"))) + " there.";
            }
        }
        return null;
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static String translation(Map<String, TlaValue> st, String agent, long va) {
        for (String holder : List.of("tlb", "iotlb")) {
            if (st.get(holder) instanceof TlaValue.Rec r && r.fields().containsKey(agent)) {
                long f = num(((TlaValue.Rec) index(r.get(agent), va)).get("f"));
                if (f != 0) {
                    return " (its " + (holder.equals("tlb") ? "TLB" : "IOTLB") + " still maps va " + va + " to frame " + f + ")";
                }
            }
        }
        return "";
    }

    /** The va whose writes include the given store, or null (a store racing a zap is not kept). */
    private static String vaOfStore(Map<String, TlaValue> st, long store) {
        List<TlaValue> writes = ((TlaValue.Seq) st.get("writes")).elements();
        for (int va = 1; va <= writes.size(); va++) {
            if (((TlaValue.Set) writes.get(va - 1)).elements().contains(new TlaValue.Int(store))) {
                return Integer.toString(va);
            }
        }
        return null;
    }

    private static Map<String, TlaValue> lastState(Trace t) {
        return t.steps().get(t.steps().size() - 1).state();
    }

    private static Map<String, TlaValue> state(Trace t, int i) {
        return t.steps().get(Math.max(0, i)).state();
    }

    private static String who(Trace t, int i) {
        String a = t.steps().get(i).agent();
        return a == null || a.equals(Agents.UNKNOWN) ? "the hardware" : a;
    }

    private interface StatePred {
        boolean test(Map<String, TlaValue> s);
    }

    /** The first step whose state satisfies p. */
    private static int firstStep(Trace t, StatePred p) {
        for (int i = 0; i < t.steps().size(); i++) {
            if (p.test(t.steps().get(i).state())) {
                return i;
            }
        }
        throw new IllegalStateException("no such step");
    }

    /** The step at which p last became true (and stayed true to the end). */
    private static int lastChange(Trace t, StatePred p) {
        int i = t.steps().size() - 1;
        while (i > 0 && p.test(t.steps().get(i - 1).state())) {
            i--;
        }
        return i;
    }

    private static TlaValue at(Map<String, TlaValue> s, String var, String key) {
        return ((TlaValue.Rec) s.get(var)).get(key);
    }

    private static TlaValue index(TlaValue seq, long i) {
        return ((TlaValue.Seq) seq).elements().get((int) i - 1);
    }

    private static long num(TlaValue v) {
        return ((TlaValue.Int) Objects.requireNonNull(v)).value();
    }

    private static String str(TlaValue v) {
        return ((TlaValue.Str) Objects.requireNonNull(v)).value();
    }
}
