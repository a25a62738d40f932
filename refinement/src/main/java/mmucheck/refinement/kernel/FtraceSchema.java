package mmucheck.refinement.kernel;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The events kernel/capture.sh enables and the fields each one prints, with the range each
 * value must lie in for what it is (issue 18). A field outside its range, a missing or an
 * extra field, an unknown event: the line is not one the capture can have written.
 */
final class FtraceSchema {
    /** What a field holds, and so which text is well-formed for it. */
    enum Kind {
        /** a kernel pointer (x64): 0x-hex with the top bit set */
        PTR,
        /** a kernel pointer or NULL */
        PTR_OR_NULL,
        /** any 64-bit value (x64) */
        X64,
        /** a user virtual address (x64), page-aligned, at most TASK_SIZE_MAX of 5-level paging; or ~0 */
        UADDR,
        /** 0 or 1 (u8 flag, bit field) */
        BIT,
        /** tlb_flush_pending, an atomic_t count of gathers in flight (s32, decimal) */
        COUNT,
        /** a CPU mask (x64) of CPUs below the capture's count */
        MASK,
        /** a CPU number (u32, decimal) below the capture's count */
        CPU,
        /** a page frame number (0x-hex) */
        PFN,
        /** a buddy order 0..MAX_ORDER-1 (decimal) */
        ORDER,
        /** the hashed %p of a tracepoint: 16 hex digits, not used */
        HASH,
        /** tlb:tlb_flush's page count: TLB_FLUSH_ALL (-1) or a count of user pages */
        PAGES,
        /** a pid (decimal, 0..PID_MAX_LIMIT) */
        PID,
        /** a scheduler priority (decimal, -1..139) */
        PRIO,
        /** a small decimal (0..2^31-1) */
        SMALL,
        /** free text without spaces (comm, state, gfp flags) */
        TOKEN,
        /** a syscall argument (hex without 0x) */
        XARG
    }

    static final long PID_MAX_LIMIT = 4L * 1024 * 1024; // include/linux/threads.h, 64-bit
    static final long TASK_SIZE_MAX = 1L << 56; // 5-level paging (Debian's kernel runs la57 under -cpu max)
    static final long PFN_LIMIT = 1L << 31; // the view's integers (TLC's are 32-bit); far above any guest's memory
    static final int MAX_ORDER = 11; // include/linux/mmzone.h of 6.1: orders 0..10
    static final int MAX_CPUS = 64; // native_flush_tlb_multi's mask is fetched as one 64-bit word
    static final int MAX_INTEGER_DIGITS = 18; // a timestamp or count that fits a long

    /** enum tlb_flush_reason, arch/x86/include/asm/tlbflush.h of 6.1, with the tracepoint's names. */
    static final List<String> REASONS = List.of("flush on task switch", "remote shootdown", "local shootdown",
            "local mm shootdown", "remote ipi send");

    /** An event: whether it is a kprobe (printed with its probe point), and its fields in order. */
    record Event(String symbol, boolean retprobe, Map<String, Kind> fields) {
        boolean probe() {
            return symbol != null;
        }
    }

    static final Map<String, Event> EVENTS = new LinkedHashMap<>();
    /** Syscall entries (syscalls:sys_enter_*): the arguments ftrace prints, in order. */
    static final Map<String, List<String>> SYSCALLS = new LinkedHashMap<>();

    private static void probe(String name, String symbol, Object... kv) {
        EVENTS.put(name, new Event(symbol, false, fields(kv)));
    }

    private static void tracepoint(String name, Object... kv) {
        EVENTS.put(name, new Event(null, false, fields(kv)));
    }

    private static Map<String, Kind> fields(Object... kv) {
        Map<String, Kind> f = new LinkedHashMap<>();
        for (int k = 0; k < kv.length; k += 2) {
            f.put((String) kv[k], (Kind) kv[k + 1]);
        }
        return f;
    }

