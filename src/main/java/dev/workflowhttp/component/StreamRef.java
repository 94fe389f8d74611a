package dev.workflowhttp.component;

import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

/**
 * A streamed body handed to a route, watched until its call's scope is released. It refers to the stream weakly: a
 * stream nobody can reach any more is queued for its component, which then releases the call (and its connection)
 * instead of keeping it until the exchange completes or the deadline passes.
 */
final class StreamRef extends WeakReference<BodyInputStream> {

    private final RealTimeoutScope scope;
    private final String origin;
    private final long openedNanos = System.nanoTime();

    StreamRef(BodyInputStream stream, ReferenceQueue<BodyInputStream> queue, RealTimeoutScope scope, String origin) {
        super(stream, queue);
        this.scope = scope;
        this.origin = origin;
    }

    RealTimeoutScope scope() {
        return scope;
    }

    /** {@code host:port} of the connection the stream holds. */
    String origin() {
        return origin;
    }

    long openedNanos() {
        return openedNanos;
    }

    /**
     * Releases the call because its stream was dropped, {@code reason} saying how.
     *
     * @return whether this released a stream still unread; one whose deadline passed (or that failed) first is
     *         released without counting as dropped: its own failure says enough
     */
    boolean releaseUnread(String reason) {
        boolean unread = scope.getState() == RealTimeoutScope.State.ACTIVE;
        return scope.release(reason) && unread;
    }

    boolean released() {
        return scope.getState() == RealTimeoutScope.State.RELEASED;
    }
}
