package dev.workflowhttp.internal.http;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.apache.hc.core5.http.nio.CapacityChannel;

/**
 * The flow-controlled buffer between the I/O thread that receives a streamed body and the step that reads it: a ring
 * of {@code window} bytes. The connection may send what the ring has room for, and no more; the room a reader frees
 * is offered back once it reaches half the window, so the connection refills one half while the reader drains the
 * other, instead of the two taking turns over the whole window (HttpCore's {@code SharedInputBuffer} offers room only
 * once the buffer is empty). Bytes past the window (gzip decoding expands what the window let in) are kept by growing
 * the ring: nothing is dropped.
 */
final class StreamWindow {

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition readable = lock.newCondition();
    private final int window;
    private byte[] ring;
    private int head;
    private int size;
    /** Bytes the connection may still send without a new offer: what was offered and has not arrived. */
    private long offered;
    private CapacityChannel channel;
    private boolean ended;
    private boolean aborted;

    StreamWindow(int window) {
        this.window = window;
        this.ring = new byte[window];
    }

    /** The I/O side asks what it may send: the room not yet offered. */
    void updateCapacity(CapacityChannel capacityChannel) throws IOException {
        int grant;
        lock.lock();
        try {
            channel = capacityChannel;
            grant = room();
            offered += grant;
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            capacityChannel.update(grant);
        }
    }

    /** Takes all of {@code source} (growing the ring if decoding ran past the window) and wakes a waiting reader. */
    void fill(ByteBuffer source) {
        int n = source.remaining();
        if (n == 0) {
            return;
        }
        lock.lock();
        try {
            if (size + n > ring.length) {
                grow(size + n);
            }
            int tail = (head + size) % ring.length;
            int first = Math.min(n, ring.length - tail);
            source.get(ring, tail, first);
            if (first < n) {
                source.get(ring, 0, n - first);
            }
            size += n;
            offered = Math.max(0, offered - n);
            readable.signal();
        } finally {
            lock.unlock();
        }
    }

    private void grow(int needed) {
        byte[] larger = new byte[Math.max(needed, ring.length * 2)];
        int first = Math.min(size, ring.length - head);
        System.arraycopy(ring, head, larger, 0, first);
        System.arraycopy(ring, 0, larger, first, size - first);
        ring = larger;
        head = 0;
    }

    /**
     * Blocks until bytes are there, the body ended or the stream was aborted.
     *
     * @return the number of bytes read, or -1 at the end of the body
     * @throws InterruptedIOException when the stream was aborted (or the reader interrupted)
     */
    int read(byte[] bytes, int offset, int length) throws IOException {
        int n;
        int grant = 0;
        CapacityChannel offerTo;
        lock.lock();
        try {
            while (size == 0 && !ended && !aborted) {
                try {
                    readable.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new InterruptedIOException("interrupted while waiting for the body");
                }
            }
            if (aborted) {
                throw new InterruptedIOException("aborted");
            }
            if (size == 0) {
                return -1;
            }
            n = Math.min(length, size);
            int first = Math.min(n, ring.length - head);
            System.arraycopy(ring, head, bytes, offset, first);
            if (first < n) {
                System.arraycopy(ring, 0, bytes, offset + first, n - first);
            }
            head = (head + n) % ring.length;
            size -= n;
            if (size == 0) {
                head = 0;
            }
            offerTo = channel;
            int room = room();
            // offer room back in halves (or when drained), not per read: each offer wakes the I/O reactor
            if (offerTo != null && !ended && (room >= window / 2 || size == 0 && room > 0)) {
                grant = room;
                offered += grant;
            }
        } finally {
            lock.unlock();
        }
        if (grant > 0) {
            offerTo.update(grant);
        }
        return n;
    }

    /** Room in the window not yet offered to the connection. */
    private int room() {
        return (int) Math.max(0, window - size - offered);
    }

    int length() {
        lock.lock();
        try {
            return size;
        } finally {
            lock.unlock();
        }
    }

    void markEndStream() {
        lock.lock();
        try {
            ended = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }

    void abort() {
        lock.lock();
        try {
            aborted = true;
            readable.signalAll();
        } finally {
            lock.unlock();
        }
    }
}
