package dev.workflowhttp.internal.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a body in memory up to a limit, and never past what one {@code byte[]} holds (a little under 2 GiB),
 * whatever the limit says.
 */
final class CollectingSink {

    /** The largest array a JVM reliably allocates. */
    static final int MAX_ARRAY = Integer.MAX_VALUE - 16;

    private final long limit;
    private final int arrayLimit;
    private byte[] bytes;
    private int size;
    private boolean overflowed;

    CollectingSink(long limit, long expectedLength) {
        this(limit, expectedLength, MAX_ARRAY);
    }

    CollectingSink(long limit, long expectedLength, int arrayLimit) {
        this.limit = limit;
        this.arrayLimit = arrayLimit;
        long initial = expectedLength > 0 ? expectedLength : 8192;
        if (limit >= 0) {
            initial = Math.min(initial, limit);
        }
        this.bytes = new byte[(int) Math.max(16, Math.min(initial, Math.min(1 << 20, arrayLimit)))];
    }

    /**
     * @return false when the body passed the limit or the array's: it kept only what fitted
     */
    boolean append(ByteBuffer source) {
        int incoming = source.remaining();
        long room = (limit < 0 ? arrayLimit : Math.min(limit, arrayLimit)) - (long) size;
        int take = (int) Math.min(incoming, Math.max(0, room));
        ensure(size + take);
        source.get(bytes, size, take);
        size += take;
        if (take < incoming) {
            source.position(source.limit());
            overflowed = true;
        }
        return !overflowed;
    }

    private void ensure(int needed) {
        if (needed > bytes.length) {
            long grown = Math.max(needed, (long) bytes.length * 2);
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, arrayLimit));
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    /** Whether it was the array that stopped the body, not the limit: no limit, or one past what an array holds. */
    boolean overflowedTheArray() {
        return overflowed && (limit < 0 || limit > arrayLimit) && size >= arrayLimit;
    }

    int arrayLimit() {
        return arrayLimit;
    }

    byte[] toByteArray() {
        return bytes.length == size ? bytes : Arrays.copyOf(bytes, size);
    }
}
