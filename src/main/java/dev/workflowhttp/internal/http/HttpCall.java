package dev.workflowhttp.internal.http;

import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiConsumer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.Cancellable;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;

/**
 * One HTTP call bound to its {@link RealTimeoutScope}. Its outcome is handed once to the listener given at start: the
 * response (at the last byte in {@code materialize} mode, at the headers in {@code stream} mode) or the step's
 * exception. The call keeps no reference to the response after handing it on, so a body the route dropped is not
 * kept reachable by the call. Whatever settles the scope against the call (deadline, failure, early release) cancels
 * the client's exchange, which closes its connection instead of returning it to the pool.
 */
public final class HttpCall implements FutureCallback<Void> {

    private final RealTimeoutScope scope;
    private final CallSettings settings;
    private final ResponseConsumer consumer;
    /** Taken by the first outcome: the listener runs once, and is not kept after it ran. */
    private final AtomicReference<BiConsumer<HttpResult, Throwable>> listener = new AtomicReference<>();

    private volatile Future<Void> exchange;
    private volatile boolean aborted;
    private final Stages stages = new Stages();

    public HttpCall(RealTimeoutScope scope, CallSettings settings) {
        this.scope = scope;
        this.settings = settings;
        this.consumer = new ResponseConsumer(this, settings, scope);
    }

    /**
     * Starts the call; {@code outcome} is told once, on a client thread (or on the deadline thread, for a timeout),
     * with the response or the step's exception.
     */
    public void start(
            CloseableHttpAsyncClient client,
            AsyncRequestProducer request,
            HttpClientContext context,
            BiConsumer<HttpResult, Throwable> outcome) {
        listener.set(outcome);
        CallContext.bindCall(context, scope, stages);
        scope.onAbort(this::abort);
        Future<Void> started = client.execute(request, consumer, null, context, this);
        exchange = started;
        if (aborted) {
            started.cancel(true);
        }
    }

    private void deliver(HttpResult response, Throwable failure) {
        BiConsumer<HttpResult, Throwable> taken = listener.getAndSet(null);
        if (taken != null) {
            taken.accept(response, failure);
        }
    }

    private void abort(WorkflowHttpException failure) {
        aborted = true;
        consumer.abortBody();
        Future<Void> started = exchange;
        if (started != null) {
            started.cancel(true);
        }
        // the client's future keeps only the stage set last, and a stage completing on another thread can replace
        // one still running (a pending connect, a running exchange): cancel every stage the chain registered
        stages.cancel();
        deliver(null, failure);
    }

    void succeed(HttpResult response) {
        deliver(response, null);
    }

    @Override
    public void completed(Void ignored) {
        // the consumer completed the result at the headers or at the last byte
    }

    @Override
    public void failed(Exception cause) {
        WorkflowHttpException failure = FailureMapper.map(cause, scope.getPhase(), settings.url());
        scope.fail(failure);
        WorkflowHttpException settled = scope.getFailure();
        deliver(null, settled != null ? settled : failure);
    }

    @Override
    public void cancelled() {
        WorkflowHttpException settled = scope.getFailure();
        deliver(
                null,
                settled != null
                        ? settled
                        : new WorkflowHttpException(
                                "call cancelled (" + settings.url() + ")", settings.url(), scope.getPhase()));
    }

    /**
     * Every stage (lease, connect, exchange) the client's chain made cancellable for this call. Once cancelled, a
     * stage registered later is cancelled at once.
     */
    public static final class Stages implements Cancellable {
        private final List<Cancellable> registered = new ArrayList<>();
        private boolean cancelled;

        public void add(Cancellable stage) {
            synchronized (this) {
                if (!cancelled) {
                    registered.add(stage);
                    return;
                }
            }
            stage.cancel();
        }

        @Override
        public boolean cancel() {
            List<Cancellable> toCancel;
            synchronized (this) {
                if (cancelled) {
                    return false;
                }
                cancelled = true;
                toCancel = new ArrayList<>(registered);
                registered.clear();
            }
            for (Cancellable stage : toCancel) {
                stage.cancel();
            }
            return true;
        }
    }
}
