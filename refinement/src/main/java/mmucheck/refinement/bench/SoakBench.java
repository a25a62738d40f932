package mmucheck.refinement.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import mmucheck.impl.Simulation;
import mmucheck.impl.mm.Bugs;
import mmucheck.impl.scenario.Scenario;
import mmucheck.impl.scenario.Scenarios;
import mmucheck.impl.scenario.Variant;
import mmucheck.refinement.bench.RefineBench.Rate;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.engine.IsolatedTlc;

/**
 * {@code bench soak}: one long run of the implementation on the {@code mixed} workload with
 * programs of {@code length} instructions per CPU (the spec computes the same programs from
 * MixedSeed and MixedLength), logged in full and partially, then refined: the simulation's
 * steps/s, raw parsing against full-state checking in turn (the ratio run by run), partial
 * checking, and the peak RSS of {@code mmucheck refine} of the log in a JVM with -Xmx512m, next
 * to the same for a run a quarter as long (memory flat in the log's length: the checker keeps
 * the current state, not the log). One log, not many short runs: the states are those of a long
 * run, every operation many times over on pages that went through all the others.
 */
public final class SoakBench {
    private SoakBench() {}

    /** The child JVM's heap: the target says memory stays flat under it. */
    static final String CHILD_HEAP = "-Xmx512m";

    public static int run(int length, long seed, long maxSteps, PrintStream out) throws IOException {
        Path work = Files.createTempDirectory("mmucheck-soak-");
        try {
            out.printf("machine: %d cores, load average %.1f%n", Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            Variant v = Variant.DEFAULT;
            Scenario sc = Scenarios.mixedPick(seed, length);
            Path full = work.resolve("soak.ndjson");
            Path partial = work.resolve("soak.partial.ndjson");
            long t0 = System.nanoTime();
            Simulation.Result r = simulate(sc, v, seed, maxSteps, false, full);
            double simSeconds = (System.nanoTime() - t0) / 1e9;
            Simulation.Result rp = simulate(sc, v, seed, maxSteps, true, partial);
            long n = r.steps();
            out.printf("soak run: mixed, MixedSeed %d, MixedLength %d (%d instructions per CPU, %s), %s, %d steps, "
                    + "%s; full log %.1f MB, partial log %.1f MB (%d steps, %s)%n", sc.mixedSeed(), length, length,
                    sc.devs().isEmpty() ? sc.vcpus().isEmpty() ? "no device or vCPU" : "a vCPU" : "a device", v, n,
                    r.end(), Files.size(full) / 1e6, Files.size(partial) / 1e6, rp.steps(), rp.end());
            out.printf("  simulation (logging on, one JVM thread per agent): %.0f steps/s wall (%.1f s)%n",
                    n / simSeconds, simSeconds);
            out.printf("  diversity: %s%n", diversity(full));
            RefinementChecker.Options o = RefinementChecker.Options.defaults()
                    .withSpecDir(mmucheck.refinement.check.SpecSource.defaultDir());
            // warm-up on another soak log (other seed, a quarter of the length): same spec constants
            // but its own programs, so nothing of the measured log is cached by the warm-up
            int shortLength = Math.max(2, length / 4);
            Scenario warmSc = Scenarios.mixedPick(seed + 1, shortLength);
            Path warm = work.resolve("warm.ndjson");
            Path warmPartial = work.resolve("warm.partial.ndjson");
            long warmSteps = simulate(warmSc, v, seed + 1, maxSteps, false, warm).steps();
            simulate(warmSc, v, seed + 1, maxSteps, true, warmPartial);
            Rate raw;
            Rate fullRate;
            RefineBench.Paired pr;
            String share;
            double warmed;
            Rate cold = RefineBench.timed("full-state, cold (new checker, spec load)", n,
                    () -> RefinementChecker.checkFile(full, o));
            try (RefinementChecker c = new RefinementChecker(o)) {
                warmed = RefineBench.warmUp(() -> {
                    c.check(warm);
                    RefineBench.rawParse(warm, 1);
                });
                pr = RefineBench.paired(() -> RefineBench.rawParse(full, n),
                        () -> RefineBench.timed("full-state checking (in process)", n, () -> RefineBench.fresh(c).check(full)));
                raw = pr.bestA();
                fullRate = pr.bestB();
                share = RefineBench.fastShare(c);
            }
            Rate partRate;
            try (RefinementChecker c = new RefinementChecker(o)) {
                warmed += RefineBench.warmUp(() -> c.check(warmPartial));
                partRate = RefineBench.best(() -> RefineBench.timed("partial-log checking (in process)", rp.steps(),
                        () -> RefineBench.fresh(c).check(partial)));
            }
            out.printf("  warm-up: %.1f s on a soak log of another seed and length %d (%d steps)%n", warmed,
                    shortLength, warmSteps);
            RefineBench.print(out, raw);
            RefineBench.print(out, fullRate);
            out.printf("    %s%n", share);
            RefineBench.print(out, partRate);
            RefineBench.print(out, cold);
            RefineBench.ratios(out, raw, fullRate, partRate, cold, null);
            RefineBench.printPaired(out, pr);
            Rss whole = refineInChild(full);
            Rss quarter = refineInChild(warm);
            out.printf("  mmucheck refine in a JVM with %s: %d steps: peak RSS %d MB (%.1f s wall, %s); "
                    + "%d steps: peak RSS %d MB (%.1f s wall, %s)%n", CHILD_HEAP, n, whole.peakKb() >> 10, whole.seconds(),
                    whole.result(), warmSteps, quarter.peakKb() >> 10, quarter.seconds(), quarter.result());
            boolean ok = fullRate.verdict().equals("refines") && partRate.verdict().equals("refines")
                    && cold.verdict().equals("refines") && whole.exit() == 0 && quarter.exit() == 0;
            return ok ? 0 : 1;
        } finally {
            IsolatedTlc.deleteTree(work);
        }
    }

    static Simulation.Result simulate(Scenario sc, Variant v, long seed, long maxSteps, boolean partial, Path to)
            throws IOException {
        Simulation.Config c = new Simulation.Config(sc, v, seed, maxSteps, "random", 3, partial, null, Bugs.NONE);
        try (OutputStream os = new java.io.BufferedOutputStream(Files.newOutputStream(to), 1 << 16)) {
            return Simulation.run(c, os);
        }
    }

    /**
     * How varied the run is: the actions taken, and how many distinct states (state lines with
     * the step number and action cut off) it went through.
     */
    static String diversity(Path log) throws IOException {
        Set<String> actions = new TreeSet<>();
        Set<Long> states = new HashSet<>();
        long lines = 0;
        try (BufferedReader r = Files.newBufferedReader(log, StandardCharsets.UTF_8)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                int a = line.indexOf("\"action\":\"");
                if (a >= 0) {
                    actions.add(line.substring(a + 10, line.indexOf('"', a + 10)));
                }
                int st = line.indexOf("\"state\":");
                if (st >= 0) {
                    states.add(hash64(line, st));
                    lines++;
                }
            }
        }
        return String.format("%d distinct states in %d logged states, %d kinds of action", states.size(), lines,
                actions.size());
    }

