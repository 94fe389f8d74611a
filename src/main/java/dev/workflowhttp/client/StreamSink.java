package dev.workflowhttp.client;

import java.io.IOException;
import java.nio.ByteBuffer;

import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.support.classic.SharedInputBuffer;

/**
 * The I/O side of a streamed body: a bounded buffer whose free space is the flow-control window offered to the
 * server, so a slow reader slows the server instead of filling memory.
 */
final class StreamSink {

    static final int BUFFER_SIZE = 64 * 1024;

    private final SharedInputBuffer buffer = new SharedInputBuffer(BUFFER_SIZE);
    private volatile boolean ended;

    SharedInputBuffer buffer() {
        return buffer;
    }

    void updateCapacity(CapacityChannel channel) throws IOException {
        buffer.updateCapacity(channel);
    }

    void consume(ByteBuffer source) {
        buffer.fill(source);
    }

    void end() {
        ended = true;
        buffer.markEndStream();
    }

    boolean ended() {
        return ended;
    }

    void abort() {
        if (!ended) {
            buffer.abort();
        }
    }

    void abortEvenIfEnded() {
        buffer.abort();
    }
}
