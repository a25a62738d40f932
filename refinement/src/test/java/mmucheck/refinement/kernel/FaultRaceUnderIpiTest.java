package mmucheck.refinement.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.StringReader;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 19's false alarm on paths-smp2-t3-i12 (ftrace lines 457-484): a flush IPI landing inside
 * a page fault is not the faulting task going on, so the page its lost fault race frees was
 * never mapped. The same free after a task-context event of the task is still a free of a mapped
 * page without a gather; and a hardirq flag faked on a task-only event is bad input.
 */
class FaultRaceUnderIpiTest {
    @TempDir
    Path tmp;

    // Task 90 (CPU0) and 91 (CPU1) run mm bb; 91 zaps a page and flushes it on both CPUs; 90 is
    // in a fault (its allocation of pfn 0x5 at 7) when the IPI arrives.
    static final String HEAD = """
                  <idle>-0       [000] d..2.   1: sched_switch: prev_comm=swapper/0 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=mmuwork next_pid=90 next_prio=120
                  <idle>-0       [000] d..2.   2: switch_mm: (switch_mm_irqs_off+0x0/0x470) prev=0xffff8880000000aa next=0xffff8880000000bb
                  <idle>-0       [000] d..2.   3: tlb_flush: pages:-1 reason:flush on task switch (0)
                  <idle>-0       [001] d..2.   4: sched_switch: prev_comm=swapper/1 prev_pid=0 prev_prio=120 prev_state=R ==> next_comm=mmuwork next_pid=91 next_prio=120
                  <idle>-0       [001] d..2.   5: switch_mm: (switch_mm_irqs_off+0x0/0x470) prev=0xffff8880000000aa next=0xffff8880000000bb
                 mmuwork-91      [001] ...1.   6: sys_madvise(start: 7f0000000000, len_in: 1000, behavior: 4)
                 mmuwork-90      [000] .....   7: mm_page_alloc: page=0000000051c3aeb5 pfn=0x5 order=0 migratetype=1 gfp_flags=GFP_HIGHUSER_MOVABLE|__GFP_COMP|__GFP_ZERO
                 mmuwork-91      [001] .....   8: gather: (tlb_gather_mmu+0x0/0x90) tlb=0xffffc900000000d0 mm=0xffff8880000000bb pending=0
                 mmuwork-91      [001] ...1.   9: queue: (__tlb_remove_page_size+0x0/0x90) tlb=0xffffc900000000d0 page=0xffffea0001000040 start=0x7f0000000000 end=0x7f0000001000 tables=0 vmemmap=0xffffea0001000000
                 mmuwork-91      [001] .....  10: finish: (tlb_finish_mmu+0x0/0x180) tlb=0xffffc900000000d0 mm=0xffff8880000000bb pending=1 start=0x7f0000000000 end=0x7f0000001000
                 mmuwork-91      [001] .....  11: flush: (flush_tlb_mm_range+0x0/0x170) mm=0xffff8880000000bb start=0x7f0000000000 end=0x7f0000001000 freed=0
                 mmuwork-91      [001] ...1.  12: flush_multi: (native_flush_tlb_multi+0x0/0x100) mask=0x3 info=0xffff8880000000f0
                 mmuwork-91      [001] d..2.  13: flush_func: (flush_tlb_func+0x0/0x1f0) info=0xffff8880000000f0 mm=0xffff8880000000bb start=0x7f0000000000 end=0x7f0000001000 initiator=1
                 mmuwork-91      [001] d..2.  14: tlb_flush: pages:1 reason:local mm shootdown (3)
                 mmuwork-90      [000] dNh1.  15: flush_func: (flush_tlb_func+0x0/0x1f0) info=0xffff8880000000f0 mm=0xffff8880000000bb start=0x7f0000000000 end=0x7f0000001000 initiator=1
                 mmuwork-90      [000] dNh1.  16: tlb_flush: pages:1 reason:remote shootdown (1)
            """;
    static final String RACE_FREE = """
                 mmuwork-90      [000] .N.1.  17: mm_page_free: page=0000000051c3aeb5 pfn=0x5 order=0
                 mmuwork-91      [001] .....  18: finish_ret: (zap_page_range_single+0x123/0x1a0 <- tlb_finish_mmu)
                 mmuwork-91      [001] ...1.  19: sys_madvise -> 0x0
            """;
    // the task went on (a system call of its own) before the page is freed: mapped, no gather
    static final String WENT_ON = """
                 mmuwork-90      [000] ...1.  17: sys_mprotect(start: 7f0000001000, len: 1000, prot: 1)
                 mmuwork-90      [000] .N.1.  18: mm_page_free: page=0000000051c3aeb5 pfn=0x5 order=0
            """;

