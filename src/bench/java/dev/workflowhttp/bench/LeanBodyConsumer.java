package dev.workflowhttp.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.nio.AsyncResponseConsumer;
import org.apache.hc.core5.http.nio.CapacityChannel;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * Collects a body into one array sized by its {@code Content-Length}, copying each buffer the client hands over in
 * bulk: the least a body consumer of the async client can do, as workflow-http's does. (HttpClient's own
 * {@code SimpleResponseConsumer} copies byte by byte from the client's direct buffers and grows its array by
 * doubling, several times slower on large bodies; it would make a weak baseline.)
 */
final class LeanBodyConsumer implements AsyncResponseConsumer<byte[]> {

    private byte[] body = new byte[0];
    private int size;
    private FutureCallback<byte[]> result;

    @Override
    public void consumeResponse(
            HttpResponse response, EntityDetails entity, HttpContext context, FutureCallback<byte[]> resultCallback) {
        if (entity == null) {
            resultCallback.completed(body);
            return;
        }
        result = resultCallback;
        long length = entity.getContentLength();
        body = new byte[length >= 0 ? (int) length : 8192];
    }

    @Override
    public void informationResponse(HttpResponse response, HttpContext context) {}

    @Override
    public void updateCapacity(CapacityChannel capacityChannel) throws java.io.IOException {
        capacityChannel.update(Integer.MAX_VALUE);
    }

    @Override
    public void consume(ByteBuffer source) {
        int incoming = source.remaining();
        if (size + incoming > body.length) {
            body = Arrays.copyOf(body, Math.max(size + incoming, body.length * 2));
        }
        source.get(body, size, incoming);
        size += incoming;
    }

    @Override
    public void streamEnd(List<? extends Header> trailers) {
        result.completed(size == body.length ? body : Arrays.copyOf(body, size));
    }

    @Override
    public void failed(Exception cause) {}

    @Override
    public void releaseResources() {}
}
