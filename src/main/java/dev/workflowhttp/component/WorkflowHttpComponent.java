package dev.workflowhttp.component;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.ScopeListener;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.ClientSettings;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.DeadlineScheduler;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.scope.TimeoutScopes;
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

    /** HttpCore's own default. */
    static final int DEFAULT_IO_BUFFER_SIZE = 32 * 1024;
    private static final int MAX_IO_BUFFER_SIZE = 1024 * 1024;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(WorkflowHttpComponent.class);

    @Metadata(defaultValue = "200", description = "Most pooled connections in all.")
    private int maxConnections = 200;
    @Metadata(defaultValue = "50", description = "Most pooled connections to one host and port.")
    private int maxConnectionsPerRoute = 50;
    @Metadata(description = "Threads of the HTTP client's I/O reactor; the number of processors by default.")
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    @Metadata(defaultValue = "16", description = "Threads on which routes go on after a call.")
    private int continuationThreads = 16;
    @Metadata(label = "advanced", defaultValue = "32768", description = "Bytes of each connection's HTTP/1.1 buffers"
            + " (incoming, outgoing and body: three of this size per connection), from 1024 to 1048576. Larger"
            + " buffers hand a streamed body to its reader in larger pieces, so large streamed bodies cost less CPU;"
            + " every pooled connection then holds more memory.")
    private int ioBufferSize = DEFAULT_IO_BUFFER_SIZE;
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
    /**
     * Where the stream parts of uploads are read and closed: a user's stream may wait for its bytes, so never the
     * client's I/O threads, nor the continuation threads that deliver every call's outcome. A thread per stream part
     * being read at the moment (at most one per leased connection), ended after a minute idle.
     */
    private volatile ExecutorService uploadStreams;
    private volatile RequestFactory requests;
    private volatile ScopeListener scopeListener;
    private volatile WorkflowHttpMeters meters;
    private final Set<StepRun.PendingRetry> pendingRetries = ConcurrentHashMap.newKeySet();
    /** Streamed bodies handed to routes whose calls are not released yet. */
    private final StreamWatch streams = new StreamWatch();

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String shownUri = UrlMasking.maskEndpointUri(uri, WorkflowHttpConfiguration.shownOptions());
        WorkflowHttpConfiguration configuration = new WorkflowHttpConfiguration();
        try {
            OptionBinding.bindUri(getCamelContext(), configuration, parameters);
            configuration.validate();
            IdempotencyKeys.check(getCamelContext(), configuration.getRetry().getIdempotencyKey());
        } catch (IllegalArgumentException e) {
            throw new ResolveEndpointFailedException(shownUri, e.getMessage());
        }
        for (String name : parameters.keySet()) {
            String refusal = EndpointUris.refusalOf(name);
            if (refusal != null) {
                throw new ResolveEndpointFailedException(shownUri, refusal);
            }
        }
        String target = EndpointUris.rawTarget(uri, remaining);
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
        uploadStreams = getCamelContext().getExecutorServiceManager()
                .newCachedThreadPool(this, "WorkflowHttpUploadStream");
        requests = new RequestFactory(new ObjectMapper(), "camel-workflow-http/" + version(), uploadStreams);
        keepStreamedBodiesOutOfStreamCaching();
        try {
            meters = WorkflowHttpMeters.forRegistryIn(getCamelContext(), this);
        } catch (NoClassDefFoundError absent) {
            // Micrometer is an optional dependency: the meters class, the only one that names it, cannot load
            meters = null;
        }
    }

    /**
     * Runs {@code retry} after {@code wait} on the deadline thread; if the component stops first, {@code abandon}
     * ends the exchange instead, so that no exchange waits forever.
     */
    void scheduleRetry(Exchange exchange, Runnable retry, Duration wait, Runnable abandon) {
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
            pending[0] = new StepRun.PendingRetry(future, abandon);
            pendingRetries.add(pending[0]);
        }
    }

    @Override
    protected void doStop() throws Exception {
        synchronized (pendingRetries) {
            for (StepRun.PendingRetry pending : pendingRetries) {
                if (pendingRetries.remove(pending)) {
                    pending.future().cancel();
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
        if (uploadStreams != null) {
            // the calls are closed, and with them their streams: a read still waiting is interrupted
            getCamelContext().getExecutorServiceManager().shutdownNow(uploadStreams);
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
        List<Class<?>> denied = new ArrayList<>();
        if (strategy.getDenyClasses() != null) {
            denied.addAll(strategy.getDenyClasses());
        }
        if (!denied.contains(BodyInputStream.class)) {
            denied.add(BodyInputStream.class);
            strategy.setDenyClasses(denied.toArray(new Class<?>[0]));
        }
    }

    private void scopeReleased(TimeoutScope scope, TimeoutScope.State finalState) {
        streams.released(scope);
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
                .append(use.leased()).append(" of ").append(use.maxPerRoute()).append(" connections to ").append(origin)
                .append(" leased (maxConnectionsPerRoute), ").append(use.pending()).append(" call(s) waiting, ")
                .append(use.leasedTotal()).append(" of ").append(use.maxTotal()).append(" leased in all (maxConnections)");
        String held = streams.describeHolding(origin);
        if (held != null) {
            text.append("; ").append(held);
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
                maxConnections, maxConnectionsPerRoute, ioThreads, ioBufferSize, dnsResolver), getCamelContext()));
    }

    /** The TLS and proxy settings of an endpoint that sets none of its own. */
    ClientSettings defaultClientSettings() {
        return defaultClientSettings;
    }

    /** Where a call with {@code config} may go: its own rules and the component's. */
    TargetPolicy targetPolicy(StepSettings config) {
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
        return streams.open();
    }

    /** Streamed bodies released because the route dropped them unread. */
    public long getDroppedStreams() {
        return streams.dropped();
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

    public int getIoBufferSize() {
        return ioBufferSize;
    }

    /** Checked at once: a size out of range fails the configuration, not the first call. */
    public void setIoBufferSize(int ioBufferSize) {
        if (ioBufferSize < 1024 || ioBufferSize > MAX_IO_BUFFER_SIZE) {
            throw new IllegalArgumentException(String.format("Invalid value for component option ioBufferSize: %d; "
                    + "it is a number of bytes from 1024 to %d (default %d)", ioBufferSize, MAX_IO_BUFFER_SIZE,
                    DEFAULT_IO_BUFFER_SIZE));
        }
        this.ioBufferSize = ioBufferSize;
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
