package mmucheck.refinement.bench;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.engine.IsolatedTlc;
import mmucheck.refinement.viatlc.TlcCliRoute;

/**
 * Steps per second of each way to check the same toy logs: raw Jackson parsing (tokens only),
 * the in-process checker on a full log and on the partial log of the same walk, and the TLC
 * command-line route. Times include loading the spec (about half a second).
 */
public final class RefineBench {
    /** One measured route. */
    public record Rate(String route, long steps, double seconds, double cpuSeconds, String verdict) {
        public double perSecond() {
            return steps / seconds;
        }
    }

    private RefineBench() {}

    public static int run(long steps, long seed, boolean viaTlc, PrintStream out) throws IOException {
        Path work = Files.createTempDirectory("mmucheck-bench-");
        try {
            Path spec = ToyWalk.extractSpec(work.resolve("spec"));
            Path full = work.resolve("full.ndjson");
            Path partial = work.resolve("partial.ndjson");
            ToyWalk.Config c = ToyWalk.Config.of(steps, seed);
            long n = ToyWalk.write(c, full);
            ToyWalk.write(c.partial(true), partial);
            out.printf("workload: toy spec random walk, %d steps, seed %d; full log %.1f MB, partial log %.1f MB%n",
                    n, seed, Files.size(full) / 1e6, Files.size(partial) / 1e6);
            RefinementChecker.Options o = RefinementChecker.Options.defaults().withSpecDir(spec);
            out.printf("machine: %d cores, load average %.1f; in-process routes measured after a warm-up run%n",
                    Runtime.getRuntime().availableProcessors(),
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
            // Warm-up: the JIT compiles the reader and TLC's evaluator, as in a long-running check.
            Path warm = work.resolve("warm.ndjson");
            ToyWalk.write(ToyWalk.Config.of(Math.min(steps, 20_000), seed + 1), warm);
            rawParse(warm, 1);
            RefinementChecker.checkFile(warm, o);
            Rate raw = rawParse(full, n);
            print(out, raw);
            // Fixed cost of one check (spec parse, class loading): a one-step log of the same spec.
            Path one = work.resolve("one.ndjson");
            ToyWalk.write(ToyWalk.Config.of(1, seed), one);
            Rate fixed = timed("fixed cost (1-step log)", 1, () -> RefinementChecker.checkFile(one, o));
            Rate fullRate = timed("full-state checking (in process)", n, () -> RefinementChecker.checkFile(full, o));
            print(out, fullRate);
            out.printf("  %-40s %9.0f steps/s CPU without the fixed %.2f s CPU of loading the spec%n",
                    "  full-state, excluding spec load", n / Math.max(1e-9, fullRate.cpuSeconds() - fixed.cpuSeconds()),
                    fixed.cpuSeconds());
            Rate partRate = timed("partial-log checking (in process)", n, () -> RefinementChecker.checkFile(partial, o));
            print(out, partRate);
            Rate tlc = null;
            if (viaTlc) {
                long t0 = System.nanoTime();
                TlcCliRoute.Measured m = TlcCliRoute.checkMeasured(full, o);
                double s = (System.nanoTime() - t0) / 1e9;
                tlc = new Rate("TLC CLI route (forked JVM, trace spec)", n, s, m.tlcCpuSeconds(),
                        m.verdict().kind().word());
                print(out, tlc);
            }
            out.printf("ratios (wall): full/raw-parse %.2f, partial/full %.2f", fullRate.perSecond() / raw.perSecond(),
                    partRate.perSecond() / fullRate.perSecond());
            if (tlc != null) {
                out.printf(", full/TLC-CLI %.1fx", fullRate.perSecond() / tlc.perSecond());
            }
            out.printf("%nratios (CPU):  full/raw-parse %.2f, partial/full %.2f", raw.cpuSeconds() / fullRate.cpuSeconds(),
                    fullRate.cpuSeconds() / partRate.cpuSeconds());
            if (tlc != null && tlc.cpuSeconds() > 0) {
                out.printf(", full/TLC-CLI %.1fx", tlc.cpuSeconds() / fullRate.cpuSeconds());
            }
            out.println();
            Runtime rt = Runtime.getRuntime();
            out.printf("heap: max %d MB, used now %d MB%n", rt.maxMemory() >> 20, (rt.totalMemory() - rt.freeMemory()) >> 20);
            boolean ok = fullRate.verdict().equals("refines") && partRate.verdict().equals("refines")
                    && (tlc == null || tlc.verdict().equals("refines"));
            return ok ? 0 : 1;
        } finally {
            IsolatedTlc.deleteTree(work);
        }
    }

    private static void print(PrintStream out, Rate r) {
        out.printf("  %-40s %9.0f steps/s wall, %9.0f steps/s CPU  (%d steps, %.2f s wall, %.2f s CPU, %s)%n",
                r.route(), r.perSecond(), r.cpuSeconds() > 0 ? r.steps() / r.cpuSeconds() : Double.NaN, r.steps(),
                r.seconds(), r.cpuSeconds(), r.verdict());
    }

    private static double cpu() {
        return java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime() / 1e9;
    }

    private static Rate timed(String route, long n, java.util.function.Supplier<Verdict> f) {
        boolean forked = route.startsWith("TLC");
        double c0 = cpu();
        long t0 = System.nanoTime();
        Verdict v = f.get();
        double s = (System.nanoTime() - t0) / 1e9;
        String word = v.kind().word() + (v.kind() == Verdict.Kind.REFINES ? "" : ": " + v.message());
        return new Rate(route, n, s, forked ? -1 : cpu() - c0, word);
    }

    private static Rate rawParse(Path log, long n) throws IOException {
        double c0 = cpu();
        long t0 = System.nanoTime();
        long tokens = 0;
        try (InputStream in = Files.newInputStream(log); JsonParser p = new JsonFactory().createParser(in)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                tokens++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Rate("raw Jackson parsing (tokens only)", n, s, cpu() - c0, tokens + " tokens");
    }
}
