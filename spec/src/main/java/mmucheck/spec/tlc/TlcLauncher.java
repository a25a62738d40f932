package mmucheck.spec.tlc;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The one way mmucheck forks TLC's command line ({@code tlc2.TLC}) in a JVM of its own, for
 * model checking (ModelRunner), the {@code --via-tlc} route (TlcCliRoute) and the KernelView
 * trace check (TlcTraceCheck). A forked JVM because TLC keeps process-global statics and calls
 * {@code System.exit} (TLC-NOTES.md).
 *
 * <p>Every fork gets the same things: this JVM's own {@code java} binary, a private
 * {@code java.io.tmpdir} (TLC unpacks its standard modules there, and concurrent JVMs race on a
 * shared one) and a private {@code -metadir} (two runs in the same second collide on
 * {@code states/}), both under the fork's work directory; UTF-8 output; the output captured
 * (stdout and stderr together, line by line, each line also handed to a listener); a timeout,
 * after which the child and its descendants are killed, as they are on interrupt and when this
 * JVM exits. The result is a value ({@link Result}): how the fork ended, TLC's exit status,
 * the output, wall and CPU seconds. Nothing here throws for a failed run.
 */
public final class TlcLauncher {
    private static final long POLL_MILLIS = 50;

    private TlcLauncher() {}

    /** How a fork ended. */
    public enum Status {
        /** TLC exited by itself; {@link Result#exitCode} is its status (see {@link Result#tlcStatus}). */
        EXITED,
        /** TLC (exited or not) reported that Java ran out of memory. */
        OUT_OF_MEMORY,
        /** Killed after the timeout. */
        TIMED_OUT,
        /** This thread was interrupted; the child was killed. */
        INTERRUPTED,
        /** The JVM could not be started (no java binary, no such directory ...); see {@link Result#error}. */
        NOT_STARTED
    }

    /** TLC's exit status, by kind (tlc2.output.EC.ExitStatus). */
    public enum TlcStatus {
        /** 0: no error found. */
        SUCCESS,
        /** 10-14: an assumption, deadlock, safety, liveness or assert violation. */
        VIOLATION,
        /** 75-77: evaluating the spec, an invariant or a property failed. */
        EVALUATION_FAILURE,
        /** 150-151: the spec or the config does not parse. */
        PARSE_ERROR,
        /** 152, 153, 255 and anything else: a state space too large, a system or internal error. */
        ERROR
    }

    /**
     * One fork. {@code jvmFlags}: the child JVM's flags (heap, collector, JIT, stack size) before
     * the ones every fork gets; {@code classPath}: TLC's jar first, then anything else the child
     * needs (operator overrides); {@code tlcArgs}: TLC's options and the spec, after
     * {@code -metadir}; {@code directory}: where the child runs (TLC resolves the spec and
     * {@code -config} there); {@code work}: the fork's private directory (tmp/ and meta/ are
     * made there; the caller owns and deletes it); {@code onLine}: each output line as it comes
     * (may be null); {@code javaBinary}: null for this JVM's own.
     */
    public record Fork(List<String> jvmFlags, List<Path> classPath, List<String> tlcArgs, Path directory, Path work,
            Duration timeout, Consumer<String> onLine, Path javaBinary) {
        public Fork {
            jvmFlags = List.copyOf(jvmFlags);
            classPath = List.copyOf(classPath);
            tlcArgs = List.copyOf(tlcArgs);
        }

        public static Fork of(List<String> jvmFlags, List<Path> classPath, List<String> tlcArgs, Path directory,
                Path work, Duration timeout) {
            return new Fork(jvmFlags, classPath, tlcArgs, directory, work, timeout, null, null);
        }

        public Fork withOnLine(Consumer<String> l) {
            return new Fork(jvmFlags, classPath, tlcArgs, directory, work, timeout, l, javaBinary);
        }

        public Fork withJavaBinary(Path java) {
            return new Fork(jvmFlags, classPath, tlcArgs, directory, work, timeout, onLine, java);
        }
    }

    /**
     * How a fork ended. {@code exitCode}: the child's exit status, -1 when it did not exit by
     * itself (timed out, interrupted, not started); {@code output}: what it printed (also when
     * killed: what came before); {@code cpuSeconds}: the child's CPU time, sampled while it ran
     * (-1 when the platform does not report it); {@code error}: for NOT_STARTED, why.
     */
    public record Result(Status status, int exitCode, String output, double seconds, double cpuSeconds,
            String error) {
        /** TLC's exit status by kind; null unless the child exited by itself. */
        public TlcStatus tlcStatus() {
            if (status != Status.EXITED && status != Status.OUT_OF_MEMORY) {
                return null;
            }
            return statusOf(exitCode);
        }

        /** One line for a fork that did not end by itself (timeout, interrupt, not started), else null. */
        public String failure(Duration timeout) {
            return switch (status) {
                case TIMED_OUT -> "timed out after " + shown(timeout) + " (TLC killed)";
                case INTERRUPTED -> "interrupted (TLC killed)";
                case NOT_STARTED -> "cannot run TLC: " + error;
                default -> null;
            };
        }
    }

