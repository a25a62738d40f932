package mmucheck.impl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import mmucheck.impl.scenario.Ins;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import org.junit.jupiter.api.Test;

/** The Java catalogue of workloads says exactly what spec/tla/Scenarios.tla says. */
class ScenariosTest {
    private static String specText() throws IOException {
        return Files.readString(Path.of(System.getProperty("mmucheck.root", ".."), "spec", "tla", "Scenarios.tla"));
    }

    @Test
    void everySpecScenarioIsTranscribedExactly() throws IOException {
        String tla = specText();
        Matcher m = Pattern.compile("\\(\"([^\"]+)\" :> (Sc_\\w+)\\)").matcher(tla);
        List<String> names = new ArrayList<>();
        List<String> specOnly = new ArrayList<>();
        while (m.find()) {
            String name = m.group(1);
            if (name.equals(Scenarios.MIXED)) continue; // generated from MixedSeed: MixedTest compares it
            if (Scenarios.SPEC_ONLY.contains(name)) { // not in the implementation yet (issues 12, 16)
                assertTrue(Scenarios.byName(name).isEmpty(), name + " is in the catalogue: drop it from SPEC_ONLY");
                specOnly.add(name);
                continue;
            }
            names.add(name);
            String def = definition(tla, m.group(2));
            Scenario sc = Scenarios.byName(name).orElseThrow(() -> new AssertionError("missing scenario " + name));
            assertEquals(strip(def), strip(render(sc)), name);
        }
        assertEquals(names, Scenarios.specNames());
        assertEquals(Scenarios.SPEC_ONLY, specOnly);
        assertTrue(names.size() >= 16);
    }

    @Test
    void aliasesAndMixed() {
        assertEquals("S1", Scenarios.byName("s1").orElseThrow().name());
        assertEquals("andrea-migration", Scenarios.byName("migration").orElseThrow().name());
        assertTrue(Scenarios.byName("mixed").isEmpty());
        assertEquals("mixed", Scenarios.mixedPick(42).name());
        assertEquals(42, Scenarios.mixedPick(42).mixedSeed());
        assertEquals(Scenarios.mixedPick(42).cpus(), Scenarios.mixedPick(42).cpus());
    }

    /** The text of {@code Sc_X == [...]} up to its closing bracket. */
    private static String definition(String tla, String op) {
        int at = tla.indexOf(op + " ==");
        int start = tla.indexOf('[', at);
        int depth = 0;
        for (int i = start; i < tla.length(); i++) {
            char c = tla.charAt(i);
            if (c == '[') depth++;
            if (c == ']' && --depth == 0) return tla.substring(start, i + 1);
        }
        throw new AssertionError("unterminated " + op);
    }

    private static String strip(String s) { return s.replaceAll("\\s+", ""); }

    private static String render(Scenario s) {
        return "[nva |-> " + s.nva() + ", nframe |-> " + s.nframe()
                + ", ptp |-> <<" + join(java.util.Arrays.stream(s.ptp()).mapToObj(Integer::toString).toList()) + ">>"
                + ", pte |-> <<" + join(s.pte().stream().map(p -> "Present(" + p.f() + ", " + (p.w() ? "TRUE" : "FALSE") + ")").toList()) + ">>"
                + ", ref |-> <<" + join(java.util.Arrays.stream(s.ref()).mapToObj(Integer::toString).toList()) + ">>"
                + ", ksm |-> " + s.ksm() + ", batch |-> " + s.batch()
                + ", cpus |-> " + agents(s.cpus()) + ", devs |-> " + agents(s.devs()) + ", vcpus |-> " + agents(s.vcpus()) + "]";
    }

    private static String agents(Map<String, List<Ins>> m) {
        if (m.isEmpty()) return "NoAgents";
        return "[" + m.entrySet().stream().map(e -> e.getKey() + " |-> <<" + join(e.getValue().stream().map(ScenariosTest::ins).toList()) + ">>")
                .collect(Collectors.joining(", ")) + "]";
    }

    private static String ins(Ins i) {
        return switch (i.op()) {
            case LOAD -> "Load(" + i.lo() + ")";
            case STORE -> "Store(" + i.lo() + ")";
            case MADVISE_DONTNEED -> "DontNeed(" + i.lo() + ", " + i.hi() + ")";
            case MIGRATE -> "Migrate(" + i.lo() + ")";
            case SWAP_OUT -> "SwapOut(" + i.lo() + ")";
            case KSM -> "Ksm(" + i.lo() + ")";
            case MADVISE_FREE -> "MadvFree(" + i.lo() + ", " + i.hi() + ")";
            case MPROTECT_RO -> "ProtRead(" + i.lo() + ", " + i.hi() + ")";
            case MPROTECT_RW -> "ProtWrite(" + i.lo() + ", " + i.hi() + ")";
            case RECLAIM -> "Reclaim(" + i.lo() + ", " + i.hi() + ")";
        };
    }

    private static String join(List<String> l) { return String.join(", ", l); }
}
