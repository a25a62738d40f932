package mmucheck.refinement;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.cli.Main;
import mmucheck.refinement.bench.ToyWalk;
import mmucheck.refinement.check.RefinementChecker;
import mmucheck.refinement.check.Verdict;

/** Test fixture: the toy spec in a temp directory, logs from resources, the CLI as a function. */
public final class Toy {
    public static final Path SPEC_DIR;

    static {
        try {
            SPEC_DIR = ToyWalk.extractSpec(Files.createTempDirectory("toy-spec-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private Toy() {}

    public static RefinementChecker.Options options() {
        return RefinementChecker.Options.defaults().withSpecDir(SPEC_DIR);
    }

    /** One checker for the whole test run: it keeps the parsed spec between logs. */
    private static final RefinementChecker SHARED = new RefinementChecker(options());

    /** Checks with the shared checker (main test thread only: a checker is not thread-safe). */
    public static synchronized Verdict check(Path log) {
        return SHARED.check(log);
    }

    /** A log from src/test/resources/logs. */
    public static Path log(String name) {
        try {
            return Path.of(Toy.class.getResource("/logs/" + name).toURI());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String golden(String name) throws IOException {
        try (var in = Toy.class.getResourceAsStream("/golden/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    /**
     * A spec directory under {@code tmp} holding one module, {@code text}, and its cfg (INIT
     * Init, NEXT Next, INVARIANTS {@code invariants}): for tests with a spec of their own.
     */
    public static Path specDir(Path tmp, String module, String text, String invariants) throws IOException {
        Path dir = tmp.resolve("spec");
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(module + ".tla"), text, StandardCharsets.UTF_8);
        Files.writeString(dir.resolve(module + ".cfg"), "INIT Init\nNEXT Next\nINVARIANTS " + invariants + "\n",
                StandardCharsets.UTF_8);
        return dir;
    }

    /** A generated walk written to a temp file. */
    public static Path walk(ToyWalk.Config c, Path dir, String name) throws IOException {
        Path p = dir.resolve(name);
        ToyWalk.write(c, p);
        return p;
    }

    /** Runs the command line; returns exit code, stdout, stderr. */
    public record Run(int code, String out, String err) {}

    public static Run cli(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String[] all = new String[args.length + 2];
        System.arraycopy(args, 0, all, 0, args.length);
        all[args.length] = "--spec-dir";
        all[args.length + 1] = SPEC_DIR.toString();
        int code = Main.run(all, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }
}
