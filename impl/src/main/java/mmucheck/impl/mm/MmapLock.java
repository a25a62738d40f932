package mmucheck.impl.mm;

/**
 * mm->mmap_lock, a rw-semaphore: page faults, madvise(), KSM and get_user_pages() hold it for
 * reading, mprotect() for writing. Only the baton holder runs, so plain counts suffice; the
 * scheduler's guards ask {@link #readable()} / {@link #free()} before an agent may take it
 * (the spec reads the same off the code points: MMState's MmapReadable, MmapFree).
 */
final class MmapLock {
    private int readers;
    private Task writer;

    boolean readable() { return writer == null; }

    boolean free() { return writer == null && readers == 0; }

    void mmap_read_lock() {
        if (writer != null) throw new IllegalStateException("mmap_read_lock while " + writer + " holds it for writing");
        readers++;
    }

    void mmap_read_unlock() { readers--; }

    void mmap_write_lock(Task t) {
        if (!free()) throw new IllegalStateException("mmap_write_lock while held");
        writer = t;
    }

    void mmap_write_unlock() { writer = null; }
}
