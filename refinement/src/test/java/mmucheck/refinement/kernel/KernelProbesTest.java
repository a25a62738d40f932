package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * kernel/probes.sh without qemu (issue 19): kprobes are registered one at a time, so one
 * rejected probe is named and the ones after it survive, and the capture's health check fails
 * on a rejected required probe with one line naming it. Runs the functions under /bin/sh (POSIX,
 * as the guest's busybox ash), with kprobe_write replaced by a fake kprobe_events that rejects
 * the probes on a given symbol.
 */
class KernelProbesTest {
    private static final Path PROBES = Path.of("..", "kernel", "probes.sh").toAbsolutePath().normalize();
    private static final String DEFS = String.join("\n",
            "p:kv/gather tlb_gather_mmu tlb=%di mm=%si",
            "p:kv/flush_func flush_tlb_func info=%di",
            "",
            "?p:kv/ubc set_tlb_ubc_flush_pending mm=%di",
            "r:kv/finish_ret tlb_finish_mmu");

    @TempDir
    Path tmp;

    record Run(int rc, String out) {}

    /** Runs script under /bin/sh with probes.sh sourced and a fake rejecting the given symbols. */
    private Run sh(String script, String... rejected) throws IOException, InterruptedException {
        StringBuilder fake = new StringBuilder("kprobe_write() {\n  case \"$2\" in\n");
        for (String s : rejected) {
            fake.append("    *\" ").append(s).append(" \"*|*\" ").append(s).append("\") return 1 ;;\n");
        }
        fake.append("  esac\n  echo \"$2\" >> \"$1\"\n}\n");
        Path f = tmp.resolve("run.sh");
        Files.writeString(f, ". '" + PROBES + "'\n" + fake + script + "\n");
        Process p = new ProcessBuilder("/bin/sh", f.toString()).directory(tmp.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Run(p.waitFor(), out);
    }

    private Run register(String... rejected) throws IOException, InterruptedException {
        Files.writeString(tmp.resolve("defs"), DEFS + "\n");
        return sh("register_probes events < defs", rejected);
    }

    @Test
    void everyProbeIsRegisteredOnItsOwn() throws Exception {
        Run r = register();
        assertEquals(0, r.rc(), r.out());
        assertEquals(List.of("CAPTURE: kprobe registered kv/gather tlb_gather_mmu",
                "CAPTURE: kprobe registered kv/flush_func flush_tlb_func",
                "CAPTURE: kprobe registered kv/ubc set_tlb_ubc_flush_pending",
                "CAPTURE: kprobe registered kv/finish_ret tlb_finish_mmu"), r.out().lines().toList());
        // appended one per line, the optional marker stripped
        assertEquals(List.of("p:kv/gather tlb_gather_mmu tlb=%di mm=%si", "p:kv/flush_func flush_tlb_func info=%di",
                "p:kv/ubc set_tlb_ubc_flush_pending mm=%di", "r:kv/finish_ret tlb_finish_mmu"),
                Files.readAllLines(tmp.resolve("events")));
    }

    @Test
    void aRejectedProbeIsNamedAndTheLaterOnesSurvive() throws Exception {
        Run r = register("flush_tlb_func");
        assertEquals(1, r.rc(), r.out());
        assertEquals("CAPTURE: kprobe rejected kv/flush_func flush_tlb_func", r.out().lines().toList().get(1));
        assertEquals(List.of("p:kv/gather tlb_gather_mmu tlb=%di mm=%si", "p:kv/ubc set_tlb_ubc_flush_pending mm=%di",
                "r:kv/finish_ret tlb_finish_mmu"), Files.readAllLines(tmp.resolve("events")));
    }

    @Test
    void aRejectedOptionalProbeDoesNotFail() throws Exception {
        Run r = register("set_tlb_ubc_flush_pending");
        assertEquals(0, r.rc(), r.out());
        assertEquals("CAPTURE: kprobe optional-rejected kv/ubc set_tlb_ubc_flush_pending", r.out().lines().toList().get(2));
    }

    @Test
    void theHealthCheckNamesTheRejectedProbe() throws Exception {
        Run r = register("flush_tlb_func", "tlb_finish_mmu");
        Files.writeString(tmp.resolve("console.log"), "[    1.0] booting\r\n" + r.out().replace("\n", "\r\n")
                + "CAPTURE: workload exit 0\r\n");
        Run h = sh("probe_health console.log");
        assertEquals(1, h.rc(), h.out());
        assertEquals("kprobe kv/flush_func (flush_tlb_func) was rejected by kprobe_events (2 required probe(s) missing;"
                + " see console.log)\n", h.out());
    }

    @Test
    void theHealthCheckPassesAHealthyConsoleAndFailsAnEmptyOne() throws Exception {
        Files.writeString(tmp.resolve("console.log"), register().out());
        Run ok = sh("probe_health console.log");
        assertEquals(0, ok.rc(), ok.out());
        assertEquals("", ok.out());
        Files.writeString(tmp.resolve("empty.log"), "Kernel panic\n");
        Run bad = sh("probe_health empty.log");
        assertEquals(1, bad.rc(), bad.out());
        assertEquals("no kprobe was registered (see empty.log)\n", bad.out());
    }

    @Test
    void theHealthCheckFailsAnEventThatCannotBeEnabled() throws Exception {
        Files.writeString(tmp.resolve("console.log"), register().out() + "CAPTURE: cannot enable syscalls/sys_enter_madvise\n");
        Run h = sh("probe_health console.log");
        assertEquals(1, h.rc(), h.out());
        assertEquals("cannot enable syscalls/sys_enter_madvise (see console.log)\n", h.out());
    }
}
