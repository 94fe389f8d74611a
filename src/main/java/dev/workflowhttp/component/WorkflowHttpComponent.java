package dev.workflowhttp.component;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.ScopeListener;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.ClientSettings;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.scope.TimeoutScopes;
import dev.workflowhttp.internal.util.Durations;
import dev.workflowhttp.internal.util.Spelling;
import dev.workflowhttp.internal.util.UrlMasking;
import org.apache.camel.Endpoint;
import org.apache.camel.Exchange;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The {@code workflow-http} component. It owns what its endpoints share: the asynchronous HTTP clients with their
 * connection pools (one per distinct TLS and proxy setting, the default one created at start, the others when an
 * endpoint first needs them), one deadline scheduler and the threads on which routes continue after a call. All are
 * released when it stops.
 */
@Component("workflow-http")
public class WorkflowHttpComponent extends DefaultComponent implements SSLContextParametersAware {

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkflowHttpComponent.class);

    @Metadata(defaultValue = "200", description = "Most pooled connections in all.")
    private int maxConnections = 200;
    @Metadata(defaultValue = "50", description = "Most pooled connections to one host and port.")
    private int maxConnectionsPerRoute = 50;
    @Metadata(description = "Threads of the HTTP client's I/O reactor; the number of processors by default.")
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    @Metadata(defaultValue = "16", description = "Threads on which routes go on after a call.")
    private int continuationThreads = 16;
    @Metadata(label = "security", description = "Host patterns every endpoint may call (and nothing else), comma"
            + " separated: names, wildcard names (star dot domain), IP addresses, CIDR networks. An endpoint's own list applies too.")
    private String allowedHosts;
    @Metadata(label = "security", description = "Host patterns no endpoint may call, comma separated. An endpoint's"
            + " own list applies too.")
    private String deniedHosts;
    @Metadata(label = "security", description = "TLS trust store, key store and client certificate for endpoints"
            + " that set none.")
    private SSLContextParameters sslContextParameters;
    @Metadata(label = "security", defaultValue = "false", description = "Use the Camel context's global"
            + " SSLContextParameters when sslContextParameters is not set.")
    private boolean useGlobalSslContextParameters;
    @Metadata(label = "advanced", description = "Resolves host names (org.apache.hc.client5.http.DnsResolver); the"
            + " system resolver by default.")
    private DnsResolver dnsResolver;

    private final HeaderFilterStrategy headerFilterStrategy = new HttpHeaderFilterStrategy();
    private final ConcurrentMap<ClientSettings, PooledClient> clients = new ConcurrentHashMap<>();
    private volatile HostRules allowedHostRules = HostRules.none();
    private volatile HostRules deniedHostRules = HostRules.none();
    private volatile ClientSettings defaultClientSettings = ClientSettings.DEFAULT;
    private volatile TimeoutScopes scopes;
    private volatile ExecutorService continuation;
    private volatile RequestFactory requests;
    private volatile ScopeListener scopeListener;
    private volatile WorkflowHttpMeters meters;
    private final java.util.Set<StepRun.PendingRetry> pendingRetries = java.util.concurrent.ConcurrentHashMap.newKeySet();
    /** Streamed bodies handed to routes whose calls are not released yet, by scope. */
    private final ConcurrentMap<TimeoutScope, StreamRef> openStreams = new ConcurrentHashMap<>();
    /** Where the streams nobody can reach any more are queued; polled as calls start. */
    private final java.lang.ref.ReferenceQueue<BodyInputStream> unreachableStreams = new java.lang.ref.ReferenceQueue<>();
    private final java.util.concurrent.atomic.AtomicLong droppedStreams = new java.util.concurrent.atomic.AtomicLong();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String shownUri = UrlMasking.maskEndpointUri(uri, WorkflowHttpConfiguration.shownOptions());
        WorkflowHttpConfiguration configuration = new WorkflowHttpConfiguration();
        try {
            SSLContextParameters tls = resolveAndRemoveReferenceParameter(parameters, "sslContextParameters",
                    SSLContextParameters.class);
            if (tls != null) {
                configuration.apply(getCamelContext(), "sslContextParameters", tls);
            }
            for (String option : WorkflowHttpConfiguration.OPTIONS) {
                if (parameters.containsKey(option)) {
                    configuration.apply(getCamelContext(), option, parameters.remove(option));
                }
            }
            configuration.validate();
        } catch (IllegalArgumentException e) {
            throw new ResolveEndpointFailedException(shownUri, e.getMessage());
        }
        for (String name : parameters.keySet()) {
            if (name.equals("authBearer")) {
                throw new ResolveEndpointFailedException(shownUri, "Option 'authBearer' is now 'authBearerToken' "
                        + "(camel-http's name for it, which Camel's own messages mask)");
            }
            String camelHttp = CamelHttpOptionNames.refusal(name);
            if (camelHttp != null) {
                throw new ResolveEndpointFailedException(shownUri, camelHttp);
            }
            String near = nearestOption(name);
            if (near != null) {
                throw new ResolveEndpointFailedException(shownUri, String.format(
                        "Unknown option '%s': did you mean '%s'? (Query parameters that are not options stay on "
                                + "the target URL, but one this close to an option name is refused as a typo.)",
                        name, near));
            }
        }
        String target = rawTarget(uri, remaining);
        if (!parameters.isEmpty()) {
            try {
                target = target + "?" + URISupport.createQueryString(parameters);
            } catch (Exception e) {
                throw new ResolveEndpointFailedException(shownUri, e);
            }
            parameters.clear();
        }
        try {
            RequestFactory.checkUrl(target);
        } catch (IllegalArgumentException e) {
            throw new ResolveEndpointFailedException(shownUri, e.getMessage());
        }
        return new WorkflowHttpEndpoint(uri, this, target, configuration);
    }

    /**
     * The target URL as the endpoint URI has it. Camel hands {@code remaining} percent-decoded, which would turn
     * {@code /a%20b} into an invalid URL, {@code /100%25} into a malformed one and {@code /a%23b} into a fragment.
     * Only the host and port are decoded, as Camel's normalization encodes an IPv6 literal's brackets.
     */
    private static String rawTarget(String uri, String remaining) {
        String raw;
        try {
            raw = URISupport.extractRemainderPath(new URI(uri), true);
        } catch (URISyntaxException e) {
            return remaining;
        }
        int authority = raw.indexOf("://");
        if (authority < 0) {
            return remaining;
        }
        authority += 3;
        int path = raw.indexOf('/', authority);
        if (path < 0) {
            path = raw.length();
        }
        int host = Math.max(authority, raw.lastIndexOf('@', path - 1) + 1);
        try {
            return raw.substring(0, host) + URLDecoder.decode(raw.substring(host, path), StandardCharsets.UTF_8)
                    + raw.substring(path);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The option an override header names ({@code CamelWorkflowHttpTimeout} → {@code timeout}), or null. */
    static String optionOfHeader(String header) {
        if (header.length() <= WorkflowHttpConstants.OVERRIDE_PREFIX.length()) {
            return null;
        }
        String rest = header.substring(WorkflowHttpConstants.OVERRIDE_PREFIX.length());
        String option = Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
        return WorkflowHttpConfiguration.OPTIONS.contains(option) ? option : null;
    }

    /** The option within two edits of {@code name} (ignoring case), or null. */
    static String nearestOption(String name) {
        return Spelling.nearest(name, WorkflowHttpConfiguration.OPTIONS, 2);
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        allowedHostRules = HostRules.parse("allowedHosts", allowedHosts);
        deniedHostRules = HostRules.parse("deniedHosts", deniedHosts);
        if (dnsResolver == null) {
            dnsResolver = SystemDefaultDnsResolver.INSTANCE;
        }
        SSLContextParameters tls = sslContextParameters;
        if (tls == null && useGlobalSslContextParameters) {
            tls = retrieveGlobalSslContextParameters();
        }
        defaultClientSettings = new ClientSettings(tls, false, null);
        scopes = new TimeoutScopes("workflow-http-deadline", this::scopeReleased);
        clientFor(defaultClientSettings);
        // Camel reads a queue size <= 0 as no queue at all, and its default policy then runs the task on the caller:
        // the client's I/O thread, where a later step reading a streamed body waits for bytes only that thread can
        // deliver. Continuations wait in a queue for a free thread instead; only a stopping pool refuses them.
        ThreadPoolProfile profile = new ThreadPoolProfileBuilder("WorkflowHttpContinuation")
                .poolSize(continuationThreads).maxPoolSize(continuationThreads).maxQueueSize(Integer.MAX_VALUE)
                .rejectedPolicy(ThreadPoolRejectedPolicy.Abort)
                .keepAliveTime(60L, TimeUnit.SECONDS).allowCoreThreadTimeOut(true).build();
        continuation = getCamelContext().getExecutorServiceManager()
                .newThreadPool(this, "WorkflowHttpContinuation", profile);
        requests = new RequestFactory(new ObjectMapper(), "camel-workflow-http/" + version());
        keepStreamedBodiesOutOfStreamCaching();
        // Micrometer is an optional dependency: the meters class (the only one that names it) loads only with it
        if (WorkflowHttpMeters.micrometerPresent()) {
            meters = WorkflowHttpMeters.forRegistryIn(getCamelContext(), this);
        }
    }

    /**
     * Runs {@code retry} after {@code wait} on the deadline thread; if the component stops first, {@code abandon}
     * ends the exchange instead, so that no exchange waits forever.
     */
    void scheduleRetry(org.apache.camel.Exchange exchange, Runnable retry, java.time.Duration wait, Runnable abandon) {
        StepRun.PendingRetry[] pending = new StepRun.PendingRetry[1];
        Runnable task = () -> {
            boolean due;
            synchronized (pendingRetries) {
                due = pendingRetries.remove(pending[0]);
            }
            if (due) {
                // not on the deadline thread: starting a call may resolve a name, and timers must not wait for it
                try {
                    continuation.execute(retry);
                } catch (java.util.concurrent.RejectedExecutionException stopped) {
                    abandon.run();
                }
            }
        };
        synchronized (pendingRetries) {
            java.util.concurrent.ScheduledFuture<?> future;
            try {
                future = scopes.schedule(task, wait.toNanos());
            } catch (java.util.concurrent.RejectedExecutionException stopped) {
                abandon.run();
                return;
            }
            pending[0] = new StepRun.PendingRetry(future, abandon);
            pendingRetries.add(pending[0]);
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (pendingRetries) {
            for (StepRun.PendingRetry pending : pendingRetries) {
                if (pendingRetries.remove(pending)) {
                    pending.future().cancel(false);
                    pending.abandon().run();
                }
            }
        }
        for (PooledClient running : List.copyOf(clients.values())) {
            running.close();
        }
        clients.clear();
        if (continuation != null) {
            getCamelContext().getExecutorServiceManager().shutdownNow(continuation);
        }
        if (meters != null) {
            meters.close();
            meters = null;
        }
        if (scopes != null) {
            scopes.close();
            scopes.awaitTermination(10, TimeUnit.SECONDS);
        }
        super.doStop();
    }

    /**
     * Camel's stream caching would read a {@code stream} mode body whole into memory (or spool it to disk) at the
     * next step, which defeats streaming: such bodies stay streams, read by the steps that want them.
     */
    private void keepStreamedBodiesOutOfStreamCaching() {
        org.apache.camel.spi.StreamCachingStrategy strategy = getCamelContext().getStreamCachingStrategy();
        java.util.List<Class<?>> denied = new java.util.ArrayList<>();
        if (strategy.getDenyClasses() != null) {
            denied.addAll(strategy.getDenyClasses());
        }
        if (!denied.contains(BodyInputStream.class)) {
            denied.add(BodyInputStream.class);
            strategy.setDenyClasses(denied.toArray(new Class<?>[0]));
        }
    }

    private void scopeReleased(TimeoutScope scope, TimeoutScope.State finalState) {
        openStreams.remove(scope);
        WorkflowHttpMeters current = meters;
        if (current != null) {
            current.record(scope, finalState);
        }
        ScopeListener listener = scopeListener;
        if (listener != null) {
            listener.released(scope, finalState);
        }
    }

    static String version() {
        try (InputStream in = WorkflowHttpComponent.class.getResourceAsStream("/dev/workflowhttp/version.properties")) {
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

    // ---- streamed bodies: released when read, closed, dropped, or when their exchange completes

    /** Watches a streamed body handed to {@code exchange}'s route until its call is released. */
    void watchStream(Exchange exchange, BodyInputStream stream, RealTimeoutScope scope, String origin) {
        StreamRef ref = new StreamRef(stream, unreachableStreams, scope, origin);
        openStreams.put(scope, ref);
        OpenStreams.of(exchange).add(ref);
        if (ref.released()) {
            // read to its end (or failed) on another thread before it was watched
            openStreams.remove(scope);
        }
    }

    /**
     * Before a call starts: releases the streamed bodies that nobody can reach any more, and those this exchange's
     * route dropped unread, so that their connections go back to the pool instead of starving it.
     */
    void releaseDroppedStreams(Exchange exchange) {
        for (java.lang.ref.Reference<?> queued; (queued = unreachableStreams.poll()) != null; ) {
            StreamRef stream = (StreamRef) queued;
            if (stream.releaseUnread("the streamed body was dropped unread (no longer reachable from anywhere)")) {
                reportDropped(stream);
            }
        }
        OpenStreams open = OpenStreams.find(exchange);
        if (open != null) {
            for (StreamRef stream : open.releaseDropped(exchange)) {
                reportDropped(stream);
            }
        }
    }

    private void reportDropped(StreamRef stream) {
        long count = droppedStreams.incrementAndGet();
        String text = "A streamed body was dropped unread and its connection closed: {} (bodyMode=stream; read the "
                + "body to its end or close it, or use bodyMode=materialize){}";
        if (count == 1) {
            LOG.warn(text, stream.scope().getDescription(), "; further ones are logged at DEBUG and counted in "
                    + "workflow_http_streams_dropped");
        } else {
            LOG.debug(text, stream.scope().getDescription(), "");
        }
    }

    /**
     * What a call waiting for a pooled connection to {@code host}:{@code port} waits behind, for its CONNECT timeout's
     * message: how many connections are leased, and how many of them by streamed bodies not yet read whole.
     */
    String describeLeaseWait(PooledClient client, String host, int port) {
        PooledClient.PoolUse use = client.use(host, port);
        String origin = host + ":" + port;
        long now = System.nanoTime();
        int streams = 0;
        StreamRef oldest = null;
        for (StreamRef stream : openStreams.values()) {
            if (stream.origin().equalsIgnoreCase(origin) && !stream.released()) {
                streams++;
                if (oldest == null || stream.openedNanos() - oldest.openedNanos() < 0) {
                    oldest = stream;
                }
            }
        }
        StringBuilder text = new StringBuilder("no pooled connection came free: ")
                .append(use.leased()).append(" of ").append(use.maxPerRoute()).append(" connections to ").append(origin)
                .append(" leased (maxConnectionsPerRoute), ").append(use.pending()).append(" call(s) waiting, ")
                .append(use.leasedTotal()).append(" of ").append(use.maxTotal()).append(" leased in all (maxConnections)");
        if (streams > 0) {
            text.append("; ").append(streams).append(" of them held by streamed bodies not yet read to their end or "
                    + "closed, the oldest for ").append(Durations.format(java.time.Duration.ofNanos(now - oldest.openedNanos())))
                    .append(": ").append(oldest.scope().getDescription())
                    .append(" (read or close streamed bodies, or use bodyMode=materialize)");
        }
        return text.toString();
    }

    // ---- shared with endpoints and producers

    TimeoutScopes scopes() {
        return scopes;
    }

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
        if (!isStarting() && !isStarted()) {
            throw new IllegalStateException("workflow-http component is not started");
        }
        return clients.computeIfAbsent(settings, key -> PooledClient.start(key, new PooledClient.Tuning(
                maxConnections, maxConnectionsPerRoute, ioThreads, dnsResolver), getCamelContext()));
    }

    /** The TLS and proxy settings of an endpoint that sets none of its own. */
    ClientSettings defaultClientSettings() {
        return defaultClientSettings;
    }

    /** Where a call with {@code config} may go: its own rules and the component's. */
    TargetPolicy targetPolicy(WorkflowHttpConfiguration config) {
        return new TargetPolicy(config.getRestrictedNetworks(), allowedHostRules, deniedHostRules,
                config.getAllowedHosts(), config.getDeniedHosts());
    }

    ExecutorService continuation() {
        return continuation;
    }

    RequestFactory requests() {
        return requests;
    }

    HeaderFilterStrategy headerFilterStrategy() {
        return headerFilterStrategy;
    }

    // ---- what operators and tests read

    /** Scopes opened and not yet released. */
    public int getOpenScopes() {
        TimeoutScopes current = scopes;
        return current == null ? 0 : current.openScopes();
    }

    /** Deadline timers still queued. */
    public int getPendingTimers() {
        TimeoutScopes current = scopes;
        return current == null ? 0 : current.pendingTimers();
    }

    /** Pooled connections out on loan, in all the component's clients. */
    public int getLeasedConnections() {
        return clients.values().stream().mapToInt(PooledClient::leasedConnections).sum();
    }

    /** Pooled connections kept open and idle, in all the component's clients. */
    public int getAvailableConnections() {
        return clients.values().stream().mapToInt(PooledClient::availableConnections).sum();
    }

    /** Streamed bodies handed to routes and not yet read to their end, closed or released with their exchange. */
    public int getOpenStreams() {
        return openStreams.size();
    }

    /** Streamed bodies released because the route dropped them unread. */
    public long getDroppedStreams() {
        return droppedStreams.get();
    }

    /** HTTP clients started so far: one per distinct TLS and proxy setting in use. */
    public int getClientCount() {
        return clients.size();
    }

    /** Told once for every scope released, with the state it had reached. */
    public void setScopeListener(ScopeListener listener) {
        this.scopeListener = listener;
    }

    public int getMaxConnections() {
        return maxConnections;
    }

    public void setMaxConnections(int maxConnections) {
        this.maxConnections = maxConnections;
    }

    public int getMaxConnectionsPerRoute() {
        return maxConnectionsPerRoute;
    }

    public void setMaxConnectionsPerRoute(int maxConnectionsPerRoute) {
        this.maxConnectionsPerRoute = maxConnectionsPerRoute;
    }

    public int getIoThreads() {
        return ioThreads;
    }

    public void setIoThreads(int ioThreads) {
        this.ioThreads = ioThreads;
    }

    public int getContinuationThreads() {
        return continuationThreads;
    }

    public void setContinuationThreads(int continuationThreads) {
        this.continuationThreads = continuationThreads;
    }

    public String getAllowedHosts() {
        return allowedHosts;
    }

    /** Checked at once: an invalid pattern fails the configuration, not a call. */
    public void setAllowedHosts(String allowedHosts) {
        HostRules.parse("allowedHosts", allowedHosts);
        this.allowedHosts = allowedHosts;
    }

    public String getDeniedHosts() {
        return deniedHosts;
    }

    /** Checked at once: an invalid pattern fails the configuration, not a call. */
    public void setDeniedHosts(String deniedHosts) {
        HostRules.parse("deniedHosts", deniedHosts);
        this.deniedHosts = deniedHosts;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    @Override
    public boolean isUseGlobalSslContextParameters() {
        return useGlobalSslContextParameters;
    }

    @Override
    public void setUseGlobalSslContextParameters(boolean useGlobalSslContextParameters) {
        this.useGlobalSslContextParameters = useGlobalSslContextParameters;
    }

    public DnsResolver getDnsResolver() {
        return dnsResolver;
    }

    public void setDnsResolver(DnsResolver dnsResolver) {
        this.dnsResolver = dnsResolver;
    }
}
