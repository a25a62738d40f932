package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        assertEquals(ExitCode.USAGE, run("frobnicate"));
        String e = err.toString(StandardCharsets.UTF_8);
        assertEquals("mmucheck: unknown command 'frobnicate' (try: mmucheck --help)\n", e);
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        assertEquals(ExitCode.USAGE, run());
        assertTrue(err.toString(StandardCharsets.UTF_8).startsWith("usage: mmucheck COMMAND"));
    }
}
