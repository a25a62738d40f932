package mmucheck.spec.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
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
 * Runs TLC on one model in a forked JVM and returns its {@link Verdict}.
 *
 * <p>A forked JVM because TLC keeps process-global statics and calls {@code System.exit}
 * (TLC-NOTES.md). Each run gets its own {@code java.io.tmpdir} (TLC writes the standard modules
 * there and concurrent JVMs race on them) and its own metadir (two runs in the same second
 * collide on {@code states/}); both are deleted afterwards. The child is killed on timeout, on
 * interrupt and when this JVM exits.
 */
public final class ModelRunner {

    /**
     * @param tlcJar TLC's jar (the {@code mmucheck.tlc.jar} system property)
     * @param workers TLC's {@code -workers}; 1 gives reproducible counts for violations
     * @param maxHeap the child's {@code -Xmx}, e.g. "1g"
     * @param timeout the run is killed after this long
     * @param displayRoot file names in error messages are shown relative to this (null: as given)
     * @param progress receives TLC's progress lines as they come (may be null)
     * @param workRoot where each run's temporary directory is made (null: java.io.tmpdir)
     * @param quickJit compile with C1 only ({@code -XX:TieredStopAtLevel=1}): half the CPU time
     *     for a model of a few thousand states (S1_gather: 2.5 s instead of 5.2 s of user time),
     *     slower for big ones; for the unit tier
     */
    public record Config(Path tlcJar, int workers, String maxHeap, Duration timeout, Path displayRoot,
            Consumer<String> progress, Path workRoot, boolean quickJit) {
        public static Config defaults(Path tlcJar) {
            return new Config(tlcJar, 1, "1g", Duration.ofMinutes(15), null, null, null, false);
        }

        public Config withQuickJit(boolean q) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, progress, workRoot, q);
        }

        public Config withWorkers(int w) {
            return new Config(tlcJar, w, maxHeap, timeout, displayRoot, progress, workRoot, quickJit);
        }

        public Config withMaxHeap(String h) {
            return new Config(tlcJar, workers, h, timeout, displayRoot, progress, workRoot, quickJit);
        }

        public Config withTimeout(Duration t) {
            return new Config(tlcJar, workers, maxHeap, t, displayRoot, progress, workRoot, quickJit);
        }

        public Config withDisplayRoot(Path r) {
            return new Config(tlcJar, workers, maxHeap, timeout, r, progress, workRoot, quickJit);
        }

        public Config withProgress(Consumer<String> p) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, p, workRoot, quickJit);
        }

        public Config withWorkRoot(Path w) {
            return new Config(tlcJar, workers, maxHeap, timeout, displayRoot, progress, w, quickJit);
        }

        /** From the {@code mmucheck.tlc.jar} system property; null when it is not set. */
        public static Config fromSystemProperties() {
            String jar = System.getProperty("mmucheck.tlc.jar");
            return jar == null ? null : defaults(Path.of(jar));
        }
    }

    private final Config config;

    public ModelRunner(Config config) {
        this.config = config;
    }

    /** Model-checks {@code specDir/module.tla} with {@code cfg}. Never throws for a bad spec or model. */
    public Verdict run(Path specDir, String module, Path cfg) {
        return run(specDir, module, cfg, null);
    }

    /**
     * As {@link #run(Path, String, Path)}, and TLC's {@code -tool} output is also written to
     * {@code saveOutput} (when not null): the artefact {@code check --out-dir} leaves behind.
     */
    public Verdict run(Path specDir, String module, Path cfg, Path saveOutput) {
        long t0 = System.nanoTime();
        VerdictReader.Context ctx;
        Path spec = specDir.resolve(module + ".tla");
        List<String> props = List.of();
        if (!Files.isRegularFile(cfg)) {
            return Verdict.error(new VerdictReader.Context(specDir, cfg, props, config.displayRoot()).show(cfg)
                    + ": file not found", 0);
        }
        try {
            props = CfgFile.temporalProperties(Files.readString(cfg));
        } catch (IOException e) {
            return Verdict.error(cfg + ": cannot read: " + e.getMessage(), 0);
        }
        ctx = new VerdictReader.Context(specDir, cfg, props, config.displayRoot());
        if (!Files.isRegularFile(spec)) {
            return Verdict.error(ctx.show(spec) + ": file not found", 0);
        }
        if (!Files.isRegularFile(config.tlcJar())) {
            return Verdict.error(config.tlcJar() + ": TLC jar not found (system property mmucheck.tlc.jar)", 0);
        }
        Path work;
        try {
            work = config.workRoot() == null ? Files.createTempDirectory("mmucheck-tlc-")
                    : Files.createTempDirectory(Files.createDirectories(config.workRoot()), "mmucheck-tlc-");
            Files.createDirectories(work.resolve("tmp"));
        } catch (IOException e) {
            return Verdict.error("cannot create a temporary directory: " + e.getMessage(), 0);
        }
        try {
            String output = fork(specDir, module, cfg, work);
            if (saveOutput != null) {
                Files.writeString(saveOutput, output, StandardCharsets.UTF_8);
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            if (output.startsWith(TIMEOUT) || output.startsWith(INTERRUPTED)) {
                return Verdict.error(ctx.show(cfg) + ": " + output.lines().findFirst().orElse(""), seconds);
            }
            return VerdictReader.read(TlcOutput.parse(output), ctx, seconds);
        } catch (IOException e) {
            return Verdict.error(ctx.show(cfg) + ": cannot run TLC: " + e.getMessage(),
                    (System.nanoTime() - t0) / 1e9);
        } finally {
            deleteTree(work);
        }
    }

    private static final String TIMEOUT = "timed out after ";
    private static final String INTERRUPTED = "interrupted";

    /** The command line of the child JVM (visible for tests). */
    List<String> command(Path specDir, String module, Path cfg, Path work) {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cmd = new ArrayList<>(List.of(java.toString(),
                "-Xmx" + config.maxHeap(), "-XX:+UseParallelGC", config.quickJit() ? "-XX:TieredStopAtLevel=1" : "-XX:+TieredCompilation",
                "-Djava.io.tmpdir=" + work.resolve("tmp"),
                "-Dfile.encoding=UTF-8",
                "-cp", config.tlcJar().toAbsolutePath().toString(),
                "tlc2.TLC", "-tool",
                "-workers", Integer.toString(config.workers()),
                "-metadir", work.resolve("meta").toString(),
                // TLC resolves -config against the spec's directory (an absolute path is not
                // found), so the child runs there and gets the relative path.
                "-config", specDir.toAbsolutePath().normalize().relativize(cfg.toAbsolutePath().normalize()).toString(),
                module));
        return cmd;
    }

    private String fork(Path specDir, String module, Path cfg, Path work) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(command(specDir, module, cfg, work))
                .directory(specDir.toAbsolutePath().toFile())
                .redirectErrorStream(true);
        Process p = pb.start();
        Thread killer = new Thread(() -> kill(p), "mmucheck-tlc-kill");
        Runtime.getRuntime().addShutdownHook(killer);
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> pump(p, out), "mmucheck-tlc-output");
        reader.setDaemon(true);
        reader.start();
        try {
            boolean done = p.waitFor(config.timeout().toMillis(), TimeUnit.MILLISECONDS);
            if (!done) {
                kill(p);
                return TIMEOUT + seconds(config.timeout()) + " (TLC killed)";
            }
            reader.join(10_000);
            synchronized (out) {
                return out.toString();
            }
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return INTERRUPTED + " (TLC killed)";
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; nothing to undo
            }
        }
    }

    private static String seconds(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0);
    }

    private void pump(Process p, StringBuilder out) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (out) {
                    out.append(line).append('\n');
                }
                if (config.progress() != null && line.startsWith("Progress(")) {
                    config.progress().accept(line);
                }
            }
        } catch (IOException e) {
            // the child died; what was read so far is all there is
        }
    }

    private static void kill(Process p) {
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
            // a leftover temp dir is harmless; do not turn a verdict into a failure over it
        }
    }
}
