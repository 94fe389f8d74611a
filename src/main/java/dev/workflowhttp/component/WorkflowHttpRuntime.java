package dev.workflowhttp.component;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.ScopeListener;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.ClientSettings;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.limit.LimitSpec;
import dev.workflowhttp.internal.limit.LimitTable;
import dev.workflowhttp.internal.limit.Origin;
import dev.workflowhttp.internal.limit.OriginLimiter;
import dev.workflowhttp.internal.limit.OriginLimiters;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.DeadlineScheduler;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.scope.TimeoutScopes;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.ExecutorServiceManager;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;

/**
 * What the calls of a started component share, made when it starts and closed when it stops: the asynchronous HTTP
 * clients with their connection pools (one per distinct TLS and proxy setting, the default one at once, the others
 * when an endpoint first needs them), the deadline scheduler with its open scopes, the threads on which routes go on
 * after a call and those that read upload streams, the request factory, the streamed bodies still out, the retries
 * waiting, and the meters. Endpoints and their calls use this object; the component only makes and closes it.
 */
final class WorkflowHttpRuntime {

    /** How the component is configured for its calls (its options, read when it starts). */
    record Setup(
            PooledClient.Tuning tuning,
            int continuationThreads,
            HostRules allowedHosts,
            HostRules deniedHosts,
            ClientSettings defaultClientSettings,
            Supplier<ScopeListener> scopeListener,
            LimitTable originLimits) {}

    private final CamelContext context;
    private final Setup setup;
    private final HeaderFilterStrategy headerFilterStrategy = new HttpHeaderFilterStrategy();
    private final ConcurrentMap<ClientSettings, PooledClient> clients = new ConcurrentHashMap<>();
    private final TimeoutScopes scopes;
    private final ExecutorService continuation;
    /**
     * Where the stream parts of uploads are read and closed: a user's stream may wait for its bytes, so never the
     * client's I/O threads, nor the continuation threads that deliver every call's outcome. A thread per stream part
     * being read at the moment (at most one per leased connection), ended after a minute idle.
     */
    private final ExecutorService uploadStreams;

    private final RequestFactory requests;
    /** Streamed bodies handed to routes whose calls are not released yet. */
    private final StreamWatch streams = new StreamWatch();

    private final Set<PendingRetry> pendingRetries = ConcurrentHashMap.newKeySet();
    private final WorkflowHttpMeters meters;
    /** The limits of the origins called: declared by endpoints and by the component's originLimits. */
    private final OriginLimiters limits;
    /** The origins the component's originLimits declared a limit for, as their calls or endpoints first named them. */
    private final ConcurrentMap<Origin, OriginLimiter> declaredByComponent = new ConcurrentHashMap<>();

    private volatile boolean closed;

    /** A retry waiting for its time, so that a stop can end the exchange waiting on it. */
    private record PendingRetry(DeadlineScheduler.Task future, Runnable abandon) {}

    /**
     * Makes the shared resources; {@code owner} names their threads.
     *
     * @throws IllegalArgumentException when the default TLS settings cannot make an SSL context
     */
    WorkflowHttpRuntime(CamelContext context, Object owner, Setup setup) {
        this.context = context;
        this.setup = setup;
        this.scopes = new TimeoutScopes("workflow-http-deadline", this::scopeReleased);
        ExecutorServiceManager executors = context.getExecutorServiceManager();
        // Camel reads a queue size <= 0 as no queue at all, and its default policy then runs the task on the caller:
        // the client's I/O thread, where a later step reading a streamed body waits for bytes only that thread can
        // deliver. Continuations wait in a queue for a free thread instead; only a stopping pool refuses them.
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("WorkflowHttpContinuation")
                .poolSize(setup.continuationThreads())
                .maxPoolSize(setup.continuationThreads())
                .maxQueueSize(Integer.MAX_VALUE)
                .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                .keepAliveTime(60L, TimeUnit.SECONDS)
                .allowCoreThreadTimeOut(true)
                .build();
        this.continuation = executors.newThreadPool(owner, "WorkflowHttpContinuation", profile);
        this.uploadStreams = executors.newCachedThreadPool(owner, "WorkflowHttpUploadStream");
        this.requests = new RequestFactory(new ObjectMapper(), "camel-workflow-http/" + version(), uploadStreams);
        this.limits = new OriginLimiters(scopes.scheduler(), continuation);
        clientFor(setup.defaultClientSettings());
        WorkflowHttpMeters made;
        try {
            made = WorkflowHttpMeters.forRegistryIn(context, this);
        } catch (NoClassDefFoundError absent) {
            // Micrometer is an optional dependency: the meters class, the only one that names it, cannot load
            made = null;
        }
        this.meters = made;
        // the origins the component's originLimits name are declared (and metered) from the start
        setup.originLimits().origins().keySet().forEach(this::limiterFor);
    }