    private static FtraceParser.Result parse(String trace) throws IOException {
        return FtraceParser.parse(new BufferedReader(new StringReader(trace)), "mini");
    }

    private KernelCheck.Report check(String trace, String name) throws IOException {
        FtraceParser.Result r = parse(trace);
        assertTrue(r.ok(), r.error());
        return KernelCheck.run(r.events(), name, tmp.resolve(name), 100, KernelTraces.env(), 0,
                KernelCheck.Route.IN_PROCESS);
    }

    @Test
    void faultRaceFreeUnderAFlushIpiIsNoFreeWithoutAGather() throws IOException {
        KernelCheck.Report r = check(HEAD + RACE_FREE, "race");
        assertEquals(TlcTraceCheck.Kind.HOLDS, r.kind(), String.join("\n", r.diagnosis()));
    }

    @Test
    void theSameFreeAfterTheTaskWentOnIsStillAFreeWithoutAGather() throws IOException {
        KernelCheck.Report r = check(HEAD + WENT_ON, "went-on");
        String d = String.join("\n", r.diagnosis());
        assertEquals(TlcTraceCheck.Kind.NOT_A_STEP, r.kind(), d);
        assertTrue(d.contains("pfn 0x5 was faulted in by task 90 of mm 1 (mm_page_alloc at ftrace line 7) and is freed"
                + " without going through a gather"), d);
    }

    @Test
    void aHardirqFlagFakedOnATaskOnlyEventIsBadInput() throws IOException {
        String faked = (HEAD + WENT_ON).replace("mmuwork-90      [000] ...1.  17: sys_mprotect",
                "mmuwork-90      [000] d.h1.  17: sys_mprotect");
        FtraceParser.Result r = parse(faked);
        assertFalse(r.ok());
        assertEquals("mini:17: sys_mprotect: flags 'd.h1.' put it in hardirq context, where it never runs", r.error());
        // a kprobe of a task-only function may show NMI (an int3 kprobe) but not hardirq
        String gather = HEAD.replace("mmuwork-91      [001] .....   8: gather", "mmuwork-91      [001] ..s..   8: gather");
        assertEquals("mini:8: gather: flags '..s..' put it in softirq context, where it never runs", parse(gather).error());
        // a user page is never allocated in an interrupt
        String alloc = HEAD.replace("mmuwork-90      [000] .....   7: mm_page_alloc", "mmuwork-90      [000] d.h..   7: mm_page_alloc");
        assertEquals("mini:7: mm_page_alloc: flags 'd.h..' put a user-page allocation (GFP_HIGHUSER_MOVABLE, which may sleep)"
                + " in hardirq context", parse(alloc).error());
        assertTrue(parse(HEAD.replace("d..2.   2: switch_mm", "d.Z2.   2: switch_mm")).ok(), "an int3 kprobe: NMI");
        assertEquals("mini:1: sched_switch: flags 'd..2' are not ftrace's latency format (irqs-off, need-resched,"
                + " hardirq/softirq/NMI, preempt depth, migrate-disable)",
                parse(HEAD.replace("d..2.   1: sched_switch", "d..2    1: sched_switch")).error());
    }
}
