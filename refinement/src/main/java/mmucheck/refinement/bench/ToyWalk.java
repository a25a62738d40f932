package mmucheck.refinement.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * A seeded random walk of the toy spec (Toy.tla, bundled beside this class) written as a trace
 * log: the benchmark's workload and the tests' source of long refining, diverging and
 * violating logs before the real implementation writes any. The Java below mirrors Toy.tla's
 * actions one for one.
 */
public final class ToyWalk {
    /** A deliberate defect to inject into the log at step {@code at}. */
    public enum Fault {
        NONE,
        /** Log tlb_fill with an argument that differs from the step taken. */
        WRONG_ARG,
        /** Log a state where a frame is freed that the action does not free. */
        EXTRA_CHANGE,
        /** Leave a do_fault step out of the log (the next one no longer follows). */
        DROPPED_STEP
    }

    /** What to generate. With {@code bug}, the spec's Bug constant is TRUE (the walk may violate). */
    public record Config(int cpus, int vas, int frames, boolean bug, long steps, long seed, boolean partial,
            Fault fault, long at) {
        public static Config of(long steps, long seed) {
            return new Config(2, 2, 2, false, steps, seed, false, Fault.NONE, -1);
        }

        public Config partial(boolean p) {
            return new Config(cpus, vas, frames, bug, steps, seed, p, fault, at);
        }

        public Config bug(boolean b) {
            return new Config(cpus, vas, frames, b, steps, seed, partial, fault, at);
        }

        public Config fault(Fault f, long at) {
            return new Config(cpus, vas, frames, bug, steps, seed, partial, f, at);
        }
    }

    private final Config c;
    private final Random rnd;
    private final int[] pte;
    private final List<TreeSet<Long>> tlb = new ArrayList<>(); // <<va, frame>> encoded va*1000+frame
    private final TreeSet<Integer> free = new TreeSet<>();
    private final TreeMap<Integer, Integer> refs = new TreeMap<>();
    private boolean gatherActive;
    private final TreeSet<Integer> gatherFrames = new TreeSet<>();

    private ToyWalk(Config c) {
        this.c = c;
        this.rnd = new Random(c.seed());
        pte = new int[c.vas()];
        for (int i = 0; i < c.cpus(); i++) {
            tlb.add(new TreeSet<>());
        }
        for (int f = 0; f < c.frames(); f++) {
            free.add(10 + f);
            refs.put(10 + f, 0);
        }
    }

