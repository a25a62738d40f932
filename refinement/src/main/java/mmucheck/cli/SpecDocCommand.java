package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.report.SpecDoc;
import mmucheck.spec.model.BadInputException;

/** {@code spec-doc --out DIR}: the spec-review page DIR/index.html (see {@link SpecDoc}). */
final class SpecDocCommand implements Command {
    private static final String USAGE = "usage: mmucheck spec-doc --out DIR";

    @Override
    public String summary() {
        return "the spec-review page: actions, kernel and Java links, invariants, verdicts";
    }

    @Override
    public int run(String[] args, PrintStream out, PrintStream err) throws UsageException {
        if (args.length != 2 || !args[0].equals("--out")) {
            throw new UsageException(USAGE);
        }
        Path dir = Path.of(args[1]);
        String page;
        try {
            page = SpecDoc.render(Paths.root(), dir);
        } catch (BadInputException e) {
            throw new UsageException(e.getMessage());
        }
        Path index = dir.resolve("index.html");
        try {
            Files.createDirectories(dir);
            Files.writeString(index, page);
        } catch (IOException e) {
            throw new UsageException("cannot write " + index + ": " + e.getClass().getSimpleName());
        }
        err.println("spec-doc: wrote " + index);
        return ExitCode.OK;
    }
}
