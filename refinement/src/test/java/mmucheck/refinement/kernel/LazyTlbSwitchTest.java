package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.StringReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The first capture KernelView rejected (smp2-t3-i450, ftrace lines 10700-10880): CPU0 entered
 * switch_mm_irqs_off() from lazy TLB mode, CPU1's shootdown skipped it (it still read is_lazy),
 * freed the pages, and CPU0's flush on task switch (tlb_gen behind) came 78 events later. The
 * view used to apply that flush at the switch's entry; a switch is now a window that ends at its
 * TLB_FLUSH_ON_TASK_SWITCH tracepoint or at the CPU's next event.
 */
class LazyTlbSwitchTest {
    @TempDir
    Path tmp;

    // CPU1's thread blocks (CPU1 goes lazy) and is woken: switch_mm_irqs_off() entry at 8; CPU0
    // zaps a page with mm_cpumask {0,1}, but only CPU0 runs flush_tlb_func (CPU1 was lazy);
    // CPU1's switch ends at 21 with the flush that tlb_gen demands.
    static final String TRACE = """
                  <idle>-0       [000] d..2.   1: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=mmuwork next_pid=90 next_prio=120
                  <idle>-0       [000] d..2.   2: switch_mm: (switch_mm_irqs_off+0x0/0x470) prev=0xffff8880000000aa next=0xffff8880000000bb
                  <idle>-0       [000] d..2.   3: tlb_flush: pages:-1 reason:flush on task switch (0)
                  <idle>-0       [001] d..2.   4: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=mmuwork next_pid=91 next_prio=120
                  <idle>-0       [001] d..2.   5: switch_mm: (switch_mm_irqs_off+0x0/0x470) prev=0xffff8880000000aa next=0xffff8880000000bb
                 mmuwork-91      [001] d..2.   6: sched_switch: prev_comm=mmuwork prev_pid=91 prev_prio=120 prev_state=D ==> next_comm=swapper/1 next_pid=0 next_prio=120
                  <idle>-0       [001] d..2.   7: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=mmuwork next_pid=91 next_prio=120
                  <idle>-0       [001] d..2.   8: switch_mm: (switch_mm_irqs_off+0x0/0x470) prev=0xffff8880000000bb next=0xffff8880000000bb
                 mmuwork-90      [000] ...1.   9: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)
                 mmuwork-90      [000] .....  10: gather: (tlb_gather_mmu+0x0/0x90) tlb=0xffffc900000000c0 mm=0xffff8880000000bb pending=0
                 mmuwork-90      [000] ...1.  11: queue: (__tlb_remove_page_size+0x0/0x90) tlb=0xffffc900000000c0 page=0xffffea0001000040 start=0x7f0000000000 end=0x7f0000001000 tables=0 vmemmap=0xffffea0001000000
                 mmuwork-90      [000] .....  12: finish: (tlb_finish_mmu+0x0/0x180) tlb=0xffffc900000000c0 mm=0xffff8880000000bb pending=1 start=0x7f0000000000 end=0x7f0000001000
                 mmuwork-90      [000] .....  13: flush: (flush_tlb_mm_range+0x0/0x170) mm=0xffff8880000000bb start=0x7f0000000000 end=0x7f0000001000 freed=0
                 mmuwork-90      [000] ...1.  14: flush_multi: (native_flush_tlb_multi+0x0/0x100) mask=0x3 info=0xffff8880000000f0
                 mmuwork-90      [000] d..2.  15: flush_func: (flush_tlb_func+0x0/0x1f0) info=0xffff8880000000f0 mm=0xffff8880000000bb start=0x7f0000000000 end=0x7f0000001000 initiator=0
                 mmuwork-90      [000] d..2.  16: tlb_flush: pages:1 reason:local mm shootdown (3)
                 mmuwork-90      [000] .....  17: mm_page_free: page=00000000deadbeef pfn=0x1 order=0
                 mmuwork-90      [000] ...2.  18: mm_page_free_batched: page=00000000deadbeef pfn=0x1 order=0
                 mmuwork-90      [000] .....  19: finish_ret: (zap_page_range_single+0x123/0x1a0 <- tlb_finish_mmu)
                 mmuwork-90      [000] ...1.  20: sys_madvise -> 0x0
                  <idle>-0       [001] d..2.  21: tlb_flush: pages:-1 reason:flush on task switch (0)
                 mmuwork-91      [001] ...1.  22: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)
            """;

    private KernelCheck.Report check(String trace, KernelCheck.Route route) throws java.io.IOException {
        FtraceParser.Result r = FtraceParser.parse(new BufferedReader(new StringReader(trace)), "lazy");
        assertTrue(r.ok(), r.error());
        return KernelCheck.run(r.events(), "lazy", tmp.resolve(route.name()), 100, KernelTraces.env(), 0, route);
    }

    @Test
    void cpuSkippedAsLazyFlushesAtTheEndOfItsSwitch_smp2_t3_i450() throws java.io.IOException {
        for (KernelCheck.Route route : KernelCheck.Route.values()) {
            KernelCheck.Report r = check(TRACE, route);
            assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), route + ": " + String.join("\n", r.diagnosis()));
        }
    }

    @Test
    void aSwitchThatEndsWithoutTheFlushTlbGenDemandsIsAUseAfterFree() throws java.io.IOException {
        // the same switch, but switch_mm_irqs_off() found tlb_gen up to date (pages:0): CPU1
        // resumes its thread with the freed page's translation that no flush removed
        String bad = TRACE.replace("21: tlb_flush: pages:-1", "21: tlb_flush: pages:0");
        List<String> d = null;
        for (KernelCheck.Route route : KernelCheck.Route.values()) {
            KernelCheck.Report r = check(bad, route);
            assertEquals(TlcTraceCheck.Kind.VIOLATION, r.kind(), route + ": " + String.join("\n", r.diagnosis()));
            if (d != null) {
                assertEquals(d, r.diagnosis(), "both routes give the same diagnosis");
            }
            d = r.diagnosis();
        }
        assertEquals(List.of(
                "seq 17 switch_mm_irqs_off_return(c=1, flushed=false) violates NoFreedPageReachable: A page was freed"
                        + " while a CPU that runs its mm may still hold its translation (or, for a page table, walk it"
                        + " from a lazy CPU): that CPU can still load and store through the freed page (use-after-free).",
                "  at ftrace line 21: <idle>-0 [001] d..2. 21: tlb_flush: pages:0 reason:flush on task switch (0)",
                "  CPU1 returned from switch_mm_irqs_off() without a flush on task switch into mm 1 and may still cache"
                        + " pfn 0x1: no flush_tlb_func covering it ran there after __tlb_remove_page_size at seq 9"
                        + " (ftrace line 11)"), d);
    }
}