    static {
        // kernel/capture.sh's KPROBES
        probe("gather", "tlb_gather_mmu", "tlb", Kind.PTR, "mm", Kind.PTR, "pending", Kind.COUNT);
        probe("gather_fullmm", "tlb_gather_mmu_fullmm", "tlb", Kind.PTR, "mm", Kind.PTR, "pending", Kind.COUNT);
        probe("finish", "tlb_finish_mmu", "tlb", Kind.PTR, "mm", Kind.PTR, "pending", Kind.COUNT, "start", Kind.UADDR, "end", Kind.UADDR);
        EVENTS.put("finish_ret", new Event("tlb_finish_mmu", true, Map.of()));
        probe("queue", "__tlb_remove_page_size", "tlb", Kind.PTR, "page", Kind.PTR, "start", Kind.UADDR, "end", Kind.UADDR, "tables", Kind.BIT,
                "vmemmap", Kind.PTR);
        probe("flush", "flush_tlb_mm_range", "mm", Kind.PTR, "start", Kind.UADDR, "end", Kind.UADDR, "freed", Kind.BIT);
        probe("flush_multi", "native_flush_tlb_multi", "mask", Kind.MASK, "info", Kind.PTR);
        probe("flush_func", "flush_tlb_func", "info", Kind.PTR, "mm", Kind.PTR_OR_NULL, "start", Kind.UADDR, "end", Kind.UADDR,
                "initiator", Kind.CPU);
        probe("mn_register", "__mmu_notifier_register", "sub", Kind.PTR, "mm", Kind.PTR);
        probe("mn_start", "__mmu_notifier_invalidate_range_start", "mm", Kind.PTR, "start", Kind.UADDR, "end", Kind.UADDR);
        probe("mn_end", "__mmu_notifier_invalidate_range_end", "mm", Kind.PTR, "start", Kind.UADDR, "end", Kind.UADDR);
        probe("mn_invalidate", "__mmu_notifier_invalidate_range", "mm", Kind.PTR, "start", Kind.UADDR, "end", Kind.UADDR);
        probe("switch_mm", "switch_mm_irqs_off", "prev", Kind.PTR_OR_NULL, "next", Kind.PTR);
        probe("cow", "wp_page_copy");
        probe("mmdrop", "__mmdrop", "mm", Kind.PTR);
        probe("exit_mm", "exit_mm_release", "tsk", Kind.PTR, "mm", Kind.PTR_OR_NULL);
        EVENTS.put("cow_ret", new Event("wp_page_copy", true, Map.of()));
        // kv2's optional probes of --pageout, --migrate, --ksm (recorded, not yet translated)
        probe("ttu_one", "try_to_unmap_one", "addr", Kind.X64);
        probe("ttu_flush", "try_to_unmap_flush");
        probe("ttu_flush_dirty", "try_to_unmap_flush_dirty");
        probe("batch_flush", "arch_tlbbatch_flush");
        probe("batched_pending", "flush_tlb_batched_pending", "mm", Kind.PTR);
        probe("migrate", "migrate_pages");
        probe("remove_migration_ptes", "remove_migration_ptes");
        probe("ksm_wpp", "write_protect_page");
        probe("ksm_replace", "replace_page");
        // kcap's sites of inlined functions in a built kernel (capture.sh's inline_site):
        // set_tlb_ubc_flush_pending() at its `flush_required = true` store (mm's
        // tlb_flush_batched before the increment), write_protect_page() and replace_page()
        probe("ubc_pending", "try_to_unmap_one", "mm", Kind.PTR, "batched", Kind.X64);
        probe("ksm_wpp_at", "try_to_merge_one_page");
        probe("ksm_replace_at", "try_to_merge_one_page");
        // tracepoints
        tracepoint("tlb_flush", "pages", Kind.PAGES, "reason", Kind.SMALL);
        tracepoint("mm_page_free", "page", Kind.HASH, "pfn", Kind.PFN, "order", Kind.ORDER);
        tracepoint("mm_page_free_batched", "page", Kind.HASH, "pfn", Kind.PFN, "order", Kind.ORDER);
        tracepoint("mm_page_alloc", "page", Kind.HASH, "pfn", Kind.PFN, "order", Kind.ORDER, "migratetype", Kind.SMALL,
                "gfp_flags", Kind.TOKEN);
        tracepoint("sched_switch", "prev_comm", Kind.TOKEN, "prev_pid", Kind.PID, "prev_prio", Kind.PRIO,
                "prev_state", Kind.TOKEN, "next_comm", Kind.TOKEN, "next_pid", Kind.PID, "next_prio", Kind.PRIO);
        tracepoint("tracing_mark_write", "kernel", Kind.TOKEN, "smp", Kind.SMALL, "threads", Kind.SMALL, "iters",
                Kind.SMALL, "fork", Kind.BIT, "notifier", Kind.BIT, "sizeof_page", Kind.SMALL);
        SYSCALLS.put("sys_madvise", List.of("start", "len_in", "behavior"));
        SYSCALLS.put("sys_munmap", List.of("addr", "len"));
        SYSCALLS.put("sys_mmap", List.of("addr", "len", "prot", "flags", "fd", "off"));
        SYSCALLS.put("sys_clone", List.of("clone_flags", "newsp", "parent_tidptr", "child_tidptr", "tls"));
        SYSCALLS.put("sys_mprotect", List.of("start", "len", "prot"));
        SYSCALLS.put("sys_move_pages", List.of("pid", "nr_pages", "pages", "nodes", "status", "flags"));
    }

