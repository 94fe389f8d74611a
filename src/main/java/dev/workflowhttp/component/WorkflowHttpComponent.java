package dev.workflowhttp.component;

import dev.workflowhttp.LimitPauseListener;
import dev.workflowhttp.ScopeListener;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.ClientSettings;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.limit.LimitTable;
import dev.workflowhttp.internal.limit.Origin;
import dev.workflowhttp.internal.limit.OriginLimiters;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.util.UrlMasking;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.SSLContextParametersAware;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.support.jsse.SSLContextParameters;
import org.apache.camel.util.URISupport;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;

/**
 * The {@code workflow-http} component: its options, the endpoints it creates from URIs, and its lifecycle. When it
 * starts it makes the {@link WorkflowHttpRuntime} its endpoints' calls share (clients and pools, deadline scheduler,
 * continuation threads, meters); when it stops it closes it.
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

    @Metadata(
            label = "advanced",
            defaultValue = "32768",
            description = "Bytes of each connection's HTTP/1.1 buffers"
                    + " (incoming, outgoing and body: three of this size per connection), from 1024 to 1048576. Larger"
                    + " buffers hand a streamed body to its reader in larger pieces, so large streamed bodies cost less CPU;"
                    + " every pooled connection then holds more memory.")
    private int ioBufferSize = DEFAULT_IO_BUFFER_SIZE;

    @Metadata(
            label = "security",
            description =
                    "Host patterns every endpoint may call (and nothing else), comma"
                            + " separated: names, wildcard names (star dot domain), IP addresses, CIDR networks. An endpoint's own list applies too.")
    private String allowedHosts;

    @Metadata(
            label = "security",
            description =
                    "Host patterns no endpoint may call, comma separated. An endpoint's" + " own list applies too.")
    private String deniedHosts;

    @Metadata(
            label = "security",
            description = "TLS trust store, key store and client certificate for endpoints" + " that set none.")
    private SSLContextParameters sslContextParameters;

    @Metadata(
            label = "security",
            defaultValue = "false",
            description =
                    "Use the Camel context's global" + " SSLContextParameters when sslContextParameters is not set.")
    private boolean useGlobalSslContextParameters;

    @Metadata(
            label = "advanced",
            description = "Resolves host names (org.apache.hc.client5.http.DnsResolver); the"
                    + " system resolver by default.")
    private DnsResolver dnsResolver;

    @Metadata(
            label = "limits",
            description = "Per-origin limits set once for every endpoint, entries separated by"
                    + " commas, each target=limits: the target an origin (https://api.example.com, port optional) or"
                    + " a host pattern of any scheme and port (api.example.com, *.example.org, an IP or CIDR); limits a rate"
                    + " (10/s, 600/m, 10/s burst 20), max=N calls in flight, or both: 10/s;max=5. An endpoint's own"
                    + " rateLimit/maxConcurrent for such an origin must be the same.")
    private String originLimits;

    private LimitTable originLimitTable = LimitTable.parse(null);

    private volatile ScopeListener scopeListener;
    private volatile LimitPauseListener limitPauseListener;
    private volatile int limitShare = 1;
    private final LimitsHealthCheck limitsHealthCheck = new LimitsHealthCheck(this);
    /** What the calls share while the component runs; the last one stays readable after a stop. */
    private volatile WorkflowHttpRuntime runtime;

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
        if (dnsResolver == null) {
            dnsResolver = SystemDefaultDnsResolver.INSTANCE;
        }
        SSLContextParameters tls = sslContextParameters;
        if (tls == null && useGlobalSslContextParameters) {
            tls = retrieveGlobalSslContextParameters();
        }
        keepStreamedBodiesOutOfStreamCaching();
        // a step reached on a thread that Camel makes wait for the exchange anyway runs on that thread
        WaitingThreads.install(getCamelContext());
        runtime = new WorkflowHttpRuntime(
                getCamelContext(),
                this,
                new WorkflowHttpRuntime.Setup(
                        new PooledClient.Tuning(
                                maxConnections, maxConnectionsPerRoute, ioThreads, ioBufferSize, dnsResolver),
                        continuationThreads,
                        HostRules.parse("allowedHosts", allowedHosts),
                        HostRules.parse("deniedHosts", deniedHosts),
                        new ClientSettings(tls, false, null),
                        () -> scopeListener,
                        originLimitTable));
        OriginLimiters limits = runtime.limits();
        limits.setShare(limitShare);
        limits.setPauseListener((origin, until) -> {
            LimitPauseListener listener = limitPauseListener;
            if (listener != null) {
                listener.paused(origin.toString(), until);
            }
        });
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.register(limitsHealthCheck);
        }
    }

    @Override
    protected void doStop() throws Exception {
        HealthCheckRegistry health = HealthCheckRegistry.get(getCamelContext());
        if (health != null) {
            health.unregister(limitsHealthCheck);
        }
        WorkflowHttpRuntime current = runtime;
        if (current != null) {
            current.close();
        }
        super.doStop();
    }

    /**
     * What the calls of this component share while it runs.
     *
     * @throws IllegalStateException when the component has not started
     */
    WorkflowHttpRuntime runtime() {
        WorkflowHttpRuntime current = runtime;
        if (current == null || !(isStarting() || isStarted())) {
            throw new IllegalStateException("workflow-http component is not started");
        }
        return current;
    }

    /** The runtime while the component runs, else null (for its health check). */
    WorkflowHttpRuntime currentRuntime() {
        WorkflowHttpRuntime current = runtime;
        return current != null && (isStarting() || isStarted()) ? current : null;
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

    // ---- what operators and tests read

    /** Scopes opened and not yet released. */
    public int getOpenScopes() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.openScopes();
    }

    /** Deadline timers still queued. */
    public int getPendingTimers() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.pendingTimers();
    }

    /** Pooled connections out on loan, in all the component's clients. */
    public int getLeasedConnections() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.leasedConnections();
    }

    /** Pooled connections kept open and idle, in all the component's clients. */
    public int getAvailableConnections() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.availableConnections();
    }

    /** Streamed bodies handed to routes and not yet read to their end, closed or released with their exchange. */
    public int getOpenStreams() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.openStreams();
    }

    /** Streamed bodies released because the route dropped them unread. */
    public long getDroppedStreams() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.droppedStreams();
    }

    /** HTTP clients started so far: one per distinct TLS and proxy setting in use. */
    public int getClientCount() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.clientCount();
    }

    /** Calls waiting for admission under their origin's limits (rateLimit, maxConcurrent, a pause): 0 when idle. */
    public int getLimitWaiting() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.limitWaiting();
    }

    /** Calls admitted under their origin's limits whose slot is not yet released: 0 when idle. */
    public int getLimitInFlight() {
        WorkflowHttpRuntime current = runtime;
        return current == null ? 0 : current.limitInFlight();
    }

    /** The origins paused now by their servers ({@code scheme://host:port}), with until when. */
    public Map<String, Instant> getPausedOrigins() {
        WorkflowHttpRuntime current = currentRuntime();
        Map<String, Instant> paused = new TreeMap<>();
        if (current != null) {
            // a pause that ended meanwhile reads null: left out
            current.pausedOrigins().forEach(limiter -> {
                Instant until = limiter.pausedUntil();
                if (until != null) {
                    paused.put(limiter.origin().toString(), until);
                }
            });
        }
        return paused;
    }

    // ---- across instances: what an application with several instances calls

    /**
     * Told of each pause this instance learns from a server (429 or 503 with {@code Retry-After}), to publish it to
     * the other instances (which call {@link #applyRemotePause}); null: none. Kept across restarts.
     */
    public void setLimitPauseListener(LimitPauseListener listener) {
        this.limitPauseListener = listener;
    }

    /**
     * Pauses {@code origin} ({@code scheme://host[:port]}) until {@code until} as another instance learned it: calls
     * to it wait (those already waiting keep their place), and the pause is not told to the listener again.
     *
     * @return whether this moved the origin's pause later
     * @throws IllegalArgumentException when {@code origin} is not one
     */
    public boolean applyRemotePause(String origin, Instant until) {
        WorkflowHttpRuntime current = currentRuntime();
        return current != null && current.limits().applyRemotePause(Origin.parse(origin), until);
    }

    /**
     * Makes this instance hold its share of every origin's limits when {@code liveMembers} instances share them (the
     * rate's count over {@code liveMembers} units, maxConcurrent divided, each at least 1): call it whenever the
     * cluster view changes. Kept across restarts.
     */
    public void setLimitShare(int liveMembers) {
        if (liveMembers < 1) {
            throw new IllegalArgumentException("A limit is shared by at least one member, not " + liveMembers);
        }
        this.limitShare = liveMembers;
        WorkflowHttpRuntime current = currentRuntime();
        if (current != null) {
            current.limits().setShare(liveMembers);
        }
    }

    public int getLimitShare() {
        return limitShare;
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
            throw new IllegalArgumentException(String.format(
                    "Invalid value for component option ioBufferSize: %d; "
                            + "it is a number of bytes from 1024 to %d (default %d)",
                    ioBufferSize, MAX_IO_BUFFER_SIZE, DEFAULT_IO_BUFFER_SIZE));
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

    public String getOriginLimits() {
        return originLimits;
    }

    /** Checked at once: an invalid entry fails the configuration, not a call. */
    public void setOriginLimits(String originLimits) {
        this.originLimitTable = LimitTable.parse(originLimits);
        this.originLimits = originLimits;
    }

    public DnsResolver getDnsResolver() {
        return dnsResolver;
    }

    public void setDnsResolver(DnsResolver dnsResolver) {
        this.dnsResolver = dnsResolver;
    }
}
