package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** tlc-server, tlc-worker and check --distributed: their bad arguments are one-line usage errors. */
class DistributedCommandsTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() { return err.toString(StandardCharsets.UTF_8); }

    @Test
    void serverNeedsOneKnownModel() {
        assertEquals(ExitCode.USAGE, run("tlc-server"));
        assertEquals("mmucheck tlc-server: missing MODEL\n"
                + "usage: mmucheck tlc-server MODEL [--address A] [--port P] [--workers N] [--timeout S] (mmucheck tlc-server --help)\n", err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("tlc-server", "no_such_model"));
        assertEquals("mmucheck tlc-server: no model 'no_such_model' in spec/models/manifest.json\n", err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("tlc-server", "mixed_1", "--port", "70000"));
        assertEquals("mmucheck tlc-server: --port must be in 1..65535, not 70000\n"
                + "usage: mmucheck tlc-server MODEL [--address A] [--port P] [--workers N] [--timeout S] (mmucheck tlc-server --help)\n", err());
    }

    @Test
    void workerNeedsTheServersAddress() {
        assertEquals(ExitCode.USAGE, run("tlc-worker"));
        assertEquals("mmucheck tlc-worker: missing SERVER\n"
                + "usage: mmucheck tlc-worker SERVER [--address A] [--port P] [--threads T] (mmucheck tlc-worker --help)\n", err());
        err.reset();
        assertEquals(ExitCode.USAGE, run("tlc-worker", "127.0.0.1", "--threads", "x"));
        assertEquals("mmucheck tlc-worker: --threads needs a number, not 'x'\n"
                + "usage: mmucheck tlc-worker SERVER [--address A] [--port P] [--threads T] (mmucheck tlc-worker --help)\n", err());
    }

    @Test
    void checkDistributedTakesWorkerJvms() {
        assertEquals(ExitCode.USAGE, run("check", "mixed_1", "--distributed", "--workers", "0"));
        assertEquals("mmucheck check: --workers must be in 1..64, not 0\n"
                + "usage: mmucheck check [MODEL...] [--cfg FILE] [--scenario S [--variant K=V,...] [--mixed-seed N]] [--out-dir DIR] [--json] [--workers N] [--all] [--full] [--width N] [--timeout S] [--tlc-heap SIZE] [--distributed] (mmucheck check --help)\n", err());
    }
}
