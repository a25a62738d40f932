package mmucheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import mmucheck.refinement.report.VerdictTable;
import mmucheck.spec.model.BadInputException;
import mmucheck.spec.model.Manifest;
import mmucheck.spec.model.ModelEntry;
import mmucheck.spec.tlc.DistributedRunner;
import mmucheck.spec.tlc.Verdict;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code tlc-server MODEL [--address A] [--port P] [--workers N] [--timeout S]}: TLC's distributed
 * server (tlc2.tool.distributed.TLCServer) for one bundled model, listening on address A; workers
 * join with {@code tlc-worker A} from any host that reaches it (plus N started here, default 0).
 * Prints the verdict row and any counterexample as {@code check} does; exit 0 when it matches the
 * manifest, 1 otherwise, 2 on errors (a timeout included).
 */
final class TlcServerCommand implements Command {

    @Override
    public String summary() {
        return "TLC's distributed server for one model; workers join with tlc-worker (README: on N hosts)";
    }

    @Override
    public String synopsis() {
        return "MODEL [--address A] [--port P] [--workers N] [--timeout S]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("address").hasArg().argName("A")
                .desc("address to listen on and that workers connect to (default 127.0.0.1)").build());
        o.addOption(Option.builder().longOpt("port").hasArg().argName("P").desc("RMI registry port (default 10997)").build());
        o.addOption(Option.builder().longOpt("workers").hasArg().argName("N")
                .desc("workers to start on this host as well (default 0)").build());
        o.addOption(Option.builder().longOpt("timeout").hasArg().argName("S").desc("seconds (default 86400)").build());
        return o;
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.onlyArgument(cl, "MODEL");
        String address = cl.getOptionValue("address", "127.0.0.1");
        int port = (int) Cli.number(cl, "port", 10997, 1, 65535);
        int workers = (int) Cli.number(cl, "workers", 0, 0, 64);
        int timeout = (int) Cli.number(cl, "timeout", 86_400, 1, 30 * 86_400);
        Path root = Paths.root();
        Manifest manifest;
        try {
            manifest = Manifest.read(root.resolve("spec/models/manifest.json"));
        } catch (BadInputException e) {
            throw UsageException.badInput(e.getMessage().replace(root + "/", ""));
        }
        String name = cl.getArgList().get(0);
        ModelEntry m = manifest.model(name).orElseThrow(() -> UsageException.badInput("no model '" + name
                + "' in spec/models/manifest.json"));
        err.printf("tlc-server: %s on %s:%d, waiting for workers (mmucheck tlc-worker %s --port %d)%n", m.name(),
                address, port, address, port);
        DistributedRunner runner = Distributed.runner(root, workers, timeout, address, port,
                line -> err.println("tlc-server: " + m.name() + ": " + line));
        Verdict v = runner.run(root.resolve("spec/tla"), manifest.spec(), manifest.cfgPath(m), (line, ws) -> {
            if (line.startsWith("Registration for worker") || (line.startsWith("TLC worker") && line.contains("disconnected"))) {
                err.println("tlc-server: " + line);
            }
        });
        VerdictTable.Row row = new VerdictTable.Row(m, v, Distributed.mismatch(m, v));
        out.print(VerdictTable.text(List.of(row)));
        if (v.isError()) {
            err.println("mmucheck tlc-server: " + v.error());
            return ExitCode.USAGE;
        }
        if (v.counterexample() != null) {
            out.println();
            out.print(CheckCommand.counterexample(m, v, 120, false, root.resolve("spec/tla")));
        }
        return row.mismatch() == null ? ExitCode.OK : ExitCode.VIOLATION;
    }
}
