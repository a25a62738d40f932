package mmucheck.impl.mm;

/**
 * The page allocator: hands out the lowest free frame (the spec's MinFree), so a freed
 * frame is reused soon, and frees a page when put_page() drops its last reference.
 */
public final class PageAllocator {
    private final Frame[] frames;
    /** Told of every page freed (the run-time watch checks no translation still reaches it). */
    java.util.function.Consumer<Frame> onFree = f -> {};

    PageAllocator(int nframe, int[] ref) {
        frames = new Frame[nframe + 1];
        for (int i = 1; i <= nframe; i++) {
            frames[i] = new Frame(i);
            frames[i].refcount = ref[i - 1];
            frames[i].free = ref[i - 1] == 0;
        }
    }

    public Frame frame(int pfn) { return frames[pfn]; }

    public int nframe() { return frames.length - 1; }

    public boolean hasFree() {
        for (int i = 1; i < frames.length; i++) if (frames[i].free) return true;
        return false;
    }

    /** alloc_page(): the lowest free frame, with one reference; null when memory is out. */
    public Frame alloc_page() {
        for (int i = 1; i < frames.length; i++) {
            Frame f = frames[i];
            if (f.free) {
                f.free = false;
                f.refcount = 1;
                return f;
            }
        }
        return null;
    }

    public void get_page(Frame f) { f.refcount++; }

    /** put_page(): the last reference frees the page (and what was copied of it is moot). */
    public void put_page(Frame f) {
        if (f.refcount <= 0) throw new IllegalStateException("put_page of page " + f.pfn + " with refcount " + f.refcount);
        if (--f.refcount == 0) {
            f.free = true;
            f.copied = -1;
            onFree.accept(f);
        }
    }
}