    /** Copies Toy.tla and Toy.cfg into {@code dir} (a spec directory for the checker). */
    public static Path extractSpec(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (String f : List.of("Toy.tla", "Toy.cfg")) {
            try (InputStream in = ToyWalk.class.getResourceAsStream("toy/" + f)) {
                Files.copy(in, dir.resolve(f), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            }
        }
        return dir;
    }

    /** Writes the log; returns the number of steps written. */
    public static long write(Config c, Writer w) throws IOException {
        return new ToyWalk(c).run(w);
    }

    public static long write(Config c, Path file) throws IOException {
        try (Writer w = Files.newBufferedWriter(file)) {
            return write(c, w);
        }
    }

    private long run(Writer w) throws IOException {
        StringBuilder b = new StringBuilder(512);
        b.append("{\"format\":\"mmucheck-trace\",\"version\":1,\"spec\":\"Toy\",\"constants\":{\"CPUs\":{\"#set\":[");
        for (int i = 0; i < c.cpus(); i++) {
            b.append(i == 0 ? "" : ",").append("\"c").append(i).append('"');
        }
        b.append("]},\"VAs\":{\"#set\":[");
        for (int i = 1; i <= c.vas(); i++) {
            b.append(i == 1 ? "" : ",").append(i);
        }
        b.append("]},\"Frames\":{\"#set\":[");
        for (int f = 0; f < c.frames(); f++) {
            b.append(f == 0 ? "" : ",").append(10 + f);
        }
        b.append("]},\"Bug\":").append(c.bug()).append("},\"mode\":\"").append(c.partial() ? "partial" : "full")
                .append("\",\"seed\":").append(c.seed()).append(",\"strategy\":\"random\",\"impl\":\"ToyWalk\"}\n");
        b.append("{\"seq\":0,\"action\":\"Init\",\"state\":{");
        state(b, ALL);
        b.append("}}\n");
        w.write(b.toString());
        long seq = 0;
        boolean dropPending = c.fault() == Fault.DROPPED_STEP;
        for (long i = 1; i <= c.steps(); i++) {
            b.setLength(0);
            int changed = step(b, i);
            if (changed < 0) {
                break; // deadlock: nothing enabled
            }
            if (dropPending && i >= c.at() && (changed & FREE) != 0 && b.indexOf("do_fault") >= 0) {
                // Drop the first do_fault from `at` on: no later step can hide its effect.
                dropPending = false;
                continue;
            }
            seq++;
            String head = "{\"seq\":" + seq + ",";
            b.insert(0, head);
            b.append(",\"state\":{");
            if (c.fault() == Fault.EXTRA_CHANGE && i == c.at()) {
                state(b, c.partial() ? changed | FREE : ALL, true);
            } else {
                state(b, c.partial() ? changed : ALL);
            }
            b.append("}}\n");
            w.write(b.toString());
        }
        w.write("{\"end\":\"completed\",\"steps\":" + seq + ",\"observed\":[]}\n");
        return seq;
    }

    private static final int PTE = 1;
    private static final int TLB = 2;
    private static final int FREE = 4;
    private static final int REFS = 8;
    private static final int GATHER = 16;
    private static final int ALL = 31;

    /** Takes one random enabled step; appends agent/action/args; returns the changed-variable mask. */
    private int step(StringBuilder b, long i) {
        List<Integer> kinds = new ArrayList<>();
        for (int va = 0; va < c.vas(); va++) {
            if (pte[va] != 0) {
                kinds.add(0); // tlb_fill
                kinds.add(2); // zap_pte
            } else if (!free.isEmpty()) {
                kinds.add(1); // do_fault
            }
        }
        if (gatherActive) {
            kinds.add(3);
        }
        for (TreeSet<Long> t : tlb) {
            if (!t.isEmpty()) {
                kinds.add(4);
            }
        }
        if (kinds.isEmpty()) {
            return -1;
        }
        int kind = kinds.get(rnd.nextInt(kinds.size()));
        int cpu = rnd.nextInt(c.cpus());
        switch (kind) {
            case 0 -> {
                int va = pick(v -> pte[v] != 0);
                boolean added = tlb.get(cpu).add((va + 1) * 1000L + pte[va]);
                int loggedVa = va + 1;
                if (c.fault() == Fault.WRONG_ARG && i == c.at()) {
                    loggedVa = va + 1 == c.vas() ? 1 : va + 2;
                }
                b.append("\"agent\":\"cpu").append(cpu).append("\",\"action\":\"tlb_fill\",\"args\":{\"c\":\"c")
                        .append(cpu).append("\",\"va\":").append(loggedVa).append('}');
                return added ? TLB : 0;
            }
            case 1 -> {
                int va = pick(v -> pte[v] == 0);
                List<Integer> fs = new ArrayList<>(free);
                int f = fs.get(rnd.nextInt(fs.size()));
                pte[va] = f;
                free.remove(f);
                refs.put(f, 1);
                b.append("\"agent\":\"cpu").append(cpu).append("\",\"action\":\"do_fault\",\"args\":{\"va\":")
                        .append(va + 1).append(",\"f\":").append(f).append('}');
                return PTE | FREE | REFS;
            }
            case 2 -> {
                int va = pick(v -> pte[v] != 0);
                gatherFrames.add(pte[va]);
                gatherActive = true;
                pte[va] = 0;
                b.append("\"agent\":\"cpu").append(cpu).append("\",\"action\":\"zap_pte\",\"args\":{\"va\":")
                        .append(va + 1).append('}');
                return PTE | GATHER;
            }
            case 3 -> {
                int mask = FREE | REFS | GATHER;
                if (!c.bug()) {
                    for (TreeSet<Long> t : tlb) {
                        if (!t.isEmpty()) {
                            mask |= TLB;
                        }
                        t.clear();
                    }
                }
                free.addAll(gatherFrames);
                for (int f : gatherFrames) {
                    refs.put(f, 0);
                }
                gatherFrames.clear();
                gatherActive = false;
                b.append("\"agent\":\"cpu").append(cpu).append("\",\"action\":\"tlb_finish\",\"args\":{\"c\":\"c")
                        .append(cpu).append("\"}");
                return mask;
            }
            default -> {
                List<Integer> busy = new ArrayList<>();
                for (int k = 0; k < tlb.size(); k++) {
                    if (!tlb.get(k).isEmpty()) {
                        busy.add(k);
                    }
                }
                int k = busy.get(rnd.nextInt(busy.size()));
                tlb.get(k).clear();
                b.append("\"agent\":\"cpu").append(k).append("\",\"action\":\"flush_tlb_local\",\"args\":{\"c\":\"c")
                        .append(k).append("\"}");
                return TLB;
            }
        }
    }

    private int pick(java.util.function.IntPredicate ok) {
        List<Integer> vs = new ArrayList<>();
        for (int v = 0; v < c.vas(); v++) {
            if (ok.test(v)) {
                vs.add(v);
            }
        }
        return vs.get(rnd.nextInt(vs.size()));
    }

    private void state(StringBuilder b, int mask) {
        state(b, mask, false);
    }

    /** Appends the variables in {@code mask}; {@code corruptFree} logs an extra free frame. */
    private void state(StringBuilder b, int mask, boolean corruptFree) {
        boolean first = true;
        if ((mask & PTE) != 0) {
            b.append("\"pte\":[");
            for (int i = 0; i < pte.length; i++) {
                b.append(i == 0 ? "" : ",").append(pte[i]);
            }
            b.append(']');
            first = false;
        }
        if ((mask & TLB) != 0) {
            b.append(first ? "" : ",").append("\"tlb\":{");
            for (int k = 0; k < tlb.size(); k++) {
                b.append(k == 0 ? "" : ",").append("\"c").append(k).append("\":{\"#set\":[");
                int j = 0;
                for (long e : tlb.get(k)) {
                    b.append(j++ == 0 ? "" : ",").append('[').append(e / 1000).append(',').append(e % 1000).append(']');
                }
                b.append("]}");
            }
            b.append('}');
            first = false;
        }
        if ((mask & FREE) != 0) {
            TreeSet<Integer> f = new TreeSet<>(free);
            if (corruptFree) {
                for (int x = 0; x < c.frames(); x++) {
                    if (f.add(10 + x)) {
                        break;
                    }
                }
                if (f.equals(free)) {
                    f.remove(f.first());
                }
            }
            b.append(first ? "" : ",").append("\"free\":{\"#set\":[");
            int j = 0;
            for (int x : f) {
                b.append(j++ == 0 ? "" : ",").append(x);
            }
            b.append("]}");
            first = false;
        }
        if ((mask & REFS) != 0) {
            b.append(first ? "" : ",").append("\"refs\":{\"#map\":[");
            int j = 0;
            for (var e : refs.entrySet()) {
                b.append(j++ == 0 ? "" : ",").append('[').append(e.getKey()).append(',').append(e.getValue()).append(']');
            }
            b.append("]}");
            first = false;
        }
        if ((mask & GATHER) != 0) {
            b.append(first ? "" : ",").append("\"gather\":{\"active\":").append(gatherActive).append(",\"frames\":{\"#set\":[");
            int j = 0;
            for (int x : gatherFrames) {
                b.append(j++ == 0 ? "" : ",").append(x);
            }
            b.append("]}}");
        }
    }
}
