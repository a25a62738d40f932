package mmucheck.refinement.report;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Golden files under src/test/resources/golden. A changed rendering is a reviewed golden update:
 * run the tests with {@code -Dgolden.update=true}, then read the diff before committing.
 */
public final class Golden {
    private static final Path DIR = Path.of("src/test/resources/golden");

    private Golden() {}

    public static void assertGolden(String name, String actual) throws IOException {
        Path f = DIR.resolve(name);
        if (Boolean.getBoolean("golden.update") || !Files.exists(f) && Boolean.getBoolean("golden.create")) {
            Files.createDirectories(f.getParent());
            Files.writeString(f, actual);
        }
        if (!Files.exists(f)) {
            throw new AssertionError("golden file " + f + " is missing; create it with -Dgolden.create=true");
        }
        assertEquals(Files.readString(f), actual, "differs from golden " + f);
    }
}