    private static long hash64(String s, int from) {
        long h = 1125899906842597L;
        for (int i = from; i < s.length(); i++) h = 31 * h + s.charAt(i);
        return h;
    }

    record Rss(long peakKb, double seconds, int exit, String result) {}

    /** {@code mmucheck refine LOG} in a JVM of its own with {@value #CHILD_HEAP}, its RSS sampled every 20 ms. */
    static Rss refineInChild(Path log) throws IOException {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(), CHILD_HEAP, "-XX:+UseSerialGC"));
        for (String p : List.of("mmucheck.root", "mmucheck.tlc.jar")) {
            if (System.getProperty(p) != null) cmd.add("-D" + p + "=" + System.getProperty(p));
        }
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "mmucheck.cli.Main", "refine", log.toString()));
        long t0 = System.nanoTime();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        StringBuilder text = new StringBuilder();
        Thread reader = new Thread(() -> {
            try {
                text.append(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                // the child died; its exit code says so
            }
        });
        reader.setDaemon(true);
        reader.start();
        Path status = Path.of("/proc", Long.toString(p.pid()), "status");
        long peak = 0;
        try {
            while (!p.waitFor(20, TimeUnit.MILLISECONDS)) {
                peak = Math.max(peak, hwm(status));
            }
            reader.join(5_000);
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
        }
        String first = text.toString().lines().findFirst().orElse("");
        return new Rss(peak, (System.nanoTime() - t0) / 1e9, p.exitValue(), first.length() > 80 ? first.substring(0, 80) : first);
    }

    /** VmHWM (peak resident set) of a live process, in kB; 0 once it is gone. */
    private static long hwm(Path status) {
        try {
            for (String l : Files.readAllLines(status)) {
                if (l.startsWith("VmHWM:")) return Long.parseLong(l.replaceAll("[^0-9]", ""));
            }
        } catch (IOException | NumberFormatException e) {
            // exited between the poll and the read
        }
        return 0;
    }
}
