package dev.workflowhttp.component;

import dev.workflowhttp.WorkflowDeadline;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.util.UrlMasking;
import java.net.URI;
import java.time.Instant;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.support.DefaultAsyncProducer;

/**
 * Runs the step for one exchange. The exchange carries the latest attempt's {@link RealTimeoutScope}; the scope is
 * released when the call's body is done (see {@link StepRun}), and by the exchange's on-completion hook at the latest
 * for a stream still open.
 * <p>
 * Which thread goes on with the route:
 * <ul>
 *   <li>when the caller's thread waits for the step anyway, that thread: it makes a plain call itself with the
 *       blocking client (no hand-off at all), or waits for the asynchronous call's outcome to be handed to it (one
 *       hand-off less than through a continuation thread), binds it and goes on itself. So it is with the endpoint's
 *       {@code synchronous=true}; a transacted exchange, which Camel routes one step at a time on the
 *       transaction's thread; an exchange whose thread Camel makes wait for its routing ({@link WaitingThreads}: a
 *       transacted or synchronous JMS consumer, a timer with {@code synchronous=true}), as long as the route is
 *       still on that thread; and a caller of {@link #process(Exchange)};</li>
 *   <li>otherwise no thread is held while a call is in flight or a retry waits, and the route goes on from the
 *       runtime's continuation threads, never from the client's I/O threads (unless {@code continueOnIoThread}).</li>
 * </ul>
 */
public class WorkflowHttpProducer extends DefaultAsyncProducer {

    private final WorkflowHttpEndpoint endpoint;

    public WorkflowHttpProducer(WorkflowHttpEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
    }

    /** Camel's synchronous form: its caller waits, so the step runs on the caller's thread. */
    @Override
    public void process(Exchange exchange) {
        process(exchange, doneSync -> {}, true);
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        return process(
                exchange,
                callback,
                endpoint.settings().isSynchronous() || exchange.isTransacted() || WaitingThreads.waitsFor(exchange));
    }

    private boolean process(Exchange exchange, AsyncCallback callback, boolean callerWaits) {
        StepSettings config;
        RequestFactory.Prepared request;
        Instant deadline;
        PooledClient client;
        StepRun run;
        try {
            WorkflowHttpRuntime runtime = endpoint.runtime();
            client = endpoint.client();
            config = endpoint.settingsFor(exchange);
            request = runtime.requests().prepare(exchange, endpoint.target(), config);
            ConditionalGet.addValidators(config, request);
            deadline = WorkflowDeadline.of(exchange);
            OAuth2Tokens oauth2 = endpoint.oauth2Tokens();
            keepEndpointCredentialsHome(config, request, oauth2 != null);
            run = new StepRun(
                    runtime,
                    client,
                    exchange,
                    callback,
                    config,
                    request,
                    deadline,
                    oauth2,
                    callerWaits ? new WaitingCaller() : null);
        } catch (IllegalArgumentException | IllegalStateException e) {
            // nothing is sent: the streams the request would have read are not left open
            Multipart.closeStreams(exchange.getMessage().getHeader(WorkflowHttpConstants.MULTIPART));
            exchange.setException(
                    new WorkflowHttpException(e.getMessage(), UrlMasking.mask(endpoint.getUrl()), null, e));
            callback.done(true);
            return true;
        }
        if (deadline != null) {
            // written back as property and header, so the deadline also crosses the hops after this step
            WorkflowDeadline.set(exchange, deadline);
        }
        if (callerWaits) {
            run.runOnCaller();
            return true;
        }
        run.start();
        return false;
    }

    /**
     * The endpoint's own credentials go only to the endpoint's origin: a URL from the exchange
     * ({@code CamelWorkflowHttpUrl}) that points elsewhere fails the call before anything is sent, as a redirect there
     * would go without them. Credentials the exchange sets in full itself go with the exchange's URL: a bearer token,
     * or both user name and password (a user name may be the secret: some APIs take the key as the user name). What
     * counts is the value in effect, compared with the endpoint's own, not which headers the message carries.
     */
    private void keepEndpointCredentialsHome(StepSettings config, RequestFactory.Prepared request, boolean oauth2) {
        if (!oauth2 && config.getAuthBearerToken() == null && config.getAuthUsername() == null) {
            return; // no credentials: nothing to compare on every call
        }
        URI home = endpoint.target().uri();
        if (Origins.same(request.uri(), home)) {
            return;
        }
        StepSettings own = endpoint.settings();
        String whose;
        String hint;
        if (oauth2) {
            whose = "The OAuth2 token of this endpoint is";
            hint = "";
        } else if (config.getAuthBearerToken() != null) {
            if (!sameSecret(config.getAuthBearerToken(), own.getAuthBearerToken())) {
                return;
            }
            whose = "This endpoint's authBearerToken is";
            hint = "header " + WorkflowHttpConstants.overrideHeader("authBearerToken");
        } else if (config.getAuthUsername() != null) {
            if (!sameSecret(config.getAuthUsername(), own.getAuthUsername())
                    && !sameSecret(config.getAuthPassword(), own.getAuthPassword())) {
                return;
            }
            whose = "This endpoint's authUsername and authPassword are";
            hint = "headers " + WorkflowHttpConstants.overrideHeader("authUsername") + " and "
                    + WorkflowHttpConstants.overrideHeader("authPassword");
        } else {
            return;
        }
        throw new IllegalArgumentException(whose + " sent only to its own origin (" + Origins.of(home) + "), not to "
                + request.maskedUrl() + " (header " + WorkflowHttpConstants.URL + ")"
                + (hint.isEmpty()
                        ? ""
                        : "; to send credentials with a URL from the exchange, set them on the exchange (" + hint
                                + "), or call that origin through an endpoint of its own"));
    }

    /** Whether {@code value} is the endpoint's own (set there, and not replaced by the exchange). */
    private static boolean sameSecret(String value, String endpointValue) {
        return endpointValue != null && endpointValue.equals(value);
    }

    @Override
    public String toString() {
        // Camel's own would print the endpoint URI through its sanitizer, which leaves the target's query values shown
        return "Producer[" + endpoint + "]";
    }
}
