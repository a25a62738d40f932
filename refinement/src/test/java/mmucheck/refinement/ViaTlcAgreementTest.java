package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import mmucheck.refinement.bench.ToyWalk;
import mmucheck.refinement.check.Verdict;
import mmucheck.refinement.viatlc.TlcCliRoute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 4 section 4: the in-process checker and TLC's own route (generated trace spec, TLC CLI
 * in a forked JVM) agree on the verdict and on the step, over refining, diverging and
 * violating logs, and a divergence found by TLC carries the same diagnosis (computed in
 * process for the step TLC could not take). The number of logs is -Dmmucheck.agreement.logs
 * (default 50).
 */
class ViaTlcAgreementTest {
    @TempDir
    Path tmp;

    @Test
    void bothRoutesAgreeOnRefiningDivergingAndViolatingLogs() throws Exception {
        int n = Integer.getInteger("mmucheck.agreement.logs", 50);
        List<Path> logs = new ArrayList<>();
        logs.add(Toy.log("refines.ndjson"));
        logs.add(Toy.log("diverges.ndjson"));
        logs.add(Toy.log("violates.ndjson"));
        logs.add(Toy.log("bad-init.ndjson"));
        logs.add(Toy.log("stutter-changes.ndjson"));
        ToyWalk.Fault[] faults = ToyWalk.Fault.values();
        for (int i = 0; logs.size() < n; i++) {
            ToyWalk.Config c = ToyWalk.Config.of(20 + (i * 7) % 60, 100 + i).partial(i % 3 == 2);
            if (i % 4 == 3) {
                c = ToyWalk.Config.of(150, 100 + i).partial(i % 3 == 2).bug(true); // most of these violate
                logs.add(Toy.walk(c, tmp, "walk" + i + ".ndjson"));
                continue;
            }
            ToyWalk.Fault f = faults[i % faults.length];
            if (f != ToyWalk.Fault.NONE) {
                c = c.fault(f, 5 + i % 10);
            } else if (i % 2 == 1) {
                c = c.bug(true);
            }
            logs.add(Toy.walk(c, tmp, "walk" + i + ".ndjson"));
        }
        // Each TLC run is a forked JVM (seconds each); two at a time.
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<Verdict>> viaTlc = new ArrayList<>();
        for (Path log : logs) {
            viaTlc.add(pool.submit(() -> TlcCliRoute.check(log, Toy.options())));
        }
        pool.shutdown();
        Map<Verdict.Kind, Integer> seen = new EnumMap<>(Verdict.Kind.class);
        for (int i = 0; i < logs.size(); i++) {
            Path log = logs.get(i);
            Verdict ours = Toy.check(log);
            Verdict tlc = viaTlc.get(i).get(5, TimeUnit.MINUTES);
            String what = log.getFileName() + ": ours " + ours.kind() + " " + ours.message() + " / TLC " + tlc.kind()
                    + " " + tlc.message();
            assertEquals(ours.kind(), tlc.kind(), what);
            if (ours.kind() != Verdict.Kind.REFINES) {
                assertEquals(ours.seq(), tlc.seq(), what);
            }
            if (ours.kind() == Verdict.Kind.VIOLATES) {
                assertEquals(ours.invariant(), tlc.invariant(), what);
            }
            if (ours.kind() == Verdict.Kind.DIVERGES) {
                // TLC only reports the depth; the route adds the in-process diagnosis of that step.
                assertEquals(ours.diagnosis(), tlc.diagnosis(), what);
                assertEquals(ours.action(), tlc.action(), what);
                assertEquals(ours.args(), tlc.args(), what);
                assertEquals(ours.line(), tlc.line(), what);
                assertTrue(tlc.message().startsWith("TLC cannot extend the behaviour past depth"), tlc.message());
            }
            seen.merge(ours.kind(), 1, Integer::sum);
        }
        assertEquals(n, logs.size());
        assertTrue(seen.getOrDefault(Verdict.Kind.REFINES, 0) >= 5, seen.toString());
        assertTrue(seen.getOrDefault(Verdict.Kind.DIVERGES, 0) >= 5, seen.toString());
        assertTrue(seen.getOrDefault(Verdict.Kind.VIOLATES, 0) >= 2, seen.toString());
    }
}