    /** TLC's exit status by kind. */
    public static TlcStatus statusOf(int exitCode) {
        if (exitCode == 0) {
            return TlcStatus.SUCCESS;
        }
        if (exitCode >= 10 && exitCode <= 14) {
            return TlcStatus.VIOLATION;
        }
        if (exitCode >= 75 && exitCode <= 77) {
            return TlcStatus.EVALUATION_FAILURE;
        }
        if (exitCode == 150 || exitCode == 151) {
            return TlcStatus.PARSE_ERROR;
        }
        return TlcStatus.ERROR;
    }

    /** The child's command line. */
    public static List<String> command(Fork f) {
        Path javaBin = f.javaBinary() != null ? f.javaBinary() : Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> cp = new ArrayList<>();
        for (Path p : f.classPath()) {
            cp.add(p.toAbsolutePath().toString());
        }
        Path work = f.work().toAbsolutePath();
        List<String> cmd = new ArrayList<>();
        cmd.add(javaBin.toString());
        cmd.addAll(f.jvmFlags());
        // Absolute: the child runs in another directory, and a relative tmpdir would resolve there.
        cmd.add("-Djava.io.tmpdir=" + work.resolve("tmp"));
        cmd.add("-Dfile.encoding=UTF-8");
        cmd.add("-cp");
        cmd.add(String.join(java.io.File.pathSeparator, cp));
        cmd.add("tlc2.TLC");
        cmd.add("-metadir");
        cmd.add(work.resolve("meta").toString());
        cmd.addAll(f.tlcArgs());
        return cmd;
    }

    /** Runs the fork to its end (or its timeout). Never throws. */
    public static Result run(Fork f) {
        long t0 = System.nanoTime();
        Process p;
        try {
            Files.createDirectories(f.work().resolve("tmp"));
            p = new ProcessBuilder(command(f)).directory(f.directory().toAbsolutePath().toFile())
                    .redirectErrorStream(true).start();
        } catch (IOException | RuntimeException e) {
            return new Result(Status.NOT_STARTED, -1, "", secs(t0), -1, String.valueOf(e.getMessage()));
        }
        Thread killer = new Thread(() -> kill(p), "mmucheck-tlc-kill");
        Runtime.getRuntime().addShutdownHook(killer);
        StringBuilder out = new StringBuilder();
        Thread reader = new Thread(() -> pump(p, out, f.onLine()), "mmucheck-tlc-output");
        reader.setDaemon(true);
        reader.start();
        double cpu = -1;
        Status status;
        try {
            long deadline = t0 + f.timeout().toNanos();
            while (!p.waitFor(POLL_MILLIS, TimeUnit.MILLISECONDS)) {
                // The child's CPU time is readable only while it lives: sample it.
                double c = p.toHandle().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(-1.0);
                cpu = Math.max(cpu, c);
                if (System.nanoTime() - deadline > 0) {
                    break;
                }
            }
            if (p.isAlive()) {
                kill(p);
                status = Status.TIMED_OUT;
            } else {
                status = Status.EXITED;
            }
            reader.join(10_000);
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            status = Status.INTERRUPTED;
        } finally {
            try {
                Runtime.getRuntime().removeShutdownHook(killer);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or will run; nothing to undo
            }
        }
        String output;
        synchronized (out) {
            output = out.toString();
        }
        int exit = status == Status.EXITED ? p.exitValue() : -1;
        if (status == Status.EXITED && outOfMemory(output)) {
            status = Status.OUT_OF_MEMORY;
        }
        return new Result(status, exit, output, secs(t0), cpu, null);
    }

    /** Whether TLC's output says Java ran out of memory (TLC catches the error and reports it). */
    static boolean outOfMemory(String output) {
        return output.contains("java.lang.OutOfMemoryError") || output.contains("ran out of memory");
    }

    private static void pump(Process p, StringBuilder out, Consumer<String> onLine) {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                synchronized (out) {
                    out.append(line).append('\n');
                }
                if (onLine != null) {
                    onLine.accept(line);
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

    private static double secs(long t0) {
        return (System.nanoTime() - t0) / 1e9;
    }

    /** A duration as the messages show it: "600 s", "0.2 s". */
    static String shown(Duration d) {
        long ms = d.toMillis();
        return ms % 1000 == 0 ? (ms / 1000) + " s" : String.format(Locale.ROOT, "%.1f s", ms / 1000.0);
    }
}
