package mmucheck.spec.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every Linux commit cited in the spec, the docs and the comments is one of
 * src/test/resources/kernel-commits.tsv, with that commit's title and first release wherever
 * the text gives them: a wrong id-title pair (Gather.tla once gave 99baac21e458 the title of
 * 3ea277194daa) fails the build.
 */
class CitationsTest {
    private static final Path ROOT = Path.of("..");
    /** A 12-hex commit id; then, optionally, ("title"[, vX.Y]) or , vX.Y. */
    private static final Pattern CITE = Pattern.compile(
            "\\b([0-9a-f]{12})\\b(?:\\s*\\(\\s*\"([^\"]+)\"(?:\\s*,\\s*(v\\d+\\.\\d+))?|,\\s*(v\\d+\\.\\d+)\\b)?");

    record Commit(String release, String title) {}

    static Map<String, Commit> table() throws IOException {
        Map<String, Commit> m = new LinkedHashMap<>();
        for (String line : Files.readAllLines(Path.of("src/test/resources/kernel-commits.tsv"))) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t");
            m.put(f[0], new Commit(f[1], f[2]));
        }
        return m;
    }

    /** A file's text with comment framing removed and lines joined, so a title may wrap. */
    static String prose(String text) {
        StringBuilder b = new StringBuilder();
        for (String line : text.split("\n")) {
            String t = line.strip();
            t = t.replaceFirst("^(\\(\\*+|\\\\\\*+|/\\*\\*?|\\*|//|#+)", "").replaceFirst("\\*+\\)$", "");
            b.append(t.strip()).append(' ');
        }
        return b.toString().replaceAll("\\s+", " ");
    }

    /** The problems with the citations in one text (file: its name in messages). */
    static List<String> check(String file, String text, Map<String, Commit> table) {
        List<String> out = new ArrayList<>();
        Matcher m = CITE.matcher(prose(text));
        while (m.find()) {
            String id = m.group(1);
            Commit c = table.get(id);
            if (c == null) {
                out.add(file + ": " + id + " is not in kernel-commits.tsv");
                continue;
            }
            if (m.group(2) != null && !m.group(2).strip().equals(c.title())) {
                out.add(file + ": " + id + " is titled \"" + m.group(2).strip() + "\", its title is \"" + c.title() + "\"");
            }
            String release = m.group(3) != null ? m.group(3) : m.group(4);
            if (release != null && !release.equals(c.release())) {
                out.add(file + ": " + id + " is said to be in " + release + ", it is first in " + c.release());
            }
        }
        return out;
    }

    static List<Path> citingFiles() throws IOException {
        List<Path> files = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("kernel/README.md")));
        for (String dir : List.of("spec/tla", "spec/models", "docs", "spec/src/main", "impl/src/main",
                "refinement/src/main")) {
            try (Stream<Path> s = Files.walk(ROOT.resolve(dir))) {
                s.filter(p -> p.toString().matches(".*\\.(tla|cfg|md|java)$")).sorted().forEach(files::add);
            }
        }
        return files;
    }

    @Test
    void everyCitedCommitHasItsTitleAndRelease() throws IOException {
        Map<String, Commit> table = table();
        List<String> problems = new ArrayList<>();
        int cited = 0;
        for (Path f : citingFiles()) {
            String text = Files.readString(f, StandardCharsets.UTF_8);
            cited += CITE.matcher(prose(text)).results().count();
            problems.addAll(check(ROOT.relativize(f).toString(), text, table));
        }
        assertEquals(List.of(), problems);
        assertTrue(cited > 20, "citations found: " + cited);
    }

    @Test
    void aWrongTitleAWrongReleaseAndAnUnknownIdAreCaught() throws IOException {
        Map<String, Commit> table = table();
        // Gather.tla's header as it was: 99baac21e458 with 3ea277194daa's title, wrapped in a box.
        String gather = """
                (* cpu_flush = "nested": 99baac21e458 ("mm: mprotect: flush TLB if         *)
                (*   potentially racing with a parallel reclaim leaving stale TLB          *)
                (*   entries" / nested flush), when mm_tlb_flush_nested() (pending > 1)    *)
                """;
        assertEquals(List.of("Gather.tla: 99baac21e458 is titled \"mm: mprotect: flush TLB if potentially racing with"
                + " a parallel reclaim leaving stale TLB entries\", its title is \"mm: fix MADV_[FREE|DONTNEED] TLB"
                + " flush miss problem\""),
                check("Gather.tla", gather, table));
        assertEquals(List.of("M.tla: 4a18419f71cd is said to be in v6.0, it is first in v5.19"),
                check("M.tla", "(* mmu_gather since 4a18419f71cd, v6.0; shared *)", table));
        assertEquals(List.of("X.java: 0123456789ab is not in kernel-commits.tsv"),
                check("X.java", " * before 0123456789ab (\"mm: something\")", table));
        assertEquals(List.of(), check("G.tla", "(* 99baac21e458 (\"mm: fix MADV_[FREE|DONTNEED] TLB   *)\n"
                + "(*   flush miss problem\", v4.13): when *)", table));
    }
}
