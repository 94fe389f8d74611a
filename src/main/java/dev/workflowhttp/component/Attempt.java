package dev.workflowhttp.component;

import dev.workflowhttp.Limit;
import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.http.BlockingCall;
import dev.workflowhttp.internal.http.CallContext;
import dev.workflowhttp.internal.http.CallSettings;
import dev.workflowhttp.internal.http.HttpCall;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.http.RedirectTrail;
import dev.workflowhttp.internal.limit.OriginLimiter;
import dev.workflowhttp.internal.limit.Permit;
import dev.workflowhttp.internal.limit.Ticket;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One attempt of a {@link StepRun}: one request sent under a timeout scope of its own (with what it needs first: an
 * OAuth2 token to wait for; a digest challenge to answer). It owns that scope, the client context with the redirect
 * trail, and the call ({@link HttpCall}: the client's future and the response consumer, aborted through the scope).
 * It tells its run the outcome once; the run decides what comes next and, to retry, has the attempt hand its scope
 * back before the next one is made. What spans attempts (the budget, their count, the pages) is the run's.
 */
final class Attempt {

    private static final Logger LOG = LoggerFactory.getLogger(Attempt.class);

    /** Told once with an attempt's outcome: the response, or the step's exception. */
    interface Outcome {
        void done(Attempt attempt, HttpResult result, Throwable error);
    }

    // ---- fixed when the attempt is made, on the thread that makes it; read by any thread afterwards
    private final int number;
    private final RequestFactory.Prepared request;
    private final WorkflowHttpRuntime runtime;
    private final PooledClient client;
    private final RealTimeoutScope scope;
    private final HttpClientContext context;
    private final CallSettings settings;
    private final Outcome outcome;
    /** Where the answer came from; the client's I/O threads add the hops while the call runs. */
    private final RedirectTrail redirects;

    // ---- written by the thread that sends the request before the client sees it, read on the outcome's thread (the
    //      client's hand-over of the outcome orders the two)
    /** The OAuth2 token sent, or null. */
    private OAuth2Tokens.Token tokenSent;

    // ---- any thread: a wait for the OAuth2 token is settled once, by the token or by the deadline, whichever is first
    private final AtomicBoolean waitingForToken = new AtomicBoolean();
    // ---- any thread: a wait for admission under the origin's limits is settled once, by the admission, the deadline
    //      or the component's stop, whichever is first; the ticket is set by the starting thread after it asked
    private final AtomicBoolean waitingInQueue = new AtomicBoolean();
    private final AtomicReference<Ticket> ticket = new AtomicReference<>();
    /** The origin's limiter, or null when the call goes at once. */
    private final OriginLimiter limiter;
    /** Whether the call is made on the thread that sends it, which waits for it anyway ({@link BlockingCall}). */
    private final boolean onCallerThread;

    /**
     * What one attempt is asked to do, beside its request: its scope's description and length ({@link Duration#ZERO}
     * for none) and the limit that set it, the cookies it sees, the credentials it answers a digest challenge with (or
     * null), how it treats redirects, what its response side needs to know, and the limiter of its target's origin
     * it must be admitted by before it sends (null: it goes at once; so does an OAuth2 token fetch, which calls
     * waiting in the queue may wait for: it never queues behind them), and whether the thread that sends it makes
     * the call itself with the blocking client (it waits for the outcome anyway).
     */
    record Plan(
            String description,
            Duration limit,
            Limit governedBy,
            CookieStore cookies,
            CredentialsProvider digestCredentials,
            boolean followRedirects,
            int maxRedirects,
            boolean allowInsecureRedirects,
            CallSettings settings,
            OriginLimiter limiter,
            boolean onCallerThread) {}

    /**
     * Opens the attempt's scope and prepares its client context: the call goes where {@code config}'s rules and the
     * component's allow, checked on the resolved address of every hop, as every call of the component does.
     */
    Attempt(
            int number,
            WorkflowHttpRuntime runtime,
            PooledClient client,
            StepSettings config,
            RequestFactory.Prepared request,
            Plan plan,
            Outcome outcome) {
        this.number = number;
        this.request = request;
        this.runtime = runtime;
        this.client = client;
        this.outcome = outcome;
        this.settings = plan.settings();
        this.limiter = plan.limiter();
        this.onCallerThread = plan.onCallerThread();
        this.scope = runtime.scopes()
                .open(
                        plan.limit(),
                        config.getConnectTimeout(),
                        config.getIdleTimeout(),
                        plan.description(),
                        plan.governedBy());
        scope.describeLeaseWaitWith(this::describeLeaseWait);

        this.context = HttpClientContext.create();
        // cookie handling is on in the client, but a call sees only its exchange's cookies, or none
        context.setCookieStore(plan.cookies());
        if (plan.digestCredentials() != null) {
            // answered by the client when the server challenges, for this target only
            context.setCredentialsProvider(plan.digestCredentials());
        }
        this.redirects = new RedirectTrail(plan.maxRedirects(), plan.allowInsecureRedirects(), request.maskedUrl());
        CallContext.bindTarget(context, runtime.targetPolicy(config), redirects, request.maskedUrl());
        context.setRequestConfig(RequestConfig.custom()
                .setRedirectsEnabled(plan.followRedirects())
                // the trail counts redirects and finds loops, with messages that name them; the client's own
                // limit only backs it up (and would read 0 as 50)
                .setMaxRedirects(plan.maxRedirects() + 1)
                .setCircularRedirectsAllowed(true)
                .setResponseTimeout(Timeout.DISABLED)
                .build());
    }

    private String describeLeaseWait() {
        return runtime.describeLeaseWait(client, request.uri().getHost(), Origins.port(request.uri()));
    }

    /**
     * Sends the request, first waiting (within this attempt's deadline, holding no thread) for admission under the
     * origin's limits when it has any, then for the OAuth2 token when there is one. The slot admission gives is held
     * until the scope is released: with the last byte of a body read whole, or when a stream is read, closed or
     * released with its exchange.
     */
    void start(OAuth2Tokens oauth2) {
        if (limiter == null) {
            admitted(oauth2);
            return;
        }
        scope.enterQueue(limiter::describeWait);
        waitingInQueue.set(true);
        scope.onAbort(failure -> {
            if (waitingInQueue.compareAndSet(true, false)) {
                Ticket queued = ticket.get();
                if (queued != null) {
                    queued.cancel(); // else the starting thread cancels it once it has it
                }
                outcome.done(this, null, failure);
            }
        });
        Ticket queued = limiter.acquire(
                permit -> {
                    if (!waitingInQueue.compareAndSet(true, false)) {
                        permit.release(); // the deadline won the race against the admission
                        return;
                    }
                    holdUntilReleased(permit);
                    scope.leaveQueue();
                    admitted(oauth2);
                },
                () -> {
                    if (waitingInQueue.compareAndSet(true, false)) {
                        WorkflowHttpException stopped = new WorkflowHttpException(
                                "not sent: the workflow-http component "
                                        + "stopped while the call waited for its origin's limits ("
                                        + request.maskedUrl() + ")",
                                request.maskedUrl(),
                                Phase.QUEUE);
                        scope.fail(stopped);
                        outcome.done(this, null, stopped);
                    }
                });
        ticket.set(queued);
        if (!waitingInQueue.get()) {
            queued.cancel(); // the deadline passed before the ticket was set (a no-op if it was admitted)
        }
    }

    private void holdUntilReleased(Permit permit) {
        scope.whenReleased(permit::release);
    }

    private void admitted(OAuth2Tokens oauth2) {
        if (oauth2 == null) {
            send(null);
            return;
        }
        OAuth2Tokens.Token cached = oauth2.cached();
        if (cached != null) {
            send(cached);
            return;
        }
        // the fetch itself goes on for later calls if this attempt's deadline passes first
        scope.describeLeaseWaitWith(() -> "still waiting for the OAuth2 access token from " + oauth2.maskedUrl());
        scope.leaseRequested();
        waitingForToken.set(true);
        scope.onAbort(failure -> {
            if (waitingForToken.compareAndSet(true, false)) {
                outcome.done(this, null, failure);
            }
        });
        oauth2.token().whenComplete((token, error) -> {
            if (!waitingForToken.compareAndSet(true, false)) {
                return; // the deadline passed first
            }
            if (error != null) {
                WorkflowHttpException failure = error instanceof WorkflowHttpException step
                        ? step
                        : new WorkflowHttpException(error.getMessage(), request.maskedUrl(), Phase.CONNECT, error);
                scope.fail(failure);
                outcome.done(this, null, failure);
                return;
            }
            scope.describeLeaseWaitWith(this::describeLeaseWait);
            scope.reenterConnect(); // the wait was for the token: the target's connect gets its own connectTimeout
            send(token);
        });
    }

    private void send(OAuth2Tokens.Token token) {
        tokenSent = token;
        LOG.debug("Calling {}", scope);
        if (onCallerThread && token == null) {
            // this thread waits for the outcome anyway: it makes the call itself
            HttpResult result;
            try {
                result = BlockingCall.run(client, request.request(), context, scope, settings);
            } catch (WorkflowHttpException failure) {
                outcome.done(this, null, failure);
                return;
            }
            outcome.done(this, result, null);
            return;
        }
        // the call holds the client's future and the response consumer; the scope's release or deadline aborts it
        new HttpCall(scope, settings)
                .start(
                        client.client(),
                        request.newProducer(token == null ? null : token.value()),
                        context,
                        (result, error) -> outcome.done(this, result, unwrap(error)));
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * Hands this attempt's resources back now (its connection and timer), rather than when the exchange completes,
     * and has {@code next} run after {@code wait} without holding a thread (on {@code waitingCaller}'s thread when
     * it is not null, else on a continuation thread); {@code abandon} ends the exchange instead if the component stops
     * first.
     */
    void handOffRetry(Duration wait, Runnable next, Runnable abandon, WaitingCaller waitingCaller) {
        scope.release();
        runtime.scheduleRetry(next, wait, abandon, waitingCaller);
    }

    int number() {
        return number;
    }

    RealTimeoutScope scope() {
        return scope;
    }

    /** The OAuth2 token this attempt sent, or null. */
    OAuth2Tokens.Token tokenSent() {
        return tokenSent;
    }

    /** The URL the answer came from: the last redirect's, or the one requested. */
    URI answeredFrom() {
        URI last = redirects.lastLocation();
        return last != null ? last : request.uri();
    }
}