    /**
     * The events that may run in an interrupt handler on top of whatever task the CPU runs (its
     * pid and comm are that task's): flush_tlb_func() and its tlb:tlb_flush in the flush IPI
     * (arch/x86/mm/tlb.c, with the lazy CPU's switch_mm_irqs_off() to init_mm), page frees and
     * atomic allocations in hardirq or softirq (RCU callbacks), __mmdrop() from an RCU callback.
     * Every other event runs in its task: a hardirq or softirq flag on it is not what 6.1 prints.
     */
    static final java.util.Set<String> MAY_INTERRUPT = java.util.Set.of("flush_func", "tlb_flush", "switch_mm",
            "mm_page_free", "mm_page_free_batched", "mm_page_alloc", "mmdrop");

    /** trace_print_lat_fmt() of 6.1: irqs-off, need-resched, hardirq/softirq/NMI, preempt depth, migrate-disable. */
    private static final Pattern FLAGS = Pattern.compile("[dDbX.][Nnp.][ZzHhs.][0-9a-f.][0-9a-f.]");

    static boolean mayInterrupt(String name) {
        return MAY_INTERRUPT.contains(name);
    }

    /**
     * Why the latency-format column {@code flags} cannot be that of event {@code name} (null when
     * it can). A kprobe of a task-only function may show NMI context ('Z', 'z'): a probe that is
     * not ftrace-based runs in the int3 handler, which enters NMI context (exc_int3(),
     * arch/x86/kernel/traps.c of 6.1); hardirq or softirq it cannot show. A user page (a
     * GFP_HIGHUSER or GFP_USER allocation may sleep) is never allocated in interrupt context.
     */
    static String checkFlags(String name, String flags, String gfp) {
        if (!FLAGS.matcher(flags).matches()) {
            return "flags '" + flags + "' are not ftrace's latency format (irqs-off, need-resched,"
                    + " hardirq/softirq/NMI, preempt depth, migrate-disable)";
        }
        char ctx = flags.charAt(2);
        if (ctx == '.') {
            return null;
        }
        String where = switch (ctx) {
            case 'h' -> "hardirq";
            case 's' -> "softirq";
            case 'H' -> "hardirq inside softirq";
            default -> "NMI";
        };
        if (mayInterrupt(name)) {
            if (name.equals("mm_page_alloc")) {
                for (String g : gfp.split("\\|")) {
                    if (g.startsWith("GFP_HIGHUSER") || g.equals("GFP_USER")) {
                        return "flags '" + flags + "' put a user-page allocation (" + g + ", which may sleep) in "
                                + where + " context";
                    }
                }
            }
            return null;
        }
        Event ev = EVENTS.get(name);
        boolean probe = ev != null && ev.probe();
        if (probe && (ctx == 'Z' || ctx == 'z')) {
            return null;
        }
        return "flags '" + flags + "' put it in " + where + " context, where it never runs";
    }

