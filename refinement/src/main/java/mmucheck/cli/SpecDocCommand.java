package mmucheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.report.SpecDoc;
import mmucheck.spec.model.BadInputException;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** {@code spec-doc --out DIR}: the spec-review page DIR/index.html (see {@link SpecDoc}). */
final class SpecDocCommand implements Command {
    @Override
    public String summary() {
        return "the spec-review page: actions, kernel and Java links, invariants, verdicts";
    }

    @Override
    public String synopsis() {
        return "--out DIR";
    }

    @Override
    public Options options() {
        return Cli.options(Cli.valued("out", "DIR", "where to write index.html (made if missing)"));
    }

    @Override
    public int execute(CommandLine cl, PrintStream out, PrintStream err) throws UsageException {
        Cli.noArguments(cl);
        Path dir = Path.of(Cli.required(cl, "out"));
        String page;
        try {
            page = SpecDoc.render(Paths.root(), dir);
        } catch (BadInputException e) {
            throw UsageException.badInput(e.getMessage());
        }
        Path index = dir.resolve("index.html");
        try {
            Files.createDirectories(dir);
            Files.writeString(index, page);
        } catch (IOException e) {
            throw UsageException.badInput("cannot write " + index + ": " + e.getClass().getSimpleName());
        }
        err.println("spec-doc: wrote " + index);
        return ExitCode.OK;
    }
}
