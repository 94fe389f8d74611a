package dev.workflowhttp.client;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;

import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.scope.TimeoutScope;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.concurrent.FutureCallback;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;

/**
 * One HTTP call bound to its {@link TimeoutScope}. The result completes once: with the response (at the last byte in
 * {@code materialize} mode, at the headers in {@code stream} mode) or with the step's exception. Whatever settles the
 * scope against the call (deadline, failure, early release) cancels the client's exchange, which closes its
 * connection instead of returning it to the pool.
 */
public final class HttpCall implements FutureCallback<Void> {

    /** The context attribute under which the client's chain finds the call's scope. */
    public static final String SCOPE_ATTRIBUTE = "dev.workflowhttp.scope";

    private final TimeoutScope scope;
    private final CallSettings settings;
    private final ResponseConsumer consumer;
    private final CompletableFuture<HttpResult> result = new CompletableFuture<>();
    private volatile Future<Void> exchange;
    private volatile boolean aborted;

    public HttpCall(TimeoutScope scope, CallSettings settings) {
        this.scope = scope;
        this.settings = settings;
        this.consumer = new ResponseConsumer(this, settings, scope);
    }

    /** Starts the call; the returned future completes on a client thread. */
    public CompletableFuture<HttpResult> start(CloseableHttpAsyncClient client, AsyncRequestProducer request,
                                               HttpClientContext context) {
        context.setAttribute(SCOPE_ATTRIBUTE, scope);
        scope.onAbort(this::abort);
        Future<Void> started = client.execute(request, consumer, null, context, this);
        exchange = started;
        if (aborted) {
            started.cancel(true);
        }
        return result;
    }

    private void abort(WorkflowHttpException failure) {
        aborted = true;
        consumer.abortBody();
        Future<Void> started = exchange;
        if (started != null) {
            started.cancel(true);
        }
        result.completeExceptionally(failure);
    }

    void succeed(HttpResult response) {
        result.complete(response);
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
        result.completeExceptionally(settled != null ? settled : failure);
    }

    @Override
    public void cancelled() {
        WorkflowHttpException settled = scope.getFailure();
        result.completeExceptionally(settled != null ? settled
                : new WorkflowHttpException("call cancelled (" + settings.url() + ")", settings.url(), scope.getPhase()));
    }
}
