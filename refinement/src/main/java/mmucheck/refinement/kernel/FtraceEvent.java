package mmucheck.refinement.kernel;

import java.util.Map;

/**
 * One line of ftrace's text output ({@code /sys/kernel/tracing/trace}).
 *
 * @param line   1-based line number in the trace text (for diagnoses)
 * @param comm   task name
 * @param pid    task id
 * @param cpu    CPU the event was recorded on
 * @param time   timestamp (trace clock "counter": a global event count)
 * @param name   event name: a kprobe event name (gather, queue, ...), a tracepoint
 *               name (tlb_flush, mm_page_free, sched_switch, ...) or a syscall
 *               (sys_madvise, with {@link #exit} telling entry from return)
 * @param exit   for syscall events: true for the return ("sys_x -> 0x0")
 * @param fields the event's key=value (or key:value) fields
 * @param text   the raw line
 * @param flags  the latency-format column (kernel/trace/trace_output.c, trace_print_lat_fmt() of
 *               6.1): irqs-off, need-resched, hardirq/softirq/NMI, preempt depth, migrate-disable
 *               (e.g. {@code d.h1.}: an event of an interrupt handler on top of task {@link #pid})
 */
public record FtraceEvent(int line, String comm, int pid, int cpu, long time, String name, boolean exit,
        Map<String, String> fields, String text, String flags) {

    /** The hardirq/softirq/NMI column: '.' task context, 'h' hardirq, 's' softirq, 'H' both, 'z'/'Z' NMI. */
    public char context() {
        return flags.length() > 2 ? flags.charAt(2) : '.';
    }

    /**
     * The event ran in an interrupt handler on top of its task (an IPI's flush_tlb_func, a
     * softirq's page free), so it says nothing about where the task itself is: an event that
     * can run there ({@link FtraceSchema#mayInterrupt}) with a hardirq, softirq or NMI flag.
     * A kprobe of a task-only function flagged NMI is the int3 handler of the probe (exc_int3()
     * enters NMI context, arch/x86/kernel/traps.c): the probed function runs in the task.
     */
    public boolean interrupt() {
        return context() != '.' && FtraceSchema.mayInterrupt(name);
    }

    /** A hexadecimal or decimal field as an unsigned 64-bit value (kept in a long). */
    public long num(String key) {
        String v = fields.get(key);
        if (v == null) {
            throw new IllegalArgumentException(line + ": " + name + ": field " + key + " is missing");
        }
        try {
            if (v.startsWith("0x")) {
                return Long.parseUnsignedLong(v.substring(2), 16);
            }
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(line + ": " + name + ": field " + key + "=" + v + " is not a number");
        }
    }

    public boolean has(String key) {
        return fields.containsKey(key);
    }

    public String str(String key) {
        String v = fields.get(key);
        return v == null ? "" : v;
    }
}
