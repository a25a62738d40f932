package mmucheck.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import mmucheck.refinement.report.VerdictTable;
import mmucheck.spec.model.ModelEntry;
import mmucheck.spec.tlc.DistributedRunner;
import mmucheck.spec.tlc.Verdict;

/** What {@code check --distributed} and {@code tlc-server} share: the runner's set-up and the comparison. */
final class Distributed {
    private Distributed() {}

    static DistributedRunner runner(Path root, int workers, int timeoutSeconds, String address, int port,
            java.util.function.Consumer<String> progress) throws UsageException {
        return new DistributedRunner(DistributedRunner.Config.defaults(Paths.tlcJar())
                .withWorkers(workers).withDisplayRoot(root).withTimeout(Duration.ofSeconds(timeoutSeconds))
                .withProgress(progress).withAddress(address).withPort(port));
    }

    /**
     * The manifest's verdict against a distributed run's: the result and, when the model holds, the
     * distinct states. Not the depth: the server hands out blocks of states as workers ask, so its
     * breadth-first levels are not exact (mixed_1: 23 to 26 against 24).
     */
    static String mismatch(ModelEntry m, Verdict v) {
        ModelEntry noDepth = new ModelEntry(m.name(), m.cfg(), m.scenario(), m.variant(), m.expected(), m.distinct(),
                (int) ModelEntry.UNMEASURED, m.tier(), m.explain());
        return VerdictTable.mismatch(noDepth, v, 2);
    }

}
