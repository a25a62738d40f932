package mmucheck.refinement.tlc;

import java.util.Arrays;

/**
 * A range of bytes as a hash key; one instance is reused as the lookup probe (in FastLines
 * for values, in TlcBridge for actions), and {@link #copy} makes the key stored.
 */
final class ByteKey {
    private byte[] a;
    private int from;
    private int to;
    private int hash;

    private static final java.lang.invoke.VarHandle LONGS = java.lang.invoke.MethodHandles
            .byteArrayViewVarHandle(long[].class, java.nio.ByteOrder.LITTLE_ENDIAN);

    /** The key of bytes[f, t); hashed eight bytes at a time (values run to hundreds of bytes). */
    void set(byte[] bytes, int f, int t) {
        a = bytes;
        from = f;
        to = t;
        long h = t - f;
        int i = f;
        for (; i + Long.BYTES <= t; i += Long.BYTES) {
            h = (h + (long) LONGS.get(bytes, i)) * 0x9E3779B97F4A7C15L;
        }
        for (; i < t; i++) {
            h = (h + bytes[i]) * 0x9E3779B97F4A7C15L;
        }
        hash = (int) (h ^ (h >>> 32));
    }

    ByteKey copy() {
        ByteKey k = new ByteKey();
        k.a = Arrays.copyOfRange(a, from, to);
        k.from = 0;
        k.to = k.a.length;
        k.hash = hash;
        return k;
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ByteKey k && k.hash == hash && Arrays.equals(a, from, to, k.a, k.from, k.to);
    }
}