    private static final Pattern HEX = Pattern.compile("0x[0-9a-f]{1,16}");
    private static final Pattern DEC = Pattern.compile("-?[0-9]{1," + MAX_INTEGER_DIGITS + "}");
    private static final Pattern HASH16 = Pattern.compile("[0-9a-f]{16}");
    private static final Pattern XARG16 = Pattern.compile("[0-9a-f]{1,16}");

    private FtraceSchema() {}

    /**
     * Why value v is not a well-formed field of kind k (null when it is). cpus bounds CPU
     * numbers and masks (0: not known yet, checked once the count is known).
     */
    static String check(Kind k, String v, int cpus) {
        switch (k) {
            case PTR, PTR_OR_NULL, UADDR, MASK, PFN, X64 -> {
                if (!HEX.matcher(v).matches()) {
                    return "is not a 0x-hexadecimal 64-bit value";
                }
                long x = Long.parseUnsignedLong(v.substring(2), 16);
                return switch (k) {
                    case PTR -> x < 0 ? null : "is not a kernel pointer";
                    case PTR_OR_NULL -> x < 0 || x == 0 ? null : "is not a kernel pointer or NULL";
                    case UADDR -> x == -1L || (x >= 0 && x <= TASK_SIZE_MAX && (x & 4095) == 0) ? null
                            : "is not a page-aligned user address (at most 0x" + Long.toHexString(TASK_SIZE_MAX)
                                    + ") nor TLB_FLUSH_ALL";
                    case MASK -> cpus == 0 || cpus >= 64 || (x >>> cpus) == 0 ? null
                            : "names a CPU beyond the capture's " + cpus;
                    case PFN -> x >= 0 && x < PFN_LIMIT ? null : "is beyond any page frame the view can name (0x"
                            + Long.toHexString(PFN_LIMIT) + ")";
                    default -> null;
                };
            }
            case HASH -> {
                // (____ptrval____): what %p prints before the kernel's pointer hashing is ready
                // (the built tinyconfig kernels' captures); the view reads the pfn, not the pointer
                return HASH16.matcher(v).matches() || v.equals("(____ptrval____)") ? null
                        : "is not a hashed pointer (16 hex digits)";
            }
            case XARG -> {
                return XARG16.matcher(v).matches() ? null : "is not a hexadecimal argument";
            }
            case TOKEN -> {
                return v.isEmpty() ? "is empty" : null;
            }
            default -> {
                if (!DEC.matcher(v).matches()) {
                    return "is not a decimal integer";
                }
                long x = Long.parseLong(v);
                return switch (k) {
                    case BIT -> x == 0 || x == 1 ? null : "is not 0 or 1";
                    case COUNT -> x >= 0 && x <= PID_MAX_LIMIT ? null : "is not a count of gathers in flight (0.."
                            + PID_MAX_LIMIT + ")";
                    case CPU -> x >= 0 && (cpus == 0 ? x < MAX_CPUS : x < cpus) ? null
                            : cpus == 0 ? "is beyond " + MAX_CPUS + " CPUs" : "is not a CPU of the capture (0.." + (cpus - 1) + ")";
                    case ORDER -> x >= 0 && x < MAX_ORDER ? null : "is not a buddy order (0.." + (MAX_ORDER - 1) + ")";
                    case PAGES -> x == -1 || (x >= 0 && x <= TASK_SIZE_MAX >> 12) ? null
                            : "is neither TLB_FLUSH_ALL (-1) nor a count of user pages";
                    case PID -> x >= 0 && x <= PID_MAX_LIMIT ? null : "is not a pid (0.." + PID_MAX_LIMIT + ")";
                    case PRIO -> x >= -1 && x <= 139 ? null : "is not a scheduler priority (-1..139)";
                    case SMALL -> x >= 0 && x <= Integer.MAX_VALUE ? null : "is out of range (0.." + Integer.MAX_VALUE + ")";
                    default -> null;
                };
            }
        }
    }
}
