package mmucheck.spec.tlc;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Runs TLC on one model in a forked JVM and returns its {@link Verdict}.
 *
 * <p>Forked by {@link TlcLauncher} (a private tmpdir and metadir, killed on timeout, on
 * interrupt and when this JVM exits); the run's directory is deleted afterwards.
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
        } catch (IOException e) {
            return Verdict.error("cannot create a temporary directory: " + e.getMessage(), 0);
        }
        try {
            TlcLauncher.Result r = TlcLauncher.run(fork(specDir, module, cfg, work));
            if (saveOutput != null) {
                try {
                    Files.writeString(saveOutput, r.output(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    return Verdict.error(saveOutput + ": cannot write: " + e.getMessage(),
                            (System.nanoTime() - t0) / 1e9);
                }
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            String failure = r.failure(config.timeout());
            if (failure != null) {
                return Verdict.error(ctx.show(cfg) + ": " + failure, seconds);
            }
            return VerdictReader.read(TlcOutput.parse(r.output()), ctx, seconds);
        } finally {
            deleteTree(work);
        }
    }

    /** The fork: TLC on {@code module} with {@code cfg}, in work's private directories. */
    private TlcLauncher.Fork fork(Path specDir, String module, Path cfg, Path work) {
        Consumer<String> progress = config.progress() == null ? null : line -> {
            if (line.startsWith("Progress(")) {
                config.progress().accept(line);
            }
        };
        return TlcLauncher.Fork.of(
                List.of("-Xmx" + config.maxHeap(), "-XX:+UseParallelGC",
                        config.quickJit() ? "-XX:TieredStopAtLevel=1" : "-XX:+TieredCompilation"),
                List.of(config.tlcJar()),
                List.of("-tool", "-workers", Integer.toString(config.workers()),
                        // TLC resolves -config against the spec's directory (an absolute path is
                        // not found), so the child runs there and gets the relative path.
                        "-config", specDir.toAbsolutePath().normalize().relativize(cfg.toAbsolutePath().normalize())
                                .toString(),
                        module),
                specDir, work, config.timeout()).withOnLine(progress);
    }

    /** The command line of the child JVM (visible for tests). */
    List<String> command(Path specDir, String module, Path cfg, Path work) {
        return TlcLauncher.command(fork(specDir, module, cfg, work));
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
