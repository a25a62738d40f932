package mmucheck.spec.tlc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import mmucheck.spec.model.Manifest;
import mmucheck.spec.model.ModelEntry;
import org.junit.jupiter.api.Test;

/**
 * TLC's distributed mode on the loopback address: a TLCServer JVM and two TLCWorker JVMs give the
 * verdict and the distinct-state count the manifest records for the single-process run, also when
 * a worker is killed in mid-run; with every worker gone the run ends with a one-line error.
 */
class DistributedRunnerTest {
    private static final Path ROOT = Path.of(System.getProperty("mmucheck.root", ".."));

    private static DistributedRunner.Config config() {
        ModelRunner.Config c = ModelRunner.Config.fromSystemProperties();
        assumeTrue(c != null && Files.isRegularFile(c.tlcJar()), "TLC's jar (mmucheck.tlc.jar) is not there");
        return DistributedRunner.Config.defaults(c.tlcJar()).withWorkers(2).withTimeout(Duration.ofMinutes(5));
    }

    private static ModelEntry model(Manifest m, String name) {
        return m.model(name).orElseThrow();
    }

    /** mixed_1: a ci-tier model (4,944 states) that holds. */
    @Test
    void serverAndTwoWorkersGiveTheSingleProcessVerdictAndCount() throws Exception {
        Manifest manifest = Manifest.read(ROOT.resolve("spec/models/manifest.json"));
        ModelEntry m = model(manifest, "mixed_1");
        assertEquals(ModelEntry.Tier.CI, m.tier());
        AtomicInteger registered = new AtomicInteger();
        Verdict v = new DistributedRunner(config()).run(ROOT.resolve("spec/tla"), manifest.spec(), manifest.cfgPath(m),
                (line, workers) -> {
                    if (line.startsWith("Registration for worker")) registered.incrementAndGet();
                });
        assertEquals(m.expected(), v.shown(), v.error());
        assertEquals(m.distinct(), v.distinct());
        assertEquals(2, registered.get(), "both workers took part");
    }

    /**
     * S1_nested (unit tier, 2,847 states) with the first worker killed as soon as the second has
     * registered: the server notices the lost worker, puts its states back on the queue and the
     * other worker finishes with the single-process count.
     */
    @Test
    void aWorkerKilledMidRunLeavesTheRunToTheOther() throws Exception {
        Manifest manifest = Manifest.read(ROOT.resolve("spec/models/manifest.json"));
        ModelEntry m = model(manifest, "S1_nested");
        AtomicInteger registered = new AtomicInteger();
        AtomicInteger lost = new AtomicInteger();
        Verdict v = new DistributedRunner(config()).run(ROOT.resolve("spec/tla"), manifest.spec(), manifest.cfgPath(m),
                (line, workers) -> {
                    if (line.startsWith("Registration for worker") && registered.incrementAndGet() == 2) {
                        workers.get(0).destroyForcibly();
                    }
                    if (line.startsWith("TLC worker") && line.contains("disconnected")) lost.incrementAndGet();
                });
        assertEquals(m.expected(), v.shown(), v.error());
        assertEquals(m.distinct(), v.distinct());
        assertEquals(1, lost.get(), "the server saw the worker go in mid-run");
    }

    /** Every worker killed: no hang, a one-line error naming what happened. */
    @Test
    void allWorkersKilledIsAOneLineErrorNotAHang() throws Exception {
        Manifest manifest = Manifest.read(ROOT.resolve("spec/models/manifest.json"));
        ModelEntry m = model(manifest, "S1_nested");
        AtomicInteger registered = new AtomicInteger();
        long t0 = System.nanoTime();
        Verdict v = new DistributedRunner(config()).run(ROOT.resolve("spec/tla"), manifest.spec(), manifest.cfgPath(m),
                (line, workers) -> {
                    if (line.startsWith("Registration for worker") && registered.incrementAndGet() == 2) {
                        workers.forEach(Process::destroyForcibly);
                    }
                });
        assertTrue(v.isError(), v.shown());
        assertTrue(v.error().endsWith("all 2 TLC workers exited before the model was done (worker 1: exit 137, "
                + "worker 2: exit 137); server killed"), v.error());
        assertEquals(1, v.error().lines().count());
        assertTrue((System.nanoTime() - t0) / 1e9 < 120, "bounded");
    }
}
