package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import mmucheck.refinement.report.TraceFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 17: refine --html/--itf writes the steps to a divergence with the divergence marked. */
class RefineArtefactsTest {
    @TempDir
    Path tmp;

    @Test
    void divergenceAsHtmlAndItfWithTheDivergenceMarked() throws Exception {
        Path html = tmp.resolve("d.html");
        Path itf = tmp.resolve("d.itf.json");
        Toy.Run r = Toy.cli("refine", Toy.log("diverges.ndjson").toString(), "--html", html.toString(), "--itf", itf.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains("refine: wrote " + html + " (step "), r.err());
        assertTrue(r.err().contains(" is the diverging step, as logged)"), r.err());
        String page = Files.readString(html);
        assertTrue(page.contains("diverging step, as logged"), "title names the diverging step");
        assertTrue(page.contains("diverges at line"), "the verdict and its diagnosis end the page");
        TraceFile t = TraceFile.read(itf, null);
        assertTrue(t.ending().contains("diverging step, as logged"), t.ending());
        assertTrue(t.ending().contains("diverges at line"), t.ending());
        assertFalse(t.trace().steps().isEmpty());
    }

    @Test
    void aLogThatRefinesWritesNothingAndSaysSo() {
        Path html = tmp.resolve("r.html");
        Toy.Run r = Toy.cli("refine", Toy.log("refines.ndjson").toString(), "--html", html.toString());
        assertEquals(0, r.code(), r.err());
        assertFalse(Files.exists(html));
        assertTrue(r.err().contains("refines, no failure to write"), r.err());
    }
}
