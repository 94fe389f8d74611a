package dev.workflowhttp.internal.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.nio.support.classic.SharedInputBuffer;

/**
 * The I/O side of a streamed body: the buffer a later step reads from. Its free space is offered to the client as
 * the flow-control window, but the client's reads and gzip decoding can run past it; what bounds the memory of a
 * stream nobody reads is {@code maxBodySize}, counted as the bytes arrive.
 */
final class StreamSink {

    static final int BUFFER_SIZE = 64 * 1024;

    private final SharedInputBuffer buffer;
    private volatile boolean ended;
    private volatile boolean aborted;

    /**
     * @param contentLength the declared length of the bytes this sink will receive, or -1 when unknown (chunked, or
     *                      decoded from a compressed body): a body known to be smaller gets a buffer of its own size
     */
    StreamSink(long contentLength) {
        buffer = new SharedInputBuffer(
                contentLength > 0 && contentLength < BUFFER_SIZE ? (int) contentLength : BUFFER_SIZE);
    }

    SharedInputBuffer buffer() {
        return buffer;
    }

    void updateCapacity(CapacityChannel channel) throws IOException {
        buffer.updateCapacity(channel);
    }

    void consume(ByteBuffer source) {
        if (aborted) {
            // no reader any more: drop what is still being decoded rather than buffer it for nobody
            source.position(source.limit());
            return;
        }
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
            aborted = true;
            buffer.abort();
        }
    }

    void abortEvenIfEnded() {
        aborted = true;
        buffer.abort();
    }
}
