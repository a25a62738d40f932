package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** Human-readable output pinned by files under src/test/resources/golden (-Dmmucheck.golden.update=true rewrites). */
final class Golden {
    private Golden() {}

    static void assertMatches(String name, List<String> lines) {
        // timings vary run to run: the time line is pinned by shape only
        String got = String.join("\n", lines.stream()
                .map(l -> l.startsWith("time: ") ? l.replaceAll("[0-9]+\\.[0-9]", "N.N") : l).toList()) + "\n";
        Path file = Path.of("src", "test", "resources", "golden", name);
        try {
            if (Boolean.getBoolean("mmucheck.golden.update")) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, got);
            }
            assertEquals(Files.readString(file), got, "golden " + file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
