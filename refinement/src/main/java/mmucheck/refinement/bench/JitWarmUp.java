package mmucheck.refinement.bench;

import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;

/**
 * A benchmark's warm-up: a pass repeated until the JIT has compiled nothing new for a while,
 * so the measured runs see compiled code (both {@code bench simulate} and {@code bench refine}).
 * Where the JVM cannot report compilation time, the quiet time counts from the start.
 */
public final class JitWarmUp {
    private JitWarmUp() {}

    /** One pass of the workload being warmed. */
    public interface Pass<E extends Exception> {
        void run() throws E;
    }

    /**
     * Repeats {@code pass} at least {@code minPasses} times and until the JIT's total
     * compilation time has not moved for {@code quietMillis}, at most {@code maxSeconds};
     * returns the seconds it took.
     */
    public static <E extends Exception> double run(Pass<E> pass, int minPasses, long quietMillis, long maxSeconds)
            throws E {
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        boolean timed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long t0 = System.nanoTime();
        long quietSince = t0;
        long lastJit = timed ? jit.getTotalCompilationTime() : 0;
        int passes = 0;
        while (System.nanoTime() - t0 < maxSeconds * 1_000_000_000L) {
            pass.run();
            passes++;
            long now = System.nanoTime();
            long j = timed ? jit.getTotalCompilationTime() : 0;
            if (j != lastJit) {
                lastJit = j;
                quietSince = now;
            } else if (passes >= minPasses && now - quietSince >= quietMillis * 1_000_000L) {
                break;
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
