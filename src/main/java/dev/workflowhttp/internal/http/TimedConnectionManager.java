package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.util.concurrent.Future;
import org.apache.hc.client5.http.HttpRoute;
import org.apache.hc.client5.http.nio.AsyncClientConnectionManager;
import org.apache.hc.client5.http.nio.AsyncConnectionEndpoint;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.reactor.ConnectionInitiator;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The pool, with one thing added: it tells the call's scope when a new connection starts to open, which splits the
 * time spent waiting for a pooled connection from the time spent connecting.
 */
public final class TimedConnectionManager implements AsyncClientConnectionManager {

    private final AsyncClientConnectionManager pool;

    public TimedConnectionManager(AsyncClientConnectionManager pool) {
        this.pool = pool;
    }

    @Override
    public Future<AsyncConnectionEndpoint> lease(
            String id,
            HttpRoute route,
            Object state,
            Timeout requestTimeout,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        return pool.lease(id, route, state, requestTimeout, callback);
    }

    @Override
    public void release(AsyncConnectionEndpoint endpoint, Object newState, TimeValue validDuration) {
        pool.release(endpoint, newState, validDuration);
    }

    @Override
    public Future<AsyncConnectionEndpoint> connect(
            AsyncConnectionEndpoint endpoint,
            ConnectionInitiator initiator,
            Timeout connectTimeout,
            Object attachment,
            HttpContext context,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        RealTimeoutScope scope = CallContext.scope(context);
        if (scope != null) {
            scope.connectStarted();
        }
        return pool.connect(endpoint, initiator, connectTimeout, attachment, context, callback);
    }

    @Override
    public void upgrade(AsyncConnectionEndpoint endpoint, Object attachment, HttpContext context) {
        pool.upgrade(endpoint, attachment, context);
    }

    @Override
    public void upgrade(
            AsyncConnectionEndpoint endpoint,
            Object attachment,
            HttpContext context,
            FutureCallback<AsyncConnectionEndpoint> callback) {
        pool.upgrade(endpoint, attachment, context, callback);
    }

    @Override
    public void close(CloseMode closeMode) {
        pool.close(closeMode);
    }

    @Override
    public void close() throws java.io.IOException {
        pool.close();
    }
}