    /** Ends the waiting retries, closes the clients (and so every call still open), the threads and the scheduler. */
    void close() throws InterruptedException {
        closed = true;
        synchronized (pendingRetries) {
            for (PendingRetry pending : pendingRetries) {
                if (pendingRetries.remove(pending)) {
                    pending.future().cancel();
                    pending.abandon().run();
                }
            }
        }
        // the calls waiting for admission end now (onAbandoned fails each), before the threads that deliver go
        limits.close();
        for (PooledClient running : List.copyOf(clients.values())) {
            running.close();
        }
        clients.clear();
        context.getExecutorServiceManager().shutdownNow(continuation);
        // the calls are closed, and with them their streams: a read still waiting is interrupted
        context.getExecutorServiceManager().shutdownNow(uploadStreams);
        if (meters != null) {
            meters.close();
        }
        scopes.close();
        scopes.awaitTermination(10, TimeUnit.SECONDS);
    }

    static String version() {
        try (InputStream in = WorkflowHttpRuntime.class.getResourceAsStream("/dev/workflowhttp/version.properties")) {
            if (in != null) {
                Properties properties = new Properties();
                properties.load(in);
                String version = properties.getProperty("version");
                if (version != null && !version.startsWith("$")) {
                    return version;
                }
            }
        } catch (IOException e) {
            // fall through to the unknown version
        }
        return "dev";
    }

    private void scopeReleased(TimeoutScope scope, TimeoutScope.State finalState) {
        streams.released(scope);
        if (meters != null) {
            meters.record(scope, finalState);
        }
        ScopeListener listener = setup.scopeListener().get();
        if (listener != null) {
            listener.released(scope, finalState);
        }
    }

    // ---- what a call uses

    /**
     * The client for {@code settings}, started on first use and kept until the component stops.
     *
     * @throws IllegalArgumentException when the TLS settings cannot make an SSL context
     */
    PooledClient clientFor(ClientSettings settings) {
        PooledClient existing = clients.get(settings);
        if (existing != null) {
            return existing;
        }
        if (closed) {
            throw new IllegalStateException("workflow-http component is not started");
        }
        return clients.computeIfAbsent(settings, key -> PooledClient.start(key, setup.tuning(), context));
    }

    /** The TLS and proxy settings of an endpoint that sets none of its own. */
    ClientSettings defaultClientSettings() {
        return setup.defaultClientSettings();
    }

    TimeoutScopes scopes() {
        return scopes;
    }

    RequestFactory requests() {
        return requests;
    }

    HeaderFilterStrategy headerFilterStrategy() {
        return headerFilterStrategy;
    }

    /** Where a call with {@code config} may go: its own rules and the component's. */
    TargetPolicy targetPolicy(StepSettings config) {
        return new TargetPolicy(
                config.getRestrictedNetworks(),
                setup.allowedHosts(),
                setup.deniedHosts(),
                config.getAllowedHosts(),
                config.getDeniedHosts());
    }

    /**
     * Runs {@code next} on a continuation thread; on the caller's when the component is stopping, rather than lose
     * the exchange.
     */
    void continueWith(Runnable next) {
        try {
            continuation.execute(next);
        } catch (RejectedExecutionException e) {
            next.run();
        }
    }

    /**
     * Runs {@code retry} after {@code wait} on the deadline thread; if the component stops first, {@code abandon}
     * ends the exchange instead, so that no exchange waits forever.
     */
    void scheduleRetry(Runnable retry, Duration wait, Runnable abandon) {
        scheduleRetry(retry, wait, abandon, null);
    }

    /**
     * As {@link #scheduleRetry(Runnable, Duration, Runnable)}, the retry handed to {@code waitingCaller}'s thread
     * rather than to a continuation thread when it is not null.
     */
    void scheduleRetry(Runnable retry, Duration wait, Runnable abandon, WaitingCaller waitingCaller) {
        PendingRetry[] pending = new PendingRetry[1];
        Runnable task = () -> {
            boolean due;
            synchronized (pendingRetries) {
                due = pendingRetries.remove(pending[0]);
            }
            if (due) {
                // not on the deadline thread: starting a call may resolve a name, and timers must not wait for it
                if (waitingCaller != null) {
                    waitingCaller.handOver(retry);
                    return;
                }
                try {
                    continuation.execute(retry);
                } catch (RejectedExecutionException stopped) {
                    abandon.run();
                }
            }
        };
        synchronized (pendingRetries) {
            DeadlineScheduler.Task future;
            try {
                future = scopes.schedule(task, wait.toNanos());
            } catch (RejectedExecutionException stopped) {
                abandon.run();
                return;
            }
            pending[0] = new PendingRetry(future, abandon);
            pendingRetries.add(pending[0]);
        }
    }

    // ---- per-origin limits

