package mmucheck.refinement.report;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * What a property means, from the spec itself: the {@code \*} comment lines right above
 * {@code Name ==} in the spec's modules (STYLE.md asks for one on every invariant).
 */
public final class PropertyMeaning {
    private PropertyMeaning() {}

    /** The comment as one sentence, or null when the spec has none (or cannot be read). */
    public static String of(Path specDir, String name) {
        if (name == null || specDir == null || !Files.isDirectory(specDir)) {
            return null;
        }
        try (Stream<Path> files = Files.list(specDir)) {
            for (Path f : files.filter(p -> p.toString().endsWith(".tla")).sorted().toList()) {
                List<String> lines = Files.readAllLines(f);
                for (int i = 0; i < lines.size(); i++) {
                    if (lines.get(i).matches("^" + java.util.regex.Pattern.quote(name) + "\\s*(\\(.*\\))?\\s*==.*")) {
                        List<String> comment = new ArrayList<>();
                        for (int j = i - 1; j >= 0 && lines.get(j).strip().startsWith("\\*"); j--) {
                            comment.add(0, lines.get(j).strip().substring(2).strip());
                        }
                        return comment.isEmpty() ? null : String.join(" ", comment);
                    }
                }
            }
        } catch (IOException e) {
            return null;
        }
        return null;
    }
}
