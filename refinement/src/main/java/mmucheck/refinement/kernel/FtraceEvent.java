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
 */
public record FtraceEvent(int line, String comm, int pid, int cpu, long time, String name, boolean exit,
        Map<String, String> fields, String text) {

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
