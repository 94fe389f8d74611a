package dev.workflowhttp.component;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.workflowhttp.AttemptRecord;
import dev.workflowhttp.BodyMode;
import dev.workflowhttp.Limit;
import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpIdleTimeoutException;
import dev.workflowhttp.WorkflowHttpPageException;
import dev.workflowhttp.WorkflowHttpRestrictedNetworkException;
import dev.workflowhttp.WorkflowHttpRetryException;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.CallContext;
import dev.workflowhttp.internal.http.CallSettings;
import dev.workflowhttp.internal.http.HttpCall;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.http.RedirectTrail;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.util.Durations;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.utils.DateUtils;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the step for one exchange: its budget (the nearer of {@code timeout} and the workflow's deadline), and
 * the attempts made inside it. Each attempt has its own timeout scope, released once, when its body is done: at once
 * when a retry replaces it or when the body was read whole; for a streamed body when it is read to its end or
 * closed, or when the exchange completes at the latest. Waiting between attempts holds no thread.
 */
final class StepRun {

    private static final Logger LOG = LoggerFactory.getLogger(StepRun.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");

    private final WorkflowHttpRuntime runtime;
    private final PooledClient client;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final StepSettings config;
    /** The request of the page being fetched (the only one when the run does not follow pages). */
    private volatile RequestFactory.Prepared request;
    /** The redirects of the latest attempt: where its answer came from. */
    private volatile RedirectTrail redirects;
    /** The pages fetched so far when {@code nextPage} is set, or null. */
    private final Pagination paging;
    private final long startNanos = System.nanoTime();
    /** System.nanoTime() of the budget's end, or 0 for none. */
    private final Budget budget;
    private final List<AttemptRecord> attempts = new ArrayList<>();
    /** The target's host and port (the scheme's default when the URL has none), and both as {@code host:port}. */
    private final String targetHost;
    private final int targetPort;
    private final String origin;
    /** The endpoint's OAuth2 tokens, or null. */
    private final OAuth2Tokens oauth2;
    /** The token the latest attempt sent, and whether a 401 already made the run fetch a new one. */
    private OAuth2Tokens.Token tokenSent;
    private boolean tokenRefused;
    /** Set when the route is told the outcome: it is told once. */
    private final AtomicBoolean completed = new AtomicBoolean();

    StepRun(WorkflowHttpRuntime runtime, PooledClient client, Exchange exchange, AsyncCallback callback,
            StepSettings config, RequestFactory.Prepared request, Instant workflowDeadline,
            OAuth2Tokens oauth2) {
        this.runtime = runtime;
        this.oauth2 = oauth2;
        this.client = client;
        this.exchange = exchange;
        this.callback = callback;
        this.config = config;
        this.request = request;
        this.targetHost = request.uri().getHost();
        this.targetPort = Origins.port(request.uri());
        this.origin = targetHost + ":" + targetPort;
        if (config.getNextPage() != null) {
            if (!request.method().equals("GET")) {
                throw new IllegalArgumentException("Option nextPage follows the pages of a GET, not of a "
                        + request.method() + " (" + request.maskedUrl() + ")");
            }
            paging = new Pagination(runtime.requests().json(), config, request.uri());
        } else {
            paging = null;
        }
        Budget own = config.getTimeout().isZero() ? Budget.UNBOUNDED
                : new Budget(Limit.TIMEOUT, true, startNanos + config.getTimeout().toNanos());
        if (workflowDeadline != null) {
            long workflowEnd = startNanos + Duration.between(Instant.now(), workflowDeadline).toNanos();
            budget = own.bounded() && own.endNanos() - workflowEnd <= 0 ? own
                    : new Budget(Limit.WORKFLOW_DEADLINE, true, workflowEnd);
        } else {
            budget = own;
        }
    }

    void start() {
        attempt(1);
    }

    private Duration remaining() {
        return budget.bounded() ? Duration.ofNanos(Math.max(0, budget.endNanos() - System.nanoTime())) : null;
    }

    private void attempt(int number) {
        Duration left = remaining();
        if (left != null && left.isZero()) {
            finish(null, null, budgetExhausted(number));
            return;
        }
        // before this call asks the pool for a connection: free those held by streams the route dropped unread
        runtime.releaseDroppedStreams(exchange);
        String description = request.method() + " " + request.maskedUrl() + (number > 1 ? " (attempt " + number + ")" : "");
        // the first attempt under its own timeout gets that timeout as it was written; any other gets what is left
        Duration limit = number == 1 && budget.limit() == Limit.TIMEOUT && (paging == null || paging.page() == 1)
                ? config.getTimeout()
                : left == null ? Duration.ZERO : left;
        RealTimeoutScope scope = runtime.scopes().open(limit, config.getConnectTimeout(),
                config.getIdleTimeout(), description, budget.limit());
        exchange.setProperty(WorkflowHttpConstants.TIMEOUT_SCOPE, scope);
        scope.describeLeaseWaitWith(() -> runtime.describeLeaseWait(client, targetHost, targetPort));

        HttpClientContext context = HttpClientContext.create();
        // cookie handling is on in the client, but a call sees only its exchange's cookies, or none
        context.setCookieStore(config.isExchangeCookies() ? ExchangeCookies.of(exchange) : ExchangeCookies.NONE);
        if (config.isDigestAuth() && config.getAuthUsername() != null && config.getAuthBearerToken() == null) {
            // answered by the client when the server challenges, for this target only
            context.setCredentialsProvider(client.credentialsFor(targetHost, targetPort, config.getAuthUsername(),
                    config.getAuthPassword()));
        }
        redirects = new RedirectTrail(config.getMaxRedirects(), config.isAllowInsecureRedirects(),
                request.maskedUrl());
        CallContext.bindTarget(context, runtime.targetPolicy(config), redirects, request.maskedUrl());
        context.setRequestConfig(RequestConfig.custom()
                .setRedirectsEnabled(config.isFollowRedirects())
                // the trail counts redirects and finds loops, with messages that name them; the client's own
                // limit only backs it up (and would read 0 as 50)
                .setMaxRedirects(config.getMaxRedirects() + 1)
                .setCircularRedirectsAllowed(true)
                .setResponseTimeout(Timeout.DISABLED)
                .build());
        CallSettings settings = new CallSettings(config.getBodyMode() == BodyMode.STREAM,
                paging != null ? paging.maxBodySize() : config.getMaxBodySize(),
                config.acceptedStatusCodes(), config.isThrowOnHttpError(), request.maskedUrl());
        if (oauth2 == null) {
            send(number, scope, settings, context, null);
            return;
        }
        OAuth2Tokens.Token cached = oauth2.cached();
        if (cached != null) {
            send(number, scope, settings, context, cached);
            return;
        }
        // wait for the token within this attempt's deadline; the fetch itself goes on for later calls if it passes
        scope.describeLeaseWaitWith(() -> "still waiting for the OAuth2 access token from " + oauth2.maskedUrl());
        scope.leaseRequested();
        AtomicBoolean waiting = new AtomicBoolean(true);
        scope.onAbort(failure -> {
            if (waiting.compareAndSet(true, false)) {
                attemptDone(number, scope, null, failure);
            }
        });
        oauth2.token().whenComplete((token, error) -> {
            if (!waiting.compareAndSet(true, false)) {
                return; // the deadline passed first
            }
            if (error != null) {
                WorkflowHttpException failure = error instanceof WorkflowHttpException step ? step
                        : new WorkflowHttpException(error.getMessage(), request.maskedUrl(), Phase.CONNECT, error);
                scope.fail(failure);
                attemptDone(number, scope, null, failure);
                return;
            }
            scope.describeLeaseWaitWith(() -> runtime.describeLeaseWait(client, targetHost, targetPort));
            scope.reenterConnect(); // the wait was for the token: the target's connect gets its own connectTimeout
            send(number, scope, settings, context, token);
        });
    }

    private void send(int number, RealTimeoutScope scope, CallSettings settings, HttpClientContext context,
                      OAuth2Tokens.Token token) {
        tokenSent = token;
        LOG.debug("Calling {}", scope);
        new HttpCall(scope, settings).start(client.client(), request.newProducer(token == null ? null : token.value()),
                context, (result, error) -> attemptDone(number, scope, result, unwrap(error)));
    }

    private void attemptDone(int number, RealTimeoutScope scope, HttpResult result, Throwable error) {
        AttemptRecord record = new AttemptRecord(number, result != null ? result.statusCode() : null,
                error == null ? null : error.getClass().getSimpleName(), scope.getPhase(), scope.getTiming());
        attempts.add(record);
        exchange.setProperty(WorkflowHttpConstants.ATTEMPTS, List.copyOf(attempts));
        LOG.debug("Attempt {} of {}: {}", number, request.maskedUrl(), record);

        if (result != null && result.statusCode() == 401 && tokenSent != null && !tokenRefused
                && request.repeatable()) {
            // the token was revoked or expired early: fetch a new one, and try once more with it
            tokenRefused = true;
            oauth2.reject(tokenSent);
            scope.release();
            LOG.debug("{} answered 401 to the OAuth2 token: sending again with a new one", request.maskedUrl());
            attempt(number + 1);
            return;
        }
        Duration wait = retryWait(number, result, error);
        if (wait == null) {
            finish(scope, result, error);
            return;
        }
        Duration left = remaining();
        String retryAfter = result == null ? null : result.header("Retry-After");
        if (left != null && wait.compareTo(left) >= 0) {
            WorkflowHttpException last = asStepError(scope, result, error);
            String why = retryAfter != null
                    ? String.format("the server asked to wait %s (Retry-After: %s)", Durations.format(wait), retryAfter)
                    : String.format("the backoff of %s", Durations.format(wait));
            finish(scope, null, new WorkflowHttpRetryException(String.format(
                    "not retried: %s is more than the %s left before the %s; %d attempt(s) made, the last: %s", why,
                    Durations.format(left), budget.limit(), number, last.getMessage()), request.maskedUrl(), number, last));
            return;
        }
        // this attempt is over: free its connection and timer now rather than when the exchange completes
        scope.release();
        LOG.debug("Retrying {} in {} (attempt {} failed: {})", request.maskedUrl(), Durations.format(wait), number,
                error != null ? error.getMessage() : "HTTP " + result.statusCode());
        runtime.scheduleRetry(() -> attempt(number + 1), wait, this::abandonRetry);
    }

    private void abandonRetry() {
        finish(null, null, new WorkflowHttpException("retry abandoned: the workflow-http component stopped ("
                + request.maskedUrl() + ")", request.maskedUrl(), null));
    }

    /** How long to wait before the next attempt, or null when this outcome is final. */
    private Duration retryWait(int number, HttpResult result, Throwable error) {
        // the attempt sent again with a new OAuth2 token is not one of the retries
        if (number - (tokenRefused ? 1 : 0) > config.getRetryAttempts()) {
            return null;
        }
        if (!config.isRetryNonIdempotent() && !IDEMPOTENT.contains(request.method())) {
            return null;
        }
        if (!request.repeatable()) {
            return null; // its stream part was read by this attempt
        }
        boolean retryable;
        if (error != null) {
            retryable = isConnectionFailure(error);
        } else {
            retryable = config.getRetryOn().contains(result.statusCode());
        }
        if (!retryable) {
            return null;
        }
        Duration backoff = config.getRetryBackoff().delayBefore(number);
        if (result != null) {
            Duration asked = retryAfter(result.header("Retry-After"));
            if (asked != null) {
                return asked;
            }
        }
        return backoff;
    }

    /** A connection that could not be made, or that the server closed before answering: the request did no work. */
    private static boolean isConnectionFailure(Throwable error) {
        if (!(error instanceof WorkflowHttpException step) || error instanceof WorkflowHttpTimeoutException
                || error instanceof WorkflowHttpIdleTimeoutException
                || error instanceof WorkflowHttpRestrictedNetworkException) {
            return false;
        }
        Throwable cause = step.getCause();
        return step.getClass() == WorkflowHttpException.class && (step.getPhase() == Phase.CONNECT
                || cause instanceof org.apache.hc.core5.http.NoHttpResponseException
                || cause instanceof org.apache.hc.core5.http.ConnectionClosedException
                || cause instanceof java.net.SocketException);
    }

    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(Character::isDigit)) {
            return Duration.ofSeconds(Long.parseLong(text));
        }
        Instant when = DateUtils.parseStandardDate(text);
        if (when == null) {
            return null;
        }
        Duration wait = Duration.between(Instant.now(), when);
        return wait.isNegative() ? Duration.ZERO : wait;
    }


    private WorkflowHttpException asStepError(RealTimeoutScope scope, HttpResult result, Throwable error) {
        if (error instanceof WorkflowHttpException step) {
            return step;
        }
        if (error != null) {
            return new WorkflowHttpException(error.getMessage(), request.maskedUrl(), scope.getPhase(), error);
        }
        return ResponseBinding.statusException(result, request.maskedUrl());
    }

    private WorkflowHttpTimeoutException budgetExhausted(int number) {
        Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
        String what = number == 1 ? "before the call could start" : "before attempt " + number + " could start";
        return new WorkflowHttpTimeoutException(String.format("BUDGET timeout: the %s had passed %s (%s elapsed in "
                        + "this step) (%s %s)", budget.limit(), what, Durations.format(elapsed), request.method(),
                request.maskedUrl()), request.maskedUrl(), Phase.BUDGET, budgetLength(), elapsed);
    }

    private Duration budgetLength() {
        return budget.bounded() ? Duration.ofNanos(Math.max(0, budget.endNanos() - startNanos)) : Duration.ZERO;
    }

    /**
     * Hands the outcome to the route on a continuation thread. The call's resources go with its body: a body read
     * whole (or no body, or a failure) releases the scope before the route goes on; a live stream is watched until
     * it is read to its end or closed, or its exchange completes.
     */
    private void finish(RealTimeoutScope scope, HttpResult result, Throwable error) {
        if (paging != null) {
            // on a continuation thread: a page's JSON is not parsed on the client's I/O thread
            handOff(() -> {
                try {
                    nextPageOrFinish(scope, result, error);
                } catch (RuntimeException e) {
                    // never leave the exchange without an outcome (complete tells the route once at most)
                    LOG.warn("Pagination of {} failed unexpectedly", request.maskedUrl(), e);
                    if (scope != null) {
                        scope.release();
                    }
                    complete(null, null, paging.failure("page " + paging.page() + " could not be handled: " + e,
                            paging.page()));
                }
            });
        } else {
            handOff(() -> complete(scope, result, error));
        }
    }

    /** Fetches the next page, or finishes with every page's body, or with the failing page named. */
    private void nextPageOrFinish(RealTimeoutScope scope, HttpResult result, Throwable error) {
        int page = paging.page();
        Throwable failure = error;
        if (failure == null && !config.getOkStatusCodes().contains(result.statusCode())) {
            failure = ResponseBinding.statusException(result, request.maskedUrl());
        }
        if (failure != null) {
            if (scope != null) {
                scope.release();
            }
            complete(null, null, new WorkflowHttpPageException(String.format("page %d failed (%s), after %d page(s) "
                    + "fetched: %s", page, request.maskedUrl(), page - 1, failure.getMessage()), request.maskedUrl(),
                    page, failure instanceof WorkflowHttpException step ? step.getPhase() : null, failure));
            return;
        }
        URI next;
        try {
            // a page that was redirected: its relative references are to where it came from (RFC 3986, 5.1.3)
            URI answeredFrom = redirects.lastLocation();
            next = paging.keep(result, answeredFrom != null ? answeredFrom : request.uri());
        } catch (WorkflowHttpPageException e) {
            scope.release();
            complete(null, null, e);
            return;
        }
        if (next == null) {
            exchange.getMessage().setHeader(WorkflowHttpConstants.PAGES, paging.pages());
            complete(scope, paging.collected(result), null);
            return;
        }
        scope.release();
        request = request.withUri(next);
        tokenRefused = false; // a page of its own: its own refresh, its own retries
        LOG.debug("Page {} fetched: the next is {}", page, request.maskedUrl());
        attempt(1);
    }

    private void handOff(Runnable next) {
        if (config.isContinueOnIoThread() && config.getBodyMode() == BodyMode.MATERIALIZE && PooledClient.onIoThread()) {
            // opted in: the route goes on here, on the I/O thread that completed the call (never on the deadline
            // thread, which delivers timeouts, nor in stream mode, whose reader would wait on this very thread)
            next.run();
            return;
        }
        runtime.continueWith(next);
    }

    private void complete(RealTimeoutScope scope, HttpResult result, Throwable error) {
        if (!completed.compareAndSet(false, true)) {
            return; // the exchange has its outcome: the route was told once
        }
        if (error != null && request.multipart() != null) {
            request.multipart().closeStreams(); // perhaps never sent (a deadline passed before, a token refused)
        }
        boolean streaming = false;
        try {
            if (error != null) {
                exchange.setException(error);
            } else {
                streaming = ResponseBinding.bind(exchange, scope, result, config, runtime.headerFilterStrategy(),
                        request);
            }
        } catch (RuntimeException e) {
            exchange.setException(e);
        } finally {
            if (scope != null) {
                if (streaming) {
                    runtime.watchStream(exchange, (BodyInputStream) result.body(), scope, origin);
                } else {
                    scope.release();
                }
            }
            callback.done(false);
        }
    }

    private static Throwable unwrap(Throwable error) {
        return error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
    }

    /**
     * What the run's attempts share: the limit that governs them and, when bounded, the System.nanoTime() reading at
     * which it passes ("no deadline" is {@code bounded == false}, never a special reading).
     */
    private record Budget(Limit limit, boolean bounded, long endNanos) {
        static final Budget UNBOUNDED = new Budget(Limit.TIMEOUT, false, 0);
    }
}
