package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpTruncatedBodyException;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.io.IOException;
import java.io.InputStream;
import org.apache.hc.core5.http.nio.support.classic.SharedInputBuffer;

/**
 * The body in {@code stream} mode: bytes the I/O thread put in a bounded buffer, read by a later step while the call's
 * deadline still runs.
 * <p>
 * The end of the stream is reported only when the server's body really ended. A deadline that passes, a connection
 * cut short or a body over {@code maxBodySize} makes {@code read} throw an {@link IOException} whose cause is the
 * step's exception, never a quiet {@code -1}. Closing the stream before its end aborts the call: the rest is not
 * drained.
 */
public final class BodyInputStream extends InputStream {

    private final SharedInputBuffer buffer;
    private final StreamSink sink;
    private final RealTimeoutScope scope;
    private final long maxBodySize;
    private final String url;
    private long count;
    private boolean endReached;
    private boolean closed;

    BodyInputStream(StreamSink sink, RealTimeoutScope scope, long maxBodySize, String url) {
        this.buffer = sink.buffer();
        this.sink = sink;
        this.scope = scope;
        this.maxBodySize = maxBodySize;
        this.url = url;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] bytes, int offset, int length) throws IOException {
        java.util.Objects.checkFromIndexSize(offset, length, bytes.length);
        if (endReached) {
            return -1;
        }
        // a failed body keeps failing with its cause, even once closed: a reader that tries again (a redelivery, a
        // second conversion) learns why, not only that the stream is closed
        throwIfFailed();
        if (closed) {
            throw new IOException("stream closed (" + url + ")");
        }
        if (length == 0) {
            return 0;
        }
        int n;
        try {
            n = buffer.read(bytes, offset, length);
        } catch (IOException e) {
            throw failure(e);
        }
        if (n < 0) {
            if (!sink.ended()) {
                throw failure(null);
            }
            if (!scope.complete()) {
                throwIfFailed();
            }
            endReached = true;
            // the body is done: so is the call, whatever the exchange does next
            scope.release();
            return -1;
        }
        count += n;
        if (maxBodySize >= 0 && count > maxBodySize) {
            WorkflowHttpException tooLarge = new WorkflowHttpBodyTooLargeException(url, Phase.STREAM, maxBodySize);
            scope.fail(tooLarge);
            throw released(scope.getFailure());
        }
        scope.touch();
        return n;
    }

    /** Whether the call still feeds this stream: not read to its end, not closed, not released. */
    public boolean isLive() {
        return !closed && !endReached && scope.getState() != RealTimeoutScope.State.RELEASED;
    }

    @Override
    public int available() {
        return closed || endReached ? 0 : buffer.length();
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            if (!endReached) {
                scope.release();
            }
        }
    }

    private void throwIfFailed() throws IOException {
        WorkflowHttpException failure = scope.getFailure();
        if (failure != null) {
            throw released(failure);
        }
    }

    private IOException failure(IOException readError) {
        WorkflowHttpException failure = scope.getFailure();
        if (failure == null) {
            IOException cause = readError != null ? readError : new IOException("body ended before its end");
            scope.fail(new WorkflowHttpTruncatedBodyException(url, Phase.STREAM, FailureMapper.withoutSecrets(cause)));
            failure = scope.getFailure();
        }
        return released(failure);
    }

    /** The body is done, if badly: so is the call. The failure a reader gets, with the step's exception as cause. */
    private IOException released(WorkflowHttpException failure) {
        scope.release();
        return new IOException(failure.getMessage(), failure);
    }
}
