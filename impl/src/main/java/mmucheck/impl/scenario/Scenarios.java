package mmucheck.impl.scenario;

import static mmucheck.impl.scenario.Ins.dontNeed;
import static mmucheck.impl.scenario.Ins.ksm;
import static mmucheck.impl.scenario.Ins.load;
import static mmucheck.impl.scenario.Ins.madvFree;
import static mmucheck.impl.scenario.Ins.protRead;
import static mmucheck.impl.scenario.Ins.reclaim;
import static mmucheck.impl.scenario.Ins.protWrite;
import static mmucheck.impl.scenario.Ins.migrate;
import static mmucheck.impl.scenario.Ins.store;
import static mmucheck.impl.scenario.Ins.swapOut;
import static mmucheck.impl.scenario.Scenario.PteInit.present;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The named workloads, transcribed from spec/tla/Scenarios.tla (the source of truth: a
 * change there must be made here too; ScenariosTest compares the two texts), plus issue 3's
 * short names.
 */
public final class Scenarios {
    private Scenarios() {}

    private static final Map<String, Scenario> SPEC = new LinkedHashMap<>();

    /** Issue 3's names for spec scenarios. {@code mixed} is generated per seed (see {@link #mixedPick}). */
    private static final Map<String, String> ALIASES = Map.of(
            "s1", "S1", "s6", "S6", "migration", "andrea-migration", "ksm", "andrea-ksm",
            "swap", "andrea-swap", "cow", "andrea-cow", "zap", "andrea-zap");

    public static final String MIXED = "mixed";

