package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import mmucheck.spec.tlc.DistributedRunner;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;

/**
 * {@code tlc-worker SERVER [--address A] [--port P] [--threads T]}: one TLC worker JVM
 * (tlc2.tool.distributed.TLCWorker) for the {@code tlc-server} at SERVER; it fetches the spec from
 * the server and exits when the server is done. A is this host's address as the server reaches it.
 */
final class TlcWorkerCommand implements Command {

    @Override
    public String summary() {
        return "one TLC worker for a tlc-server (its spec comes from the server)";
    }

    @Override
    public String synopsis() {
        return "SERVER [--address A] [--port P] [--threads T]";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder().longOpt("address").hasArg().argName("A")
                .desc("this host's address, as the server reaches it (default 127.0.0.1)").build());
        o.addOption(Option.builder().longOpt("port").hasArg().argName("P").desc("the server's RMI port (default 10997)").build());
        o.addOption(Option.builder().longOpt("threads").hasArg().argName("T").desc("TLC threads (default 1)").build());
        return o;
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.onlyArgument(cl, "SERVER");
        int port = (int) Cli.number(cl, "port", 10997, 1, 65535);
        int threads = (int) Cli.number(cl, "threads", 1, 1, 256);
        String bind = cl.getOptionValue("address", "127.0.0.1");
        try {
            Path tmp = Files.createTempDirectory("mmucheck-tlc-worker-");
            List<String> cmd = DistributedRunner.workerCommand(Paths.tlcJar(), "1g", cl.getArgList().get(0), port, threads,
                    tmp.resolve("tmp"), bind);
            Process p = new ProcessBuilder(cmd).directory(tmp.toFile()).inheritIO().start();
            Runtime.getRuntime().addShutdownHook(new Thread(p::destroyForcibly));
            int rc = p.waitFor();
            return rc == 0 ? ExitCode.OK : ExitCode.USAGE;
        } catch (IOException e) {
            throw new UsageException("cannot start a TLC worker: " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ExitCode.USAGE;
        }
    }
}
