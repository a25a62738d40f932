package mmucheck.refinement;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 4 section 6: every kind of bad input is one line naming the line number, exit 2. */
class BadInputTest {
    @TempDir
    Path tmp;

    private List<String> good() throws IOException {
        return new ArrayList<>(Files.readAllLines(Toy.log("refines.ndjson"), StandardCharsets.UTF_8));
    }

    /** Writes {@code lines} (joined by newlines, final newline unless raw) and runs refine. */
    private Toy.Run refine(String content) throws IOException {
        Path p = tmp.resolve("log.ndjson");
        Files.writeString(p, content, StandardCharsets.UTF_8);
        return assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Toy.cli("refine", p.toString()));
    }

    private static String join(List<String> lines) {
        return String.join("\n", lines) + "\n";
    }

    private Toy.Run edit(int index, UnaryOperator<String> f) throws IOException {
        List<String> l = good();
        l.set(index, f.apply(l.get(index)));
        return refine(join(l));
    }

    /** One line on stderr, naming the file and line, with the expected words; no stack trace. */
    private static void assertBad(Toy.Run r, int line, String words) {
        assertEquals(2, r.code(), r.out() + r.err());
        assertEquals("", r.out());
        assertEquals(1, r.err().lines().count(), r.err());
        assertTrue(r.err().contains("log.ndjson:" + line + ": "), r.err());
        assertTrue(r.err().contains(words), r.err());
        assertFalse(r.err().contains("Exception") || r.err().contains("\tat "), r.err());
    }

    @Test
    void truncatedLastLine() throws IOException {
        List<String> l = good();
        String last = l.remove(l.size() - 1);
        Toy.Run r = refine(String.join("\n", l) + "\n" + last.substring(0, last.length() / 2));
        assertBad(r, 8, "truncated line");
    }

    @Test
    void missingEndLineIsATruncatedLog() throws IOException {
        List<String> l = good();
        l.remove(l.size() - 1);
        assertBad(refine(join(l)), 8, "log truncated: no end line");
    }

    @Test
    void lineThatIsNotJson() throws IOException {
        assertBad(edit(3, s -> "tlb_fill c1 1"), 4, "not JSON");
    }

    @Test
    void unknownAction() throws IOException {
        assertBad(edit(3, s -> s.replace("\"tlb_fill\"", "\"tlb_refill\"")), 4, "unknown action 'tlb_refill'");
    }

    @Test
    void wrongArity() throws IOException {
        assertBad(edit(3, s -> s.replace("\"args\":{\"c\":\"c1\",\"va\":1}", "\"args\":{\"c\":\"c1\"}")), 4,
                "action tlb_fill takes (c, va)");
    }

    @Test
    void wrongArgumentType() throws IOException {
        assertBad(edit(3, s -> s.replace("\"va\":1}", "\"va\":\"one\"}")), 4, "outside the model's sets");
    }

    @Test
    void nonIntegerNumber() throws IOException {
        assertBad(edit(3, s -> s.replace("\"va\":1}", "\"va\":1.5}")), 4, "not an integer");
    }

    @Test
    void valueOutsideTheModelsSets() throws IOException {
        assertBad(edit(2, s -> s.replace("\"pte\":[10,0]", "\"pte\":[99,0]")), 3,
                "value outside the model's sets: pte \\in [VAs -> Frames \\cup {0}] is false");
    }

    @Test
    void argumentOutsideTheModelsSets() throws IOException {
        assertBad(edit(3, s -> s.replace("\"c\":\"c1\"", "\"c\":\"c7\"")), 4, "arguments of tlb_fill outside");
    }

    @Test
    void missingHeader() throws IOException {
        List<String> l = good();
        l.remove(0);
        assertBad(refine(join(l)), 1, "missing header");
    }

    @Test
    void wrongVersion() throws IOException {
        assertBad(edit(0, s -> s.replace("\"version\":1", "\"version\":2")), 1, "unsupported log version 2");
    }

    @Test
    void emptyFile() throws IOException {
        assertBad(refine(""), 1, "empty file");
    }

    @Test
    void hugeSingleLineIsRefusedWithoutReadingItAll() throws IOException {
        Path p = tmp.resolve("log.ndjson");
        List<String> l = good();
        try (Writer w = Files.newBufferedWriter(p, StandardCharsets.UTF_8)) {
            w.write(l.get(0) + "\n" + l.get(1) + "\n{\"seq\":1,\"action\":\"tlb_fill\",\"pad\":[");
            String chunk = "1,".repeat(4096);
            for (int i = 0; i < 2100; i++) { // about 17 MB, above the 16 MiB cap
                w.write(chunk);
            }
            w.write("1]}\n");
        }
        Toy.Run r = assertTimeoutPreemptively(Duration.ofSeconds(60), () -> Toy.cli("refine", p.toString()));
        assertBad(r, 3, "line longer than");
    }

    @Test
    void logForAnotherSpec() throws IOException {
        assertBad(edit(0, s -> s.replace("\"spec\":\"Toy\"", "\"spec\":\"Paxos\"")), 1, "no spec module 'Paxos'");
    }

    @Test
    void stateOfAnotherSpec() throws IOException {
        assertBad(edit(1, s -> s.replace("\"pte\":", "\"ballot\":")), 2, "'ballot' is not a variable of spec Toy");
    }

    @Test
    void headerConstantTheSpecLacks() throws IOException {
        assertBad(edit(0, s -> s.replace("\"Bug\":false", "\"Bugs\":false")), 1,
                "header constant 'Bugs' is not declared by spec Toy (its constants: ");
    }

    @Test
    void seqOutOfOrder() throws IOException {
        assertBad(edit(3, s -> s.replace("\"seq\":2", "\"seq\":3")), 4, "seq 3 out of order");
    }

    @Test
    void twoObjectsOnOneLine() throws IOException {
        assertBad(edit(3, s -> s + " {}"), 4, "more than one JSON value");
    }

    @Test
    void stateLackingAVariableInAFullLog() throws IOException {
        assertBad(edit(3, s -> s.replaceAll(",\"refs\":\\{[^}]*\\}", "")), 4, "state lacks variable(s) refs");
    }
}
