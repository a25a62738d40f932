package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Mixed;
import mmucheck.impl.scenario.Op;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.spec.value.TlaParser;
import mmucheck.spec.value.TlaValue;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mixed workload: Java's generator draws exactly the programs Scenarios.tla's MixedSc(s) evaluates to. */
class MixedTest {
    static final int SEEDS = 300;
    /** A soak run's length: its draws go past the generator's period (6 * LONG > 2^15). */
    static final int LONG = 6000;

    @TempDir
    Path dir;

    @Test
    void javaProgramsEqualTlcsEvaluationForManySeeds() throws Exception {
        String jar = System.getProperty("mmucheck.tlc.jar");
        assumeTrue(jar != null && Files.exists(Path.of(jar)), "TLC's jar (mmucheck.tlc.jar) is not there");
        Path specDir = Path.of(System.getProperty("mmucheck.root", ".."), "spec", "tla");
        Files.copy(specDir.resolve("Scenarios.tla"), dir.resolve("Scenarios.tla"));
        // TLC evaluates MixedSc(s) for every seed while checking the ASSUME, and prints it
        Files.writeString(dir.resolve("MixedPrint.tla"), "---- MODULE MixedPrint ----\nEXTENDS Scenarios\nVARIABLE x\n"
                + "Init == x = 0\nNext == UNCHANGED x\n"
                + "ASSUME \\A s \\in 0.." + (SEEDS - 1) + " : PrintT(<<s, 2, MixedSc(s, 2)>>)\n"
                // other lengths: short ones over many seeds, a soak-sized one (draws far past 2^15) over a few
                + "ASSUME \\A s \\in 0..59, n \\in {1, 3, 7} : PrintT(<<s, n, MixedSc(s, n)>>)\n"
                + "ASSUME \\A s \\in {0, 1, 4097, 32767} : PrintT(<<s, " + LONG + ", MixedSc(s, " + LONG + ")>>)\n====\n");
        Files.writeString(dir.resolve("MixedPrint.cfg"), "CONSTANTS\n  Scenario = \"S1\"\n  MixedSeed = 0\n  MixedLength = 2\n"
                + "INIT Init\nNEXT Next\n");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-cp", jar, "tlc2.TLC", "-workers", "1", "-metadir", dir.resolve("states").toString(),
                "-config", "MixedPrint.cfg", "MixedPrint.tla")
                .directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        List<String> printed = values(out);
        assertEquals(SEEDS + 60 * 3 + 4, printed.size(), out.substring(Math.max(0, out.length() - 2000)));
        for (String text : printed) {
            TlaValue.Seq triple = (TlaValue.Seq) TlaParser.parse(text);
            int seed = (int) ((TlaValue.Int) triple.elements().get(0)).value();
            int len = (int) ((TlaValue.Int) triple.elements().get(1)).value();
            assertEquals(triple.elements().get(2), TlaParser.parse(tla(Mixed.scenario(seed, len))), "seed " + seed + " length " + len);
        }
    }

    @Test
    void theWorkloadDrawsEveryOperationAndAgentKind() {
        Set<Op> ops = EnumSet.noneOf(Op.class);
        int devs = 0, vcpus = 0;
        for (int s = 0; s < SEEDS; s++) {
            Scenario sc = Mixed.scenario(s);
            sc.cpus().values().forEach(l -> l.forEach(i -> ops.add(i.op())));
            devs += sc.devs().size();
            vcpus += sc.vcpus().size();
            assertEquals("mixed", sc.name());
            assertEquals(s, sc.mixedSeed());
        }
        // every operation but issue 12's batched reclaim, which MixedOps leaves out (drawing it
        // would change the programs, and so the counts, of every mixed model)
        assertEquals(EnumSet.complementOf(EnumSet.of(Op.RECLAIM)), ops);
        assertTrue(devs > SEEDS / 5 && vcpus > SEEDS / 5, devs + " devices, " + vcpus + " vCPUs");
        assertEquals(Mixed.scenario(7).cpus(), Mixed.scenario(7 + Mixed.MODULUS).cpus(), "the seed is taken modulo 2^15");
        Scenario a = Mixed.scenario(42), b = Scenarios.mixedPick(42 + 3L * Mixed.MODULUS);
        assertEquals(List.of(a.name(), a.mixedSeed(), a.cpus(), a.devs(), a.vcpus()),
                List.of(b.name(), b.mixedSeed(), b.cpus(), b.devs(), b.vcpus()));
    }

    @Test
    void aLongerWorkloadIsLongerAndTheDefaultIsTwo() {
        Scenario two = Mixed.scenario(5), longer = Mixed.scenario(5, 1000);
        assertEquals(two.cpus(), Mixed.scenario(5, 2).cpus());
        assertEquals(2, two.mixedLength());
        assertEquals(1000, longer.mixedLength());
        longer.cpus().values().forEach(p -> assertEquals(1000, p.size()));
        (longer.devs().isEmpty() ? longer.vcpus() : longer.devs()).values().forEach(p -> assertEquals(999, p.size()));
        Set<Op> ops = EnumSet.noneOf(Op.class);
        longer.cpus().values().forEach(l -> l.forEach(i -> ops.add(i.op())));
        // every operation but reclaim, which mixed does not draw (it would change every mixed model's programs)
        assertEquals(EnumSet.complementOf(EnumSet.of(Op.RECLAIM)), ops, "one long program draws every operation mixed has");
        assertEquals(1, Mixed.scenario(5, 1).devs().values().stream().mapToInt(List::size).sum()
                + Mixed.scenario(5, 1).vcpus().values().stream().mapToInt(List::size).sum()
                + (Mixed.scenario(5, 1).devs().isEmpty() && Mixed.scenario(5, 1).vcpus().isEmpty() ? 1 : 0));
    }

    /** The values TLC printed: each starts a line with "<<" and goes on over the indented lines after it. */
    private static List<String> values(String out) {
        List<String> l = new ArrayList<>();
        StringBuilder cur = null;
        for (String line : out.split("\n")) {
            if (line.startsWith("<<")) {
                if (cur != null) l.add(cur.toString());
                cur = new StringBuilder(line);
            } else if (cur != null && line.startsWith(" ")) {
                cur.append('\n').append(line);
            } else if (cur != null) {
                l.add(cur.toString());
                cur = null;
            }
        }
        if (cur != null) l.add(cur.toString());
        return l;
    }

    /** Java's scenario as the TLA+ value MixedSc(s) denotes. */
    private static String tla(Scenario s) {
        String pte = s.pte().stream().map(p -> "[k |-> \"" + p.k() + "\", f |-> " + p.f() + ", w |-> " + up(p.w())
                + ", d |-> TRUE]").collect(Collectors.joining(", "));
        return "[nva |-> " + s.nva() + ", nframe |-> " + s.nframe() + ", ptp |-> " + ints(s.ptp()) + ", pte |-> <<" + pte
                + ">>, ref |-> " + ints(s.ref()) + ", ksm |-> " + s.ksm() + ", batch |-> " + s.batch()
                + ", cpus |-> " + agents(s.cpus()) + ", devs |-> " + agents(s.devs()) + ", vcpus |-> " + agents(s.vcpus()) + "]";
    }

    private static String up(boolean b) { return b ? "TRUE" : "FALSE"; }

    private static String ints(int[] a) {
        return "<<" + java.util.Arrays.stream(a).mapToObj(Integer::toString).collect(Collectors.joining(", ")) + ">>";
    }

    private static String agents(Map<String, List<Ins>> m) {
        if (m.isEmpty()) return "<<>>";
        return "[" + m.entrySet().stream().map(e -> e.getKey() + " |-> <<" + e.getValue().stream()
                .map(i -> "[op |-> \"" + i.op().spec() + "\", lo |-> " + i.lo() + ", hi |-> " + i.hi() + "]")
                .collect(Collectors.joining(", ")) + ">>").collect(Collectors.joining(", ")) + "]";
    }
}
