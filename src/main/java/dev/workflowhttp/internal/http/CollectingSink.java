package dev.workflowhttp.internal.http;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Collects a body in memory up to a limit.
 */
final class CollectingSink {

    private final long limit;
    private byte[] bytes;
    private int size;
    private boolean overflowed;

    CollectingSink(long limit, long expectedLength) {
        this.limit = limit;
        long initial = expectedLength > 0 ? expectedLength : 8192;
        if (limit >= 0) {
            initial = Math.min(initial, limit);
        }
        this.bytes = new byte[(int) Math.max(16, Math.min(initial, 1 << 20))];
    }

    /**
     * @return false when the body passed the limit: it kept only what fitted
     */
    boolean append(ByteBuffer source) {
        int incoming = source.remaining();
        long room = limit < 0 ? Integer.MAX_VALUE - 16 - size : limit - size;
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
            bytes = Arrays.copyOf(bytes, (int) Math.min(grown, Integer.MAX_VALUE - 16));
        }
    }

    boolean overflowed() {
        return overflowed;
    }

    byte[] toByteArray() {
        return bytes.length == size ? bytes : Arrays.copyOf(bytes, size);
    }
}
