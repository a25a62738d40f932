package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mmucheck.refinement.report.SpecDoc;
import mmucheck.spec.model.BadInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpecDocCommandTest {
    private static final Path ROOT = Path.of(System.getProperty("mmucheck.root", "..")).toAbsolutePath().normalize();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void realSpecPage(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("doc");
        assertEquals(ExitCode.OK, run("spec-doc", "--out", dir.toString()), err.toString(StandardCharsets.UTF_8));
        String page = Files.readString(dir.resolve("index.html"));
        assertTrue(page.contains("<title>mmucheck spec review</title>"));

        // Every module of MMU's EXTENDS chain, and KernelView, with its header comment.
        for (String m : new String[] {"MMU", "Properties", "Protocol", "Ksm", "Rmap", "Gather", "Cow", "PageTable",
                "Notifier", "MMState", "Scenarios", "KernelView"}) {
            assertTrue(page.contains("<section class=\"module\" id=\"" + m + "\">"), m);
        }
        assertTrue(page.contains("mmucheck&#39;s top module") || page.contains("mmucheck's top module: the PT lock"));

        // zap_pte_range: its source, its kernel function (v4.13) and the Java method in impl.
        String zap = section(page, "Gather.zap_pte_range");
        assertTrue(zap.contains("href=\"https://elixir.bootlin.com/linux/v4.13/A/ident/zap_pte_range\""), zap);
        int line = declLine(ROOT.resolve("impl/src/main/java/mmucheck/impl/mm/Zap.java"), "void zap_pte_range(");
        assertTrue(zap.contains(">impl/src/main/java/mmucheck/impl/mm/Zap.java#L" + line + "</a>"), zap);
        assertTrue(zap.contains("<pre class=\"src\">zap_pte_range(c) =="), zap);
        // An action done inside a larger Java method links to where impl logs that step.
        String pi = section(page, "Ksm.pages_identical");
        assertTrue(pi.contains("logged at <a class=\"java\""), pi);
        assertTrue(pi.contains(">impl/src/main/java/mmucheck/impl/mm/Rmap.java#L"), pi);
        // KernelView's actions link to 6.1, and a _return step to the function it returns from.
        assertTrue(section(page, "KernelView.tlb_finish_mmu_return")
                .contains("href=\"https://elixir.bootlin.com/linux/v6.1/A/ident/tlb_finish_mmu\""));
        // A CamelCase helper action gets no kernel link.
        assertTrue(section(page, "MMState.Goto").contains("spec helper, not a kernel function"));
        // The ACTION_CONSTRAINT EvictionFree primes variables, yet is a constraint, not an action.
        assertFalse(page.contains("<div class=\"action\" id=\"MMU.EvictionFree\">"));
        assertTrue(page.contains("<h3>Constraints</h3>\n<div class=\"constraint\" id=\"MMU.EvictionFree\">"), page);
        // A definition that primes nothing is not an action.
        assertFalse(page.contains("id=\"Gather.GatherStep\""));

        // Invariants with their meaning.
        assertTrue(Pattern.compile("<dt id=\"Properties.NoStaleAfterReturn\">NoStaleAfterReturn</dt>\n<dd><p class=\"meaning\">"
                + "When MADV_DONTNEED returns, a TLB still maps a page its own zap_pte_range\\(\\) saw unmapped: the caller")
                .matcher(page).find());
        assertTrue(page.contains("<dt id=\"KernelView.NestedFlushBeforeReturn\">"));

        // Every manifest model is a row.
        JsonNode models = new ObjectMapper().readTree(ROOT.resolve("spec/models/manifest.json").toFile()).path("models");
        assertTrue(models.size() > 10);
        for (JsonNode m : models) {
            assertTrue(page.contains("<tr class=\"model\" data-model=\"" + m.path("name").asText() + "\"><td>"
                    + m.path("name").asText() + "</td><td>" + m.path("scenario").asText() + "</td>"), m.path("name").asText());
        }
        assertEquals(models.size(), page.split("<tr class=\"model\"").length - 1);

        // Self-contained: no src attribute, script, stylesheet link or import; the only absolute
        // URLs are the kernel links, which the page never loads.
        assertFalse(Pattern.compile("(?i)(\\ssrc\\s*=|<link|@import|<script|url\\()").matcher(page).find());
        Matcher href = Pattern.compile("(?i)href\\s*=\\s*\"([^\"]*)\"").matcher(page);
        int kernel = 0;
        while (href.find()) {
            String h = href.group(1);
            if (h.matches("(?i)(https?:)?//.*")) {
                assertTrue(h.startsWith("https://elixir.bootlin.com/linux/v"), h);
                kernel++;
            }
        }
        assertTrue(kernel > 50, "kernel links: " + kernel);
    }

    @Test
    void missingSpecModuleIsOneLineExit2(@TempDir Path tmp) throws Exception {
        Files.createDirectories(tmp.resolve("spec/tla"));
        Files.writeString(tmp.resolve("spec/tla/MMU.tla"), "---- MODULE MMU ----\nEXTENDS Properties\n====\n");
        Files.writeString(tmp.resolve("spec/tla/Properties.tla"), "---- MODULE Properties ----\n====\n");
        BadInputException e = org.junit.jupiter.api.Assertions.assertThrows(BadInputException.class,
                () -> SpecDoc.render(tmp, tmp.resolve("out")));
        assertEquals("spec/tla/KernelView.tla: cannot read spec module (NoSuchFileException: " + tmp.resolve("spec/tla/KernelView.tla") + ")",
                e.getMessage());

        String old = System.getProperty("mmucheck.root");
        System.setProperty("mmucheck.root", tmp.toString());
        try {
            assertEquals(ExitCode.USAGE, run("spec-doc", "--out", tmp.resolve("out").toString()));
        } finally {
            System.setProperty("mmucheck.root", old);
        }
        String msg = err.toString(StandardCharsets.UTF_8);
        assertTrue(msg.startsWith("mmucheck spec-doc: spec/tla/KernelView.tla: cannot read spec module"), msg);
        assertEquals(1, msg.lines().count(), msg);
        assertFalse(Files.exists(tmp.resolve("out/index.html")));
    }

    @Test
    void usage() {
        assertEquals(ExitCode.USAGE, run("spec-doc"));
        assertTrue(err.toString(StandardCharsets.UTF_8).contains("usage: mmucheck spec-doc --out DIR"));
    }

    /** The HTML of one action (from its div to the next), by its id Module.name. */
    private static String section(String page, String id) {
        int from = page.indexOf("<div class=\"action\" id=\"" + id + "\">");
        assertTrue(from >= 0, id);
        int to = page.indexOf("</div>", from);
        return page.substring(from, to);
    }

    private static int declLine(Path file, String decl) throws Exception {
        var lines = Files.readAllLines(file);
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(decl)) {
                return i + 1;
            }
        }
        throw new AssertionError(decl + " not in " + file);
    }
}
