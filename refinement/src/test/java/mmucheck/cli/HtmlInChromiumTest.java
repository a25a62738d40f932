package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTML pages (render --html, spec-doc) loaded in a real browser: Debian's headless Chromium,
 * which .ci/run installs. The DOM Chromium dumps after running the page's script is what a
 * reader sees. Skipped, with the reason, where /usr/bin/chromium is absent.
 */
class HtmlInChromiumTest {
    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path ROOT = Path.of(System.getProperty("mmucheck.root", "..")).toAbsolutePath().normalize();
    private static final long TIMEOUT_SECONDS = 90;

    @BeforeEach
    void needChromium() {
        assumeTrue(Files.isExecutable(CHROMIUM),
                "no /usr/bin/chromium on this machine (CI installs it in .ci/run; apt-get install chromium): headless check skipped");
    }

    @Test
    void renderPageShowsOneLanePerAgent(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("s6.html");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK, Main.run(new String[] {"render",
                ROOT.resolve("spec/src/test/resources/tlc-output/S6_range_end.out").toString(), "--html", html.toString()}, ps, ps));
        Loaded page = load(html, tmp);
        List<String> lanes = new ArrayList<>();
        Matcher m = Pattern.compile("<th class=\"lane\" data-lane=\"([^\"]+)\">").matcher(page.dom());
        while (m.find()) {
            lanes.add(m.group(1));
        }
        assertEquals(List.of("cpu0", "cpu1", "dev0"), lanes);
        // The page's script ran: it selected the violating step (the last) and filled the state panel.
        assertTrue(page.dom().contains("<span id=\"pos\">step 21 of 21</span>"), page.dom());
        assertTrue(page.dom().contains("<h2 id=\"statehead\">State after step 21"), page.dom());
        assertTrue(page.dom().contains("<tr class=\"step mark sel\" id=\"step-21\""), page.dom());
        assertFalse(page.log().contains("Uncaught"), page.log());
    }

    /** A diverging log: the page opens on the diverging step, highlighted, with the verdict at the top. */
    @Test
    void divergingLogPageOpensOnItsMarkedStep(@TempDir Path tmp) throws Exception {
        Path html = tmp.resolve("s45.html");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK, Main.run(new String[] {"render",
                ROOT.resolve("refinement/src/test/resources/logs/S1-no-nested-force-flush-seed45.ndjson").toString(),
                "--html", html.toString()}, ps, ps));
        Loaded page = load(html, tmp);
        assertTrue(page.dom().contains("<tr class=\"step mark sel\" id=\"step-20\""), page.dom());
        assertTrue(page.dom().contains("<h2 id=\"statehead\">State after step 20: tlb_finish_mmu (cpu0)"), page.dom());
        assertTrue(page.dom().contains("<p id=\"constants\">Scenario=S1, cpu_flush=nested"), page.dom());
        assertTrue(page.dom().indexOf("id=\"verdict\"") < page.dom().indexOf("id=\"lanes\""));
        assertFalse(page.log().contains("Uncaught"), page.log());
    }

    @Test
    void specDocPageLoads(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("doc");
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream ps = new PrintStream(sink, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.OK, Main.run(new String[] {"spec-doc", "--out", dir.toString()}, ps, ps));
        Loaded page = load(dir.resolve("index.html"), tmp);
        assertTrue(page.dom().contains("<title>mmucheck spec review</title>"), page.dom());
        assertTrue(page.dom().contains("id=\"Gather.zap_pte_range\""));
        assertTrue(page.dom().contains("<table class=\"verdicts\">"));
        assertFalse(page.log().contains("Uncaught"), page.log());
    }

    /** The DOM after load, and Chromium's log (console messages included). */
    private record Loaded(String dom, String log) {}

    private static Loaded load(Path page, Path tmp) throws Exception {
        Path profile = Files.createTempDirectory(tmp, "chromium-profile");
        Path dom = tmp.resolve("dom-" + page.getFileName() + ".html");
        Path log = tmp.resolve("log-" + page.getFileName() + ".txt");
        Process p = new ProcessBuilder(CHROMIUM.toString(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
                "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--enable-logging=stderr", "--v=0", "--user-data-dir=" + profile, "--dump-dom",
                page.toAbsolutePath().toUri().toString())
                .redirectOutput(dom.toFile()).redirectError(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(
                        Path.of("/dev/null").toFile()))
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            fail("chromium did not finish within " + TIMEOUT_SECONDS + "s on " + page);
        }
        String logText = Files.readString(log, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), logText);
        return new Loaded(Files.readString(dom, StandardCharsets.UTF_8), logText);
    }
}
