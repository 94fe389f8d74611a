package dev.workflowhttp.component;

import java.time.Instant;

import dev.workflowhttp.WorkflowDeadline;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.util.UrlMasking;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Runs the step for one exchange without holding a thread while a call is in flight or a retry waits. The exchange
 * carries the latest attempt's {@link RealTimeoutScope}; the scope is released when the call's body is done (see
 * {@link StepRun}), and by the exchange's on-completion hook at the latest for a stream still open. The route goes on
 * from the component's continuation threads, never from the client's I/O threads.
 */
public class WorkflowHttpProducer extends DefaultAsyncProducer {

    private final WorkflowHttpEndpoint endpoint;
    private final WorkflowHttpComponent component;

    public WorkflowHttpProducer(WorkflowHttpEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.component = endpoint.getComponent();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        WorkflowHttpConfiguration config;
        RequestFactory.Prepared request;
        Instant deadline;
        PooledClient client;
        StepRun run;
        try {
            client = endpoint.client();
            config = endpoint.configurationFor(exchange);
            request = component.requests().prepare(exchange, endpoint.target(), config);
            ConditionalGet.addValidators(config, request);
            deadline = WorkflowDeadline.of(exchange);
            OAuth2Tokens oauth2 = endpoint.oauth2();
            if (oauth2 != null && !Origins.same(request.uri(), endpoint.target().uri())) {
                throw new IllegalArgumentException("The OAuth2 token of this endpoint is sent only to its own origin ("
                        + Origins.of(endpoint.target().uri()) + "), not to " + request.maskedUrl()
                        + " (header " + WorkflowHttpConstants.URL + ")");
            }
            run = new StepRun(component, client, exchange, callback, config, request, deadline, oauth2);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // nothing is sent: the streams the request would have read are not left open
            Multipart.closeStreams(exchange.getMessage().getHeader(WorkflowHttpConstants.MULTIPART));
            exchange.setException(new WorkflowHttpException(e.getMessage(), UrlMasking.mask(endpoint.getUrl()), null, e));
            callback.done(true);
            return true;
        }
        if (deadline != null) {
            // written back as property and header, so the deadline also crosses the hops after this step
            WorkflowDeadline.set(exchange, deadline);
        }
        run.start();
        return false;
    }

    @Override
    public String toString() {
        // Camel's own would print the endpoint URI through its sanitizer, which does not know authBearer
        return "Producer[" + endpoint + "]";
    }
}
