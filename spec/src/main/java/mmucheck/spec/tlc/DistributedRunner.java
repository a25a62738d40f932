package mmucheck.spec.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs one model with TLC's own distributed engine: a {@code tlc2.tool.distributed.TLCServer}
 * JVM that holds the state queue and the fingerprint set, and {@code workers} TLCWorker JVMs
 * (one thread each) that compute successor states and fetch the spec from the server over RMI.
 * Everything listens on and connects to one address (127.0.0.1 by default, see {@link BindRmi}).
 *
 * <p>TLC handles a worker lost in mid-run itself: the server thread serving it gets a
 * RemoteException and puts the worker's block of states back on the queue, and the others go
 * on. When no worker is left, TLCServer would wait for a new one for ever; this runner then
 * kills it and returns an error verdict, as it does on timeout. The verdict is read from the
 * server's {@code -tool} output like a single-process run's.
 */
public final class DistributedRunner {

    /** Java system properties TLC reads: the registry port and a worker's thread count. */
    static final String PORT_PROPERTY = "tlc2.tool.distributed.TLCServer.port";
    static final String THREADS_PROPERTY = "tlc2.tool.distributed.TLCWorker.threadCount";

    /**
     * @param workers worker JVMs started on this machine (each with one TLC thread)
     * @param address the address everything binds to and connects to
     * @param port TLC's RMI registry port (0: a free one)
     */
    public record Config(Path tlcJar, int workers, String maxHeap, Duration timeout, Path displayRoot,
            Consumer<String> progress, Path workRoot, String address, int port) {
        public static Config defaults(Path tlcJar) {
            return new Config(tlcJar, 2, "1g", Duration.ofMinutes(15), null, null, null, "127.0.0.1", 0);
        }

        public Config withWorkers(int w) {
            return new Config(tlcJar, w, maxHeap, timeout, displayRoot, progress, workRoot, address, port);
        }

        public Config withTimeout(Duration t) {
            return new Config(tlcJar, workers, maxHeap, t, displayRoot, progress, workRoot, address, port);
        }

        public Config withDisplayRoot(Path r) {
            return new Config(tlcJar, workers, maxHeap, timeout, r, progress, workRoot, address, port);
        }

        public Config withProgress(Consumer<String> p) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, p, workRoot, address, port);
        }

        public Config withWorkRoot(Path w) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, progress, w, address, port);
        }

        public Config withAddress(String a) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, progress, workRoot, a, port);
        }

        public Config withPort(int p) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, progress, workRoot, address, p);
        }
    }

    /** Sees each line the server prints, with the worker processes (tests kill workers from here). */
    public interface Watcher {
        void serverLine(String line, List<Process> workers);
    }

    private final Config config;

    public DistributedRunner(Config config) {
        this.config = config;
    }

    /** How long the server may go on with no worker alive before the run is called lost. */
    private static final long NO_WORKER_GRACE_MS = 3_000;

    public Verdict run(Path specDir, String module, Path cfg) {
        return run(specDir, module, cfg, (line, workers) -> {});
    }

    /** Model-checks {@code specDir/module.tla} with {@code cfg} on a server and the workers. Never throws. */
    public Verdict run(Path specDir, String module, Path cfg, Watcher watcher) {
        long t0 = System.nanoTime();
        VerdictReader.Context ctx = new VerdictReader.Context(specDir, cfg, List.of(), config.displayRoot());
        if (!Files.isRegularFile(cfg)) {
            return Verdict.error(ctx.show(cfg) + ": file not found", 0);
        }
        List<String> props;
        try {
            props = CfgFile.temporalProperties(Files.readString(cfg));
        } catch (IOException e) {
            return Verdict.error(cfg + ": cannot read: " + e.getMessage(), 0);
        }
        if (!props.isEmpty()) {
            return Verdict.error(ctx.show(cfg) + ": distributed TLC checks invariants only, and this model has "
                    + "temporal properties (" + String.join(", ", props) + ")", 0);
        }
        if (!Files.isRegularFile(specDir.resolve(module + ".tla"))) {
            return Verdict.error(ctx.show(specDir.resolve(module + ".tla")) + ": file not found", 0);
        }
        if (!Files.isRegularFile(config.tlcJar())) {
            return Verdict.error(config.tlcJar() + ": TLC jar not found (system property mmucheck.tlc.jar)", 0);
        }
        Path work;
        int port;
        try {
            work = config.workRoot() == null ? Files.createTempDirectory("mmucheck-dtlc-")
                    : Files.createTempDirectory(Files.createDirectories(config.workRoot()), "mmucheck-dtlc-");
            port = config.port() != 0 ? config.port() : freePort(config.address());
        } catch (IOException e) {
            return Verdict.error("cannot set up a distributed run: " + e.getMessage(), 0);
        }
        List<Process> started = new ArrayList<>();
        Thread killer = new Thread(() -> started.forEach(DistributedRunner::kill), "mmucheck-dtlc-kill");
        Runtime.getRuntime().addShutdownHook(killer);
        try {
            // Workers fetch the modules and the cfg from the server by file name, which the server
            // looks up in the spec's directory only: the run gets a copy with the cfg beside them.
            Path copy = Files.createDirectories(work.resolve("spec"));
            try (Stream<Path> s = Files.list(specDir)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".tla")).toList()) {
                    Files.copy(p, copy.resolve(p.getFileName()));
                }
            }
            String cfgName = "MC_" + cfg.getFileName();
            Files.copy(cfg, copy.resolve(cfgName));
            Files.createDirectories(work.resolve("server"));
            Process server = new ProcessBuilder(serverCommand(port, work.resolve("server"), cfgName, module))
                    .directory(copy.toFile()).redirectErrorStream(true).start();
            started.add(server);
            List<Process> workers = new ArrayList<>();
            for (int i = 1; i <= config.workers(); i++) {
                Path wd = Files.createDirectories(work.resolve("worker" + i));
                Process w = new ProcessBuilder(workerCommand(config.tlcJar(), config.maxHeap(), config.address(), port, 1,
                        wd.resolve("tmp"), config.address()))
                        .directory(wd.toFile()).redirectErrorStream(true)
                        .redirectOutput(wd.resolve("out.txt").toFile()).start();
                started.add(w);
                workers.add(w);
            }
            StringBuilder out = new StringBuilder();
            Thread reader = new Thread(() -> pump(server, out, workers, watcher), "mmucheck-dtlc-output");
            reader.setDaemon(true);
            reader.start();
            String failure = supervise(server, workers, work);
            workers.forEach(DistributedRunner::kill);
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (failure != null) {
                return Verdict.error(ctx.show(cfg) + ": " + failure, seconds);
            }
            reader.join(10_000);
            String text;
            synchronized (out) {
                text = out.toString();
            }
            return VerdictReader.read(withoutWarnings(TlcOutput.parse(text)), ctx, seconds);
        } catch (IOException e) {
            return Verdict.error(ctx.show(cfg) + ": cannot run distributed TLC: " + e.getMessage(),
                    (System.nanoTime() - t0) / 1e9);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Verdict.error(ctx.show(cfg) + ": interrupted (TLC killed)", (System.nanoTime() - t0) / 1e9);
        } finally {
            started.forEach(DistributedRunner::kill);
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run
            }
            if (!Boolean.getBoolean("mmucheck.dtlc.keep")) deleteTree(work); // kept for debugging when set
        }
    }

    /** Waits for the server; null when it ended by itself, else why it was killed. */
    private String supervise(Process server, List<Process> workers, Path work) throws InterruptedException {
        long deadline = System.nanoTime() + config.timeout().toNanos();
        long noWorkerSince = -1;
        while (!server.waitFor(200, TimeUnit.MILLISECONDS)) {
            long now = System.nanoTime();
            if (now > deadline) {
                kill(server);
                return "timed out after " + config.timeout().toSeconds() + " s (TLC server and workers killed)";
            }
            // with no local workers (tlc-server) the workers are elsewhere and the timeout bounds the wait
            if (!workers.isEmpty() && workers.stream().noneMatch(Process::isAlive)) {
                if (noWorkerSince < 0) {
                    noWorkerSince = now;
                } else if (now - noWorkerSince > NO_WORKER_GRACE_MS * 1_000_000) {
                    kill(server);
                    StringBuilder codes = new StringBuilder();
                    for (int i = 0; i < workers.size(); i++) {
                        codes.append(i == 0 ? "" : ", ").append("worker ").append(i + 1).append(": exit ")
                                .append(workers.get(i).exitValue());
                        String last = lastError(work.resolve("worker" + (i + 1)).resolve("out.txt"));
                        if (last != null) codes.append(" '").append(last).append("'");
                    }
                    return "all " + workers.size() + " TLC workers exited before the model was done (" + codes
                            + "); server killed";
                }
            } else {
                noWorkerSince = -1;
            }
        }
        return null;
    }

    /** TLC's class of a warning message (MP.WARNING). */
    private static final int WARNING = 3;

    /**
     * The server's output without its general warnings: after a lost worker it warns that it could
     * not read the worker's cache statistic or exit it ("does not invalidate model checking
     * results"), in the message code a single-process run uses for errors only.
     */
    static TlcOutput withoutWarnings(TlcOutput o) {
        return new TlcOutput(o.messages().stream()
                .filter(m -> !(m.code() == TlcMessage.GENERAL_ERROR && m.cls() == WARNING)).toList(), o.loose(), o.truncated());
    }

    /** The last line of a worker's output that reports an error, if any. */
    private static String lastError(Path out) {
        try (Stream<String> lines = Files.lines(out, StandardCharsets.UTF_8)) {
            return lines.filter(l -> l.contains("Error") || l.contains("rror:")).reduce((a, b) -> b)
                    .map(l -> l.strip().length() > 160 ? l.strip().substring(0, 160) + "..." : l.strip()).orElse(null);
        } catch (IOException | UncheckedIOException e) {
            return null;
        }
    }

    /** The server JVM's command line (visible for tests). */
    List<String> serverCommand(int port, Path work, String cfgRel, String module) {
        List<String> cmd = new ArrayList<>(jvm(config.tlcJar(), config.maxHeap(), config.address(), port,
                work.resolve("tmp")));
        cmd.addAll(List.of(BindRmi.class.getName(), config.address(), "tlc2.tool.distributed.TLCServer", "-tool",
                "-metadir", work.resolve("meta").toString(), "-config", cfgRel, module));
        return cmd;
    }

    /** A worker JVM's command line: {@code threads} TLC threads, serving {@code server:port} from {@code bind}. */
    public static List<String> workerCommand(Path tlcJar, String maxHeap, String server, int port, int threads,
            Path tmp, String bind) {
        List<String> cmd = new ArrayList<>(jvm(tlcJar, maxHeap, bind, port, tmp));
        cmd.add(1, "-D" + THREADS_PROPERTY + "=" + threads);
        cmd.addAll(List.of(BindRmi.class.getName(), bind, "tlc2.tool.distributed.TLCWorker", server));
        return cmd;
    }

    /**
     * The shared part of both command lines: the port, the address RMI stubs name (so the other
     * side connects to it, not to whatever the host name resolves to), a private tmpdir (TLC
     * writes the standard modules there), and TLC's jar with this class's own code.
     */
    static List<String> jvm(Path tlcJar, String maxHeap, String bind, int port, Path tmp) {
        try {
            Files.createDirectories(tmp);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Path javaBin = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ArrayList<>(List.of(javaBin.toString(), "-Xmx" + maxHeap, "-XX:+UseParallelGC",
                "-D" + PORT_PROPERTY + "=" + port, "-Djava.rmi.server.hostname=" + bind,
                // TLCWorker reads its RMI port through sun.rmi internals to name itself
                "--add-exports", "java.rmi/sun.rmi.server=ALL-UNNAMED",
                "--add-exports", "java.rmi/sun.rmi.transport=ALL-UNNAMED",
                "-Djava.io.tmpdir=" + tmp, "-Dfile.encoding=UTF-8",
                "-cp", tlcJar.toAbsolutePath() + java.io.File.pathSeparator + ownCode()));
    }

    /** Where BindRmi's class comes from (a jar, or target/classes). */
    static String ownCode() {
        try {
            return Path.of(BindRmi.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    static int freePort(String address) throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(address))) {
            return s.getLocalPort();
        }
    }

    private void pump(Process p, StringBuilder out, List<Process> workers, Watcher watcher) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (out) {
                    out.append(line).append('\n');
                }
                if (config.progress() != null && line.startsWith("Progress(")) {
                    config.progress().accept(line);
                }
                watcher.serverLine(line, workers);
            }
        } catch (IOException e) {
            // the server died; what was read so far is all there is
        }
    }

    static void kill(Process p) {
        if (!p.isAlive()) return;
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(f -> {
                try {
                    Files.deleteIfExists(f);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a leftover temp dir is harmless
        }
    }
}
