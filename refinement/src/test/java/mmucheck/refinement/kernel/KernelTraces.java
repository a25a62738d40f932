package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** The captured traces checked into kernel/traces, parsed once per test JVM. */
final class KernelTraces {
    static final String ZAP = "zap-smp2-t3-i12.txt.gz";
    static final String NOTIFIER = "notifier-smp2-t3-i12.txt.gz";
    static final String FORK = "fork-smp2-t3-i12.txt.gz";
    /** 58,267 events; the lazy-TLB switch race at ftrace lines 10700-10880 (LazyTlbSwitchTest). */
    static final String LAZY = "lazy-smp2-t3-i450.txt.gz";
    /** Debian's kernel with --mprotect --madv-free --migrate --ksm (issue 13 section 2). */
    static final String PATHS = "paths-smp2-t3-i12.txt.gz";
    /** Debian's kernel with --fork --notifier: CoW faults under KVM's MMU notifier. */
    static final String COW_NOTIFIER = "cow-notifier-smp2-t3-i12.txt.gz";
    /** Linux 6.1 built by kernel/build-kernel.sh, unchanged (variant nobug). */
    static final String BUILT_NOBUG = "nobug-nested-6.1-smp2.txt.gz";
    /** The same kernel with tlb_finish_mmu()'s mm_tlb_flush_nested() forcing removed. */
    static final String BUILT_BUG = "bug-no-nested-flush-6.1-smp2.txt.gz";
    private static final Map<String, List<FtraceEvent>> CACHE = new ConcurrentHashMap<>();

    private KernelTraces() {}

    static Path root() {
        return Path.of(System.getProperty("mmucheck.root", "../"));
    }

    static Path file(String name) {
        return root().resolve("kernel").resolve("traces").resolve(name);
    }

    static List<FtraceEvent> events(String name) {
        return CACHE.computeIfAbsent(name, n -> {
            FtraceParser.Result r = FtraceParser.read(file(n));
            assertTrue(r.ok(), r.error());
            return r.events();
        });
    }

    static KernelCheck.Env env() {
        return KernelCheck.Env.fromSystem();
    }
}
