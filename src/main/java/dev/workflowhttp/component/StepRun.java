package dev.workflowhttp.component;

import dev.workflowhttp.AttemptRecord;
import dev.workflowhttp.BodyMode;
import dev.workflowhttp.Durations;
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
import dev.workflowhttp.internal.http.CallSettings;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.http.Origins;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.limit.Origin;
import dev.workflowhttp.internal.limit.OriginLimiter;
import dev.workflowhttp.internal.limit.RetryAfter;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One run of the step for one exchange: what spans its attempts (the budget, the nearer of {@code timeout} and the
 * workflow's deadline; the attempts made; the pages), and the decision after each {@link Attempt}: retry, next page,
 * or hand the outcome to the route. Each attempt has its own timeout scope, released once, when its body is done: at
 * once when a retry replaces it or when the body was read whole; for a streamed body when it is read to its end or
 * closed, or when the exchange completes at the latest. Waiting between attempts holds no thread.
 */
final class StepRun {

    private static final Logger LOG = LoggerFactory.getLogger(StepRun.class);
    private static final Set<String> IDEMPOTENT = Set.of("GET", "HEAD", "PUT", "DELETE", "OPTIONS", "TRACE");
    /**
     * The least budget a retry must still have once its wait is over: an attempt started with less (a backoff that
     * ends a millisecond before the deadline) cannot connect and send, and would only fail as a timeout where the
     * truth is that the budget ran out between attempts. The deadline thread alone can be this late on a busy machine.
     */
    private static final Duration SHORTEST_ATTEMPT = Duration.ofMillis(20);

    // ---- fixed when the run is made, on the producer's thread
    private final WorkflowHttpRuntime runtime;
    private final PooledClient client;
    private final Exchange exchange;
    private final AsyncCallback callback;
    private final StepSettings config;
    private final String targetHost;
    private final int targetPort;
    /** The target as {@code host:port}. */
    private final String origin;
    /** The endpoint's OAuth2 tokens, or null. */
    private final OAuth2Tokens oauth2;
    /** The caller's thread when it waits for the run (it then goes on with the route), or null: the route goes on
     *  from a continuation thread. */
    private final WaitingCaller caller;

    private final long startNanos = System.nanoTime();
    /** The time all attempts share, however many there are. */
    private final Budget budget;

    // ---- across attempts: touched by one attempt's outcome at a time, on the thread it arrives on; the next attempt
    //      starts after (through the continuation or deadline executor, which orders the two)
    /** The request of the page being fetched (the only one when the run does not follow pages). */
    private RequestFactory.Prepared request;
    /** The pages fetched so far when {@code nextPage} is set, or null. */
    private final Pagination paging;

    private final List<AttemptRecord> attempts = new ArrayList<>();
    /** Whether a 401 already made the run fetch a new OAuth2 token (once per page). */
    private boolean tokenRefused;

    // ---- any thread: the route is told the outcome once
    private final AtomicBoolean completed = new AtomicBoolean();
    /** The attempt under way, for the waiting caller's interrupt to abort. */
    private volatile Attempt current;
    /** Set when the waiting caller's thread was interrupted: no further attempt starts. */
    private volatile boolean interrupted;

    StepRun(
            WorkflowHttpRuntime runtime,
            PooledClient client,
            Exchange exchange,
            AsyncCallback callback,
            StepSettings config,
            RequestFactory.Prepared request,
            Instant workflowDeadline,
            OAuth2Tokens oauth2,
            WaitingCaller caller) {
        this.runtime = runtime;
        this.caller = caller;
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
        Budget own = config.getTimeout().isZero()
                ? Budget.UNBOUNDED
                : new Budget(
                        Limit.TIMEOUT, true, startNanos + config.getTimeout().toNanos());
        if (workflowDeadline != null) {
            long workflowEnd = startNanos
                    + Duration.between(Instant.now(), workflowDeadline).toNanos();
            budget = own.bounded() && own.endNanos() - workflowEnd <= 0
                    ? own
                    : new Budget(Limit.WORKFLOW_DEADLINE, true, workflowEnd);
        } else {
            budget = own;
        }
    }

    /** Starts the run; the route is told the outcome later, from a continuation thread (or the I/O thread). */
    void start() {
        attempt(1);
    }

    /**
     * Runs the step on the caller's thread, which waits for the outcome and binds it itself: what other threads
     * settle (the response, a timeout, a retry's failure) is handed to this thread, not to a continuation thread. The
     * callback is told {@code done(true)} before this returns. An interrupt of the waiting thread aborts the call
     * under way (and starts no other attempt); the wait then ends with that failure.
     */
    void runOnCaller() {
        attempt(1);
        caller.runUntil(completed::get, this::abortForInterrupt);
    }

    private void abortForInterrupt() {
        interrupted = true;
        Attempt running = current;
        if (running != null) {
            running.scope().fail(interruptedFailure(running.scope().getPhase()));
        }
    }

    private WorkflowHttpException interruptedFailure(Phase phase) {
        return new WorkflowHttpException(
                "interrupted: the thread waiting for the call was interrupted (" + request.method() + " "
                        + request.maskedUrl() + ")",
                request.maskedUrl(),
                phase);
    }

    private Duration remaining() {
        return budget.bounded() ? Duration.ofNanos(Math.max(0, budget.endNanos() - System.nanoTime())) : null;
    }

    private void attempt(int number) {
        if (interrupted) {
            finish(null, null, interruptedFailure(null));
            return;
        }
        Duration left = remaining();
        if (left != null && left.isZero()) {
            finish(null, null, budgetExhausted(number));
            return;
        }
        // before this call asks the pool for a connection: free those held by streams the route dropped unread
        runtime.releaseDroppedStreams(exchange);
        // the first attempt under its own timeout gets that timeout as it was written; any other gets what is left
        Duration limit = number == 1 && budget.limit() == Limit.TIMEOUT && (paging == null || paging.page() == 1)
                ? config.getTimeout()
                : left == null ? Duration.ZERO : left;
        String description =
                request.method() + " " + request.maskedUrl() + (number > 1 ? " (attempt " + number + ")" : "");
        boolean digest =
                config.isDigestAuth() && config.getAuthUsername() != null && config.getAuthBearerToken() == null;
        OriginLimiter limiter = runtime.limiterFor(Origin.of(request.uri()));
        Attempt.Plan plan = new Attempt.Plan(
                description,
                limit,
                budget.limit(),
                config.isExchangeCookies() ? ExchangeCookies.of(exchange) : ExchangeCookies.NONE,
                digest
                        ? client.credentialsFor(
                                targetHost, targetPort, config.getAuthUsername(), config.getAuthPassword())
                        : null,
                config.isFollowRedirects(),
                config.getMaxRedirects(),
                config.isAllowInsecureRedirects(),
                new CallSettings(
                        config.getBodyMode() == BodyMode.STREAM,
                        paging != null ? paging.maxBodySize() : config.getMaxBodySize(),
                        config.acceptedStatusCodes(),
                        config.isThrowOnHttpError(),
                        request.maskedUrl()),
                // looked up per attempt: a header may name another URL, a page another origin, and a pause may have
                // given an origin without declared limits a limiter since the last attempt
                limiter,
                blocking(limiter, digest));
        Attempt attempt = new Attempt(number, runtime, client, config, request, plan, this::attemptDone);
        exchange.setProperty(WorkflowHttpConstants.TIMEOUT_SCOPE, attempt.scope());
        current = attempt;
        if (interrupted) {
            // the interrupt came between the check above and now: it found no attempt to abort
            attempt.scope().fail(interruptedFailure(null));
        }
        attempt.start(oauth2);
    }

    /**
     * Whether this attempt is made on the waiting caller's thread with the blocking client: a call of one hop to a
     * plain {@code http} target, its body read whole, sent at once (no origin limits to wait for, no OAuth2 token, no
     * digest challenge, no multipart stream to read on other threads, no cookies to carry, no proxy). Any other call
     * of a waiting caller goes through the asynchronous client, its outcome handed to the waiting thread.
     */
    private boolean blocking(OriginLimiter limiter, boolean digest) {
        return caller != null
                && config.getBodyMode() == BodyMode.MATERIALIZE
                && "http".equals(request.uri().getScheme())
                && limiter == null
                && oauth2 == null
                && !digest
                && request.multipart() == null
                && !config.isFollowRedirects()
                && !config.isExchangeCookies()
                && client.settings().proxy() == null;
    }

    private void attemptDone(Attempt attempt, HttpResult result, Throwable error) {
        int number = attempt.number();
        RealTimeoutScope scope = attempt.scope();
        AttemptRecord record = new AttemptRecord(
                number,
                result != null ? result.statusCode() : null,
                error == null ? null : error.getClass().getSimpleName(),
                scope.getPhase(),
                scope.getTiming());
        attempts.add(record);
        exchange.setProperty(WorkflowHttpConstants.ATTEMPTS, List.copyOf(attempts));
        LOG.debug("Attempt {} of {}: {}", number, request.maskedUrl(), record);
        if (result != null) {
            pauseOriginIfAsked(attempt, result);
        }

        if (result != null
                && result.statusCode() == 401
                && attempt.tokenSent() != null
                && !tokenRefused
                && request.repeatable()) {
            // the token was revoked or expired early: fetch a new one, and try once more with it
            tokenRefused = true;
            oauth2.reject(attempt.tokenSent());
            scope.release();
            LOG.debug("{} answered 401 to the OAuth2 token: sending again with a new one", request.maskedUrl());
            attempt(number + 1);
            return;
        }
        Duration wait = retryWait(number, result, error);
        if (wait == null) {
            finish(attempt, result, error);
            return;
        }
        Duration left = remaining();
        String retryAfter = result == null ? null : result.header("Retry-After");
        if (left != null && wait.plus(SHORTEST_ATTEMPT).compareTo(left) > 0) {
            WorkflowHttpException last = asStepError(scope, result, error);
            String why = retryAfter != null
                    ? String.format("the server asked to wait %s (Retry-After: %s)", Durations.format(wait), retryAfter)
                    : String.format("the backoff of %s", Durations.format(wait));
            String against = wait.compareTo(left) >= 0
                    ? "is more than the"
                    : "would leave less than " + Durations.format(SHORTEST_ATTEMPT) + " of the";
            finish(
                    attempt,
                    null,
                    new WorkflowHttpRetryException(
                            String.format(
                                    "not retried: %s %s %s left before the %s; %d attempt(s) made, the last: %s",
                                    why, against, Durations.format(left), budget.limit(), number, last.getMessage()),
                            request.maskedUrl(),
                            number,
                            last));
            return;
        }
        LOG.debug(
                "Retrying {} in {} (attempt {} failed: {})",
                request.maskedUrl(),
                Durations.format(wait),
                number,
                error != null ? error.getMessage() : "HTTP " + result.statusCode());
        attempt.handOffRetry(wait, () -> attempt(number + 1), this::abandonRetry, caller);
    }

    /**
     * A 429 or 503 with {@code Retry-After} pauses the origin that answered, for every call of every route, until
     * then, no later than this run's deadline (a call bound by a shorter deadline could not wait longer anyway, and
     * a server's far date must not stall an origin for longer than any caller waits).
     */
    private void pauseOriginIfAsked(Attempt attempt, HttpResult result) {
        int status = result.statusCode();
        if (status != 429 && status != 503) {
            return;
        }
        String retryAfter = result.header("Retry-After");
        if (retryAfter == null) {
            return;
        }
        Instant now = Instant.now();
        Duration left = remaining();
        Instant until = RetryAfter.pauseUntil(retryAfter, now, left == null ? null : now.plus(left));
        if (until == null) {
            return;
        }
        Origin answered;
        try {
            answered = Origin.of(attempt.answeredFrom());
        } catch (IllegalArgumentException e) {
            return;
        }
        LOG.debug(
                "{} answered {} with Retry-After {}: calls to {} wait until {}",
                request.maskedUrl(),
                status,
                retryAfter,
                answered,
                until);
        runtime.pauseOrigin(answered, until);
    }

    private void abandonRetry() {
        finish(
                null,
                null,
                new WorkflowHttpException(
                        "retry abandoned: the workflow-http component stopped (" + request.maskedUrl() + ")",
                        request.maskedUrl(),
                        null));
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
            Duration asked = RetryAfter.delay(result.header("Retry-After"), Instant.now());
            if (asked != null) {
                return asked;
            }
        }
        return backoff;
    }

    /** A connection that could not be made, or that the server closed before answering: the request did no work. */
    private static boolean isConnectionFailure(Throwable error) {
        if (!(error instanceof WorkflowHttpException step)
                || error instanceof WorkflowHttpTimeoutException
                || error instanceof WorkflowHttpIdleTimeoutException
                || error instanceof WorkflowHttpRestrictedNetworkException) {
            return false;
        }
        Throwable cause = step.getCause();
        return step.getClass() == WorkflowHttpException.class
                && (step.getPhase() == Phase.CONNECT
                        || cause instanceof org.apache.hc.core5.http.NoHttpResponseException
                        || cause instanceof org.apache.hc.core5.http.ConnectionClosedException
                        || cause instanceof java.net.SocketException);
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
        return new WorkflowHttpTimeoutException(
                String.format(
                        "BUDGET timeout: the %s had passed %s (%s elapsed in " + "this step) (%s %s)",
                        budget.limit(), what, Durations.format(elapsed), request.method(), request.maskedUrl()),
                request.maskedUrl(),
                Phase.BUDGET,
                budgetLength(),
                elapsed);
    }

    private Duration budgetLength() {
        return budget.bounded() ? Duration.ofNanos(Math.max(0, budget.endNanos() - startNanos)) : Duration.ZERO;
    }

    /**
     * Hands the outcome to the route on a continuation thread. The call's resources go with its body: a body read
     * whole (or no body, or a failure) releases the scope before the route goes on; a live stream is watched until
     * it is read to its end or closed, or its exchange completes.
     */
    private void finish(Attempt attempt, HttpResult result, Throwable error) {
        RealTimeoutScope scope = attempt == null ? null : attempt.scope();
        if (paging != null) {
            // on a continuation thread: a page's JSON is not parsed on the client's I/O thread
            handOff(() -> {
                try {
                    nextPageOrFinish(attempt, result, error);
                } catch (RuntimeException e) {
                    // never leave the exchange without an outcome (complete tells the route once at most)
                    LOG.warn("Pagination of {} failed unexpectedly", request.maskedUrl(), e);
                    if (scope != null) {
                        scope.release();
                    }
                    complete(
                            null,
                            null,
                            paging.failure("page " + paging.page() + " could not be handled: " + e, paging.page()));
                }
            });
        } else {
            handOff(() -> complete(scope, result, error));
        }
    }

    /** Fetches the next page, or finishes with every page's body, or with the failing page named. */
    private void nextPageOrFinish(Attempt attempt, HttpResult result, Throwable error) {
        RealTimeoutScope scope = attempt == null ? null : attempt.scope();
        int page = paging.page();
        Throwable failure = error;
        if (failure == null && !config.getOkStatusCodes().contains(result.statusCode())) {
            failure = ResponseBinding.statusException(result, request.maskedUrl());
        }
        if (failure != null) {
            if (scope != null) {
                scope.release();
            }
            complete(
                    null,
                    null,
                    new WorkflowHttpPageException(
                            String.format(
                                    "page %d failed (%s), after %d page(s) " + "fetched: %s",
                                    page, request.maskedUrl(), page - 1, failure.getMessage()),
                            request.maskedUrl(),
                            page,
                            failure instanceof WorkflowHttpException step ? step.getPhase() : null,
                            failure));
            return;
        }
        URI next;
        try {
            // a page that was redirected: its relative references are to where it came from (RFC 3986, 5.1.3)
            next = paging.keep(result, attempt.answeredFrom());
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
        if (caller != null) {
            // the caller's thread waits for this run: it goes on with the route itself
            caller.handOver(next);
            return;
        }
        if (config.isContinueOnIoThread()
                && config.getBodyMode() == BodyMode.MATERIALIZE
                && PooledClient.onIoThread()) {
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
                streaming =
                        ResponseBinding.bind(exchange, scope, result, config, runtime.headerFilterStrategy(), request);
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
            // on the waiting caller's thread, before its process(...) returns true; else from this thread, later
            callback.done(caller != null);
        }
    }

    /**
     * What the run's attempts share: the limit that governs them and, when bounded, the System.nanoTime() reading at
     * which it passes ("no deadline" is {@code bounded == false}, never a special reading).
     */
    private record Budget(Limit limit, boolean bounded, long endNanos) {
        static final Budget UNBOUNDED = new Budget(Limit.TIMEOUT, false, 0);
    }
}
