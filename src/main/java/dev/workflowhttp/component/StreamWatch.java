package dev.workflowhttp.component;

import dev.workflowhttp.Durations;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.lang.ref.Reference;
import java.lang.ref.ReferenceQueue;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A component's streamed bodies ({@code bodyMode=stream}) handed to routes and not yet released: each is released
 * when read to its end or closed, when its exchange completes, or, when the route dropped it unread, as the next call
 * starts (a body nobody can reach any more is found through its weak reference, one its exchange no longer holds by
 * {@link OpenStreams}). Counts them for the meters and tells a call waiting for a pooled connection which streams
 * hold the connections.
 */
final class StreamWatch {

    private static final Logger LOG = LoggerFactory.getLogger(StreamWatch.class);

    private final ConcurrentMap<TimeoutScope, StreamRef> open = new ConcurrentHashMap<>();
    /** Streams that became unreachable while unreleased: their references are queued here by the garbage collector. */
    private final ReferenceQueue<BodyInputStream> unreachable = new ReferenceQueue<>();

    private final AtomicLong dropped = new AtomicLong();

    void watch(Exchange exchange, BodyInputStream stream, RealTimeoutScope scope, String origin) {
        StreamRef ref = new StreamRef(stream, unreachable, scope, origin);
        open.put(scope, ref);
        OpenStreams.of(exchange).add(ref);
        if (ref.released()) {
            // read to its end (or failed) on another thread before it was watched
            open.remove(scope);
        }
    }

    /** The scope of a watched stream was released, however. */
    void released(TimeoutScope scope) {
        open.remove(scope);
    }

    void releaseDropped(Exchange exchange) {
        for (Reference<?> queued; (queued = unreachable.poll()) != null; ) {
            StreamRef stream = (StreamRef) queued;
            if (stream.releaseUnread("the streamed body was dropped unread (no longer reachable from anywhere)")) {
                reportDropped(stream);
            }
        }
        OpenStreams streams = OpenStreams.find(exchange);
        if (streams != null) {
            for (StreamRef stream : streams.releaseDropped(exchange)) {
                reportDropped(stream);
            }
        }
    }

    private void reportDropped(StreamRef stream) {
        long count = dropped.incrementAndGet();
        String text = "A streamed body was dropped unread and its connection closed: {} (bodyMode=stream; read the "
                + "body to its end or close it, or use bodyMode=materialize){}";
        if (count == 1) {
            LOG.warn(
                    text,
                    stream.scope().getDescription(),
                    "; further ones are logged at DEBUG and counted in " + "workflow_http_streams_dropped");
        } else {
            LOG.debug(text, stream.scope().getDescription(), "");
        }
    }

    /** How many unreleased streams hold connections to {@code origin} (host:port), and the oldest; null for none. */
    String describeHolding(String origin) {
        long now = System.nanoTime();
        int streams = 0;
        StreamRef oldest = null;
        for (StreamRef stream : open.values()) {
            if (stream.origin().equalsIgnoreCase(origin) && !stream.released()) {
                streams++;
                if (oldest == null || stream.openedNanos() - oldest.openedNanos() < 0) {
                    oldest = stream;
                }
            }
        }
        if (streams == 0) {
            return null;
        }
        return streams + " of them held by streamed bodies not yet read to their end or closed, the oldest for "
                + Durations.format(Duration.ofNanos(now - oldest.openedNanos())) + ": "
                + oldest.scope().getDescription() + " (read or close streamed bodies, or use bodyMode=materialize)";
    }

    int open() {
        return open.size();
    }

    long dropped() {
        return dropped.get();
    }
}
