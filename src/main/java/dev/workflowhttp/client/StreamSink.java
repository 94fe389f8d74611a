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

    private final SharedInputBuffer buffer;
    private volatile boolean ended;

    /**
     * @param contentLength the declared length of the bytes this sink will receive, or -1 when unknown (chunked, or
     *                      decoded from a compressed body): a body known to be smaller gets a buffer of its own size
     */
    StreamSink(long contentLength) {
        buffer = new SharedInputBuffer(contentLength > 0 && contentLength < BUFFER_SIZE ? (int) contentLength
                : BUFFER_SIZE);
    }

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
