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
    public record Rate(String route, long steps, double seconds, String verdict) {
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
            Rate raw = rawParse(full, n);
            print(out, raw);
            Rate fullRate = timed("full-state checking (in process)", n, () -> RefinementChecker.checkFile(full, o));
            print(out, fullRate);
            Rate partRate = timed("partial-log checking (in process)", n, () -> RefinementChecker.checkFile(partial, o));
            print(out, partRate);
            Rate tlc = null;
            if (viaTlc) {
                tlc = timed("TLC CLI route (forked JVM, trace spec)", n, () -> TlcCliRoute.check(full, o));
                print(out, tlc);
            }
            out.printf("ratios: full/raw-parse %.2f, partial/full %.2f", fullRate.perSecond() / raw.perSecond(),
                    partRate.perSecond() / fullRate.perSecond());
            if (tlc != null) {
                out.printf(", full/TLC-CLI %.1fx", fullRate.perSecond() / tlc.perSecond());
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
        out.printf("  %-40s %10.0f steps/s  (%d steps in %.2f s, %s)%n", r.route(), r.perSecond(), r.steps(),
                r.seconds(), r.verdict());
    }

    private static Rate timed(String route, long n, java.util.function.Supplier<Verdict> f) {
        long t0 = System.nanoTime();
        Verdict v = f.get();
        double s = (System.nanoTime() - t0) / 1e9;
        String word = v.kind().word() + (v.kind() == Verdict.Kind.REFINES ? "" : ": " + v.message());
        return new Rate(route, n, s, word);
    }

    private static Rate rawParse(Path log, long n) throws IOException {
        long t0 = System.nanoTime();
        long tokens = 0;
        try (InputStream in = Files.newInputStream(log); JsonParser p = new JsonFactory().createParser(in)) {
            for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
                tokens++;
            }
        }
        double s = (System.nanoTime() - t0) / 1e9;
        return new Rate("raw Jackson parsing (tokens only)", n, s, tokens + " tokens");
    }
}