    /**
     * The limiter a call to {@code origin} goes through, or null when it goes at once: the one endpoints declared,
     * else the component's {@code originLimits} for it (declared on first use), else one of pauses only that a 429 or
     * 503 with {@code Retry-After} made.
     */
    OriginLimiter limiterFor(Origin origin) {
        return metered(findLimiter(origin));
    }

    private OriginLimiter metered(OriginLimiter limiter) {
        if (limiter != null && meters != null) {
            meters.meterOrigin(limiter);
        }
        return limiter;
    }

    private OriginLimiter findLimiter(Origin origin) {
        LimitTable.Match fromComponent = setup.originLimits().match(origin);
        if (fromComponent != null) {
            OriginLimiter declared = declaredByComponent.get(origin);
            if (declared != null) {
                return declared;
            }
            try {
                return declaredByComponent.computeIfAbsent(
                        origin, key -> limits.declare(key, fromComponent.limits(), fromComponent.declaredBy()));
            } catch (IllegalArgumentException | IllegalStateException conflictOrStopped) {
                // an endpoint declared other limits first (its route start was refused) or the component stops
                return limits.limiter(origin);
            }
        }
        return limits.limiter(origin);
    }

    /**
     * Declares an endpoint's limits for its origin, after the component's own for that origin if it sets any.
     *
     * @throws IllegalArgumentException naming both declarations when the origin already has other limits
     */
    OriginLimiter declareLimits(Origin origin, LimitSpec spec, String declaredBy) {
        LimitTable.Match fromComponent = setup.originLimits().match(origin);
        if (fromComponent != null) {
            declaredByComponent.computeIfAbsent(
                    origin, key -> limits.declare(key, fromComponent.limits(), fromComponent.declaredBy()));
        }
        return metered(limits.declare(origin, spec, declaredBy));
    }

    void withdrawLimits(Origin origin, String declaredBy) {
        limits.withdraw(origin, declaredBy);
    }

    /**
     * The server asked its clients to wait ({@code 429} or {@code 503} with {@code Retry-After}): no call to the
     * origin is admitted before {@code until}, from any route; calls already waiting keep their place.
     */
    void pauseOrigin(Origin origin, Instant until) {
        limits.pauseUntil(origin, until);
        metered(limits.limiter(origin));
    }

    OriginLimiters limits() {
        return limits;
    }

    /** The limiters of the origins paused now by their servers. */
    List<OriginLimiter> pausedOrigins() {
        return limits.limiters().stream()
                .filter(limiter -> limiter.pausedUntil() != null)
                .toList();
    }

    // ---- streamed bodies: released when read, closed, dropped, or when their exchange completes

    /** Watches a streamed body handed to {@code exchange}'s route until its call is released. */
    void watchStream(Exchange exchange, BodyInputStream stream, RealTimeoutScope scope, String origin) {
        streams.watch(exchange, stream, scope, origin);
    }

    /**
     * Before a call starts: releases the streamed bodies that nobody can reach any more, and those this exchange's
     * route dropped unread, so that their connections go back to the pool instead of starving it.
     */
    void releaseDroppedStreams(Exchange exchange) {
        streams.releaseDropped(exchange);
    }

    /**
     * What a call waiting for a pooled connection to {@code host}:{@code port} waits behind, for its CONNECT timeout's
     * message: how many connections are leased, and how many of them by streamed bodies not yet read whole.
     */
    String describeLeaseWait(PooledClient client, String host, int port) {
        PooledClient.PoolUse use = client.use(host, port);
        String origin = host + ":" + port;
        StringBuilder text = new StringBuilder("no pooled connection came free: ")
                .append(use.leased())
                .append(" of ")
                .append(use.maxPerRoute())
                .append(" connections to ")
                .append(origin)
                .append(" leased (maxConnectionsPerRoute), ")
                .append(use.pending())
                .append(" call(s) waiting, ")
                .append(use.leasedTotal())
                .append(" of ")
                .append(use.maxTotal())
                .append(" leased in all (maxConnections)");
        String held = streams.describeHolding(origin);
        if (held != null) {
            text.append("; ").append(held);
        }
        return text.toString();
    }

    // ---- what operators, meters and tests read

    int openScopes() {
        return scopes.openScopes();
    }

    int pendingTimers() {
        return scopes.pendingTimers();
    }

    int leasedConnections() {
        return clients.values().stream()
                .mapToInt(PooledClient::leasedConnections)
                .sum();
    }

    int availableConnections() {
        return clients.values().stream()
                .mapToInt(PooledClient::availableConnections)
                .sum();
    }

    int openStreams() {
        return streams.open();
    }

    long droppedStreams() {
        return streams.dropped();
    }

    int clientCount() {
        return clients.size();
    }

    /** Calls waiting for admission under their origin's limits, all origins together: 0 when idle. */
    int limitWaiting() {
        return limits.waiting();
    }

    /** Calls admitted under their origin's limits and not yet released: 0 when idle. */
    int limitInFlight() {
        return limits.inFlight();
    }
}