    static {
        add(new Scenario("S1", 2, 3, new int[] {1, 2}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 8,
                agents("cpu0", List.of(dontNeed(1, 1), store(1)), "cpu1", List.of(dontNeed(1, 2))),
                none(), none()));
        add(new Scenario("S6", 2, 4, new int[] {1, 1}, List.of(present(1, false), present(2, false)),
                new int[] {2, 2, 0, 0}, 0, 8,
                agents("cpu0", List.of(store(1)), "cpu1", List.of(store(1), store(2))),
                agents("dev0", List.of(load(2), load(1))), none()));
        add(new Scenario("andrea-cow", 2, 3, new int[] {1, 1}, List.of(present(1, false), present(2, true)),
                new int[] {2, 1, 0}, 0, 8,
                agents("cpu0", List.of(store(1)), "cpu1", List.of(store(1), store(2))),
                agents("dev0", List.of(load(2), load(1))), none()));
        add(new Scenario("andrea-migration", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(migrate(1)), "cpu1", List.of(store(1), load(1))),
                agents("dev0", List.of(store(1), load(1))), none()));
        add(new Scenario("andrea-swap", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(swapOut(1)), "cpu1", List.of(store(1), load(1))),
                agents("dev0", List.of(store(1), load(1))), none()));
        add(new Scenario("andrea-ksm", 1, 3, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 1, 0}, 2, 8,
                agents("cpu0", List.of(ksm(1)), "cpu1", List.of(load(1))),
                agents("dev0", List.of(store(1), load(1))), none()));
        add(new Scenario("andrea-zap", 2, 3, new int[] {1, 1}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 8,
                agents("cpu0", List.of(dontNeed(1, 2)), "cpu1", List.of(store(1))),
                agents("dev0", List.of(store(1), load(1))), none()));
        add(new Scenario("caseA", 2, 3, new int[] {1, 1}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 1,
                agents("cpu0", List.of(dontNeed(1, 2))),
                agents("dev0", List.of(load(1))), none()));
        add(new Scenario("kvm-zap", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(dontNeed(1, 1))), none(),
                agents("vcpu0", List.of(load(1), load(1)))));
        add(new Scenario("kvm-swap", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(swapOut(1))), none(),
                agents("vcpu0", List.of(load(1)))));
        add(new Scenario("tiny-zap", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(dontNeed(1, 1), store(1)), "cpu1", List.of(load(1))), none(), none()));
        add(new Scenario("tiny-cow", 1, 2, new int[] {1}, List.of(present(1, false)),
                new int[] {2, 0}, 0, 8,
                agents("cpu0", List.of(store(1)), "cpu1", List.of(load(1))), none(), none()));
        add(new Scenario("tiny-migrate", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(migrate(1)), "cpu1", List.of(store(1))), none(), none()));
        add(new Scenario("tiny-swap", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(swapOut(1)), "cpu1", List.of(store(1))), none(), none()));
        add(new Scenario("tiny-ksm", 1, 3, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 1, 0}, 2, 8,
                agents("cpu0", List.of(ksm(1)), "cpu1", List.of(store(1))), none(), none()));
        add(new Scenario("tiny-madv-free", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(madvFree(1, 1), store(1), load(1)), "cpu1", List.of(swapOut(1))), none(), none()));
        add(new Scenario("madv-free-race", 2, 3, new int[] {1, 2}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 8,
                agents("cpu0", List.of(madvFree(1, 1), store(1)), "cpu1", List.of(madvFree(1, 2))), none(), none()));
        add(new Scenario("tiny-mprotect", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(protRead(1, 1), store(1), protWrite(1, 1)), "cpu1", List.of(store(1))),
                agents("dev0", List.of(store(1))), none()));
        add(new Scenario("big", 3, 5, new int[] {1, 1, 2},
                List.of(present(1, true), present(2, false), present(3, true)),
                new int[] {1, 2, 1, 0, 0}, 0, 2,
                agents("cpu0", List.of(dontNeed(1, 3), store(2)), "cpu1", List.of(store(2), migrate(3))),
                agents("dev0", List.of(load(3), store(1), load(2))), none()));
        // issue 14: three and four CPUs (bench tier)
        add(new Scenario("cow4", 2, 6, new int[] {1, 1}, List.of(present(1, false), present(2, false)),
                new int[] {2, 2, 0, 0, 0, 0}, 0, 8,
                agents("cpu0", List.of(store(1)), "cpu1", List.of(store(2)), "cpu2", List.of(store(1)),
                        "cpu3", List.of(store(2))),
                agents("dev0", List.of(load(2), load(1))), none()));
        add(new Scenario("big3", 3, 5, new int[] {1, 1, 2},
                List.of(present(1, true), present(2, false), present(3, true)),
                new int[] {1, 2, 1, 0, 0}, 0, 2,
                agents("cpu0", List.of(dontNeed(1, 3), store(2)), "cpu1", List.of(store(2), migrate(3)),
                        "cpu2", List.of(dontNeed(1, 1))),
                agents("dev0", List.of(load(3), store(1), load(2))), none()));
        // issue 12: reclaim's batched flush
        add(new Scenario("reclaim-mprotect", 1, 2, new int[] {1}, List.of(present(1, true)),
                new int[] {1, 0}, 0, 8,
                agents("cpu0", List.of(reclaim(1, 1)), "cpu1", List.of(protRead(1, 1), store(1))), none(), none()));
        add(new Scenario("reclaim-zap", 2, 3, new int[] {1, 2}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 8,
                agents("cpu0", List.of(reclaim(1, 2)), "cpu1", List.of(dontNeed(2, 2), store(2))), none(), none()));
        // issue 16: S1 with a device reading va 1 (the v6.6 hook and the nested flush)
        add(new Scenario("s1-dev", 2, 3, new int[] {1, 2}, List.of(present(1, true), present(2, true)),
                new int[] {1, 1, 0}, 0, 8,
                agents("cpu0", List.of(dontNeed(1, 1)), "cpu1", List.of(dontNeed(1, 2))),
                agents("dev0", List.of(load(1))), none()));
    }

    private static void add(Scenario s) { SPEC.put(s.name(), s); }

    private static Map<String, List<Ins>> none() { return Collections.emptyMap(); }

    private static Map<String, List<Ins>> agents(Object... kv) {
        Map<String, List<Ins>> m = new TreeMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            @SuppressWarnings("unchecked")
            List<Ins> p = (List<Ins>) kv[i + 1];
            m.put((String) kv[i], p);
        }
        return Collections.unmodifiableMap(m);
    }

    /**
     * Scenarios.tla's workloads that the implementation does not run yet, so this catalogue
     * leaves them out (issue 12: NUMA hinting, task_numa_work() and do_numa_page(), is in the
     * spec only; its models are TLC's alone; issue 16: munmap() with page-table freeing,
     * Munmap.tla, likewise; clear_refs_write(), ClearRefs.tla, too). ScenariosTest holds the list to exactly these.
     */
    public static final List<String> SPEC_ONLY = List.of("munmap-race", "munmap-alone", "numa-migrate", "numa-two", "numa-fault", "ksm-clear-refs", "tiny-clear-refs");

    /** The spec's scenario names, in Scenarios.tla's order. */
    public static List<String> specNames() { return List.copyOf(SPEC.keySet()); }

    /** Every name the command line takes: the spec's, issue 3's aliases and {@code mixed}. */
    public static List<String> allNames() {
        List<String> l = new java.util.ArrayList<>(SPEC.keySet());
        l.addAll(new TreeMap<>(ALIASES).keySet());
        l.add(MIXED);
        return l;
    }

    /** A spec scenario by its spec name or an alias; empty for unknown names and for mixed. */
    public static Optional<Scenario> byName(String name) {
        String n = ALIASES.getOrDefault(name, name);
        return Optional.ofNullable(SPEC.get(n));
    }

    /**
     * {@code mixed}: Scenarios.tla's seeded random workload of every operation (see {@link Mixed}),
     * its programs drawn from the seed modulo 2^15; the log's header carries that as MixedSeed.
     */
    public static Scenario mixedPick(long seed) {
        return mixedPick(seed, Scenario.DEFAULT_MIXED_LENGTH);
    }

    /** {@code mixed} with {@code length} instructions per CPU (the header's MixedLength). */
    public static Scenario mixedPick(long seed, int length) {
        return Mixed.scenario((int) Math.floorMod(seed, (long) Mixed.MODULUS), length);
    }
}
