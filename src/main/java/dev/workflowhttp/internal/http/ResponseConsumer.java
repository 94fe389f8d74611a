package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpStatusException;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Receives one response on the client's I/O thread. In {@code materialize} mode it collects the body and completes
 * the call at the last byte; in {@code stream} mode it completes the call at the headers and feeds a
 * {@link BodyInputStream}. An error status with {@code throwOnHttpError} collects a bounded body for the exception.
 */
final class ResponseConsumer implements AsyncResponseConsumer<Void> {

    private final HttpCall call;
    private final CallSettings settings;
    private final RealTimeoutScope scope;

    private HttpResponse head;
    private EntityDetails entity;
    private FutureCallback<Void> resultCallback;
    private volatile CollectingSink collecting;
    private volatile StreamSink streaming;
    private boolean errorStatus;
    private long streamed;

    ResponseConsumer(HttpCall call, CallSettings settings, RealTimeoutScope scope) {
        this.call = call;
        this.settings = settings;
        this.scope = scope;
    }

    @Override
    public void consumeResponse(
            HttpResponse response, EntityDetails entityDetails, HttpContext context, FutureCallback<Void> callback)
            throws IOException {
        scope.touch();
        this.head = response;
        this.entity = entityDetails;
        this.resultCallback = callback;
        int code = response.getCode();
        boolean accepted = settings.okStatusCodes().contains(code);
        errorStatus = !accepted && settings.throwOnHttpError();
        if (entityDetails == null) {
            if (scope.complete()) {
                Object body = settings.stream() && !errorStatus ? new ByteArrayInputStream(new byte[0]) : new byte[0];
                call.succeed(result(body, accepted, false));
            }
            callback.completed(null);
            return;
        }
        long length = entityDetails.getContentLength();
        if (errorStatus) {
            scope.enterPhase(Phase.BODY);
            collecting = new CollectingSink(WorkflowHttpStatusException.MAX_ERROR_BODY, length);
        } else if (settings.stream()) {
            scope.enterPhase(Phase.STREAM);
            long max = settings.maxBodySize();
            if (max >= 0 && length > max && entityDetails.getContentEncoding() == null) {
                // refused at the headers, as in materialize mode: no stream over a body known to be too large
                throw new BodyAbortedException(
                        new WorkflowHttpBodyTooLargeException(settings.url(), Phase.STREAM, max));
            }
            StreamSink sink = new StreamSink(entityDetails.getContentEncoding() == null ? length : -1);
            streaming = sink;
            call.succeed(result(new BodyInputStream(sink, scope, settings.maxBodySize(), settings.url()), true, false));
        } else {
            scope.enterPhase(Phase.BODY);
            long max = settings.maxBodySize();
            if (max >= 0 && length > max && entityDetails.getContentEncoding() == null) {
                throw new BodyAbortedException(new WorkflowHttpBodyTooLargeException(settings.url(), Phase.BODY, max));
            }
            collecting = new CollectingSink(max, length);
        }
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {
        scope.touch();
    }

    @Override
    public void updateCapacity(CapacityChannel channel) throws IOException {
        StreamSink sink = streaming;
        if (sink != null) {
            sink.updateCapacity(channel);
        } else {
            channel.update(Integer.MAX_VALUE);
        }
    }

    @Override
    public void consume(ByteBuffer source) throws IOException {
        scope.touch();
        StreamSink sink = streaming;
        if (sink != null) {
            streamed += source.remaining();
            long max = settings.maxBodySize();
            if (max >= 0 && streamed > max) {
                // counted as it arrives too, not only as it is read: an unread stream never holds more than the limit
                throw new BodyAbortedException(
                        new WorkflowHttpBodyTooLargeException(settings.url(), Phase.STREAM, max));
            }
            sink.consume(source);
            return;
        }
        CollectingSink body = collecting;
        if (body == null) {
            source.position(source.limit());
            return;
        }
        if (!body.append(source)) {
            if (errorStatus) {
                // enough of an error body for the exception: report it and close the connection, don't read on
                if (scope.complete()) {
                    call.succeed(result(body.toByteArray(), false, true));
                }
                throw new IOException("error body cut at " + WorkflowHttpStatusException.MAX_ERROR_BODY + " bytes");
            }
            if (body.overflowedTheArray()) {
                throw new BodyAbortedException(WorkflowHttpBodyTooLargeException.pastTheArray(
                        settings.url(), settings.maxBodySize(), body.arrayLimit()));
            }
            throw new BodyAbortedException(
                    new WorkflowHttpBodyTooLargeException(settings.url(), Phase.BODY, settings.maxBodySize()));
        }
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        StreamSink sink = streaming;
        if (sink != null) {
            sink.end();
        } else {
            CollectingSink body = collecting;
            if (body != null && scope.complete()) {
                call.succeed(result(body.toByteArray(), !errorStatus, false));
            }
        }
        FutureCallback<Void> callback = resultCallback;
        if (callback != null) {
            callback.completed(null);
        }
    }

    @Override
    public void failed(Exception cause) {
        call.failed(cause);
    }

    @Override
    public void releaseResources() {
        // nothing held here: the stream's buffer belongs to its reader until the scope is released
    }

    /** The scope was settled against the call: wake a reader blocked on the buffer. */
    void abortBody() {
        StreamSink sink = streaming;
        if (sink != null) {
            sink.abortEvenIfEnded();
        }
    }

    private HttpResult result(Object body, boolean accepted, boolean errorBodyCut) {
        EntityDetails details = entity;
        long length = -1;
        String contentType = null;
        if (details != null) {
            contentType = details.getContentType();
            if (details.getContentEncoding() == null) {
                length = details.getContentLength();
            }
        }
        return new HttpResult(
                head.getCode(),
                head.getReasonPhrase(),
                head.getHeaders(),
                body,
                length,
                contentType,
                accepted || !settings.throwOnHttpError(),
                errorBodyCut);
    }
}
