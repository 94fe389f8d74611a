package dev.workflowhttp;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.client.ChainHandlers;
import dev.workflowhttp.client.RequestFactory;
import dev.workflowhttp.scope.ScopeListener;
import dev.workflowhttp.scope.TimeoutScope;
import dev.workflowhttp.scope.TimeoutScopes;
import io.micrometer.core.instrument.MeterRegistry;
import org.apache.camel.Endpoint;
import org.apache.camel.ResolveEndpointFailedException;
import org.apache.camel.http.base.HttpHeaderFilterStrategy;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.ThreadPoolProfile;
import org.apache.camel.spi.annotations.Component;
import org.apache.camel.support.DefaultComponent;
import org.apache.camel.builder.ThreadPoolProfileBuilder;
import org.apache.camel.util.URISupport;
import org.apache.camel.util.concurrent.ThreadPoolRejectedPolicy;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * The {@code workflow-http} component. It owns what its endpoints share: one asynchronous HTTP client with its
 * connection pool, one deadline scheduler and the threads on which routes continue after a call. All are created
 * when the component starts and released when it stops.
 */
@Component("workflow-http")
public class WorkflowHttpComponent extends DefaultComponent {

    @Metadata(defaultValue = "200", description = "Most pooled connections in all.")
    private int maxConnections = 200;
    @Metadata(defaultValue = "50", description = "Most pooled connections to one host and port.")
    private int maxConnectionsPerRoute = 50;
    @Metadata(description = "Threads of the HTTP client's I/O reactor; the number of processors by default.")
    private int ioThreads = Runtime.getRuntime().availableProcessors();
    @Metadata(defaultValue = "16", description = "Threads on which routes go on after a call.")
    private int continuationThreads = 16;

    private final HeaderFilterStrategy headerFilterStrategy = new HttpHeaderFilterStrategy();
    private volatile TimeoutScopes scopes;
    private volatile PoolingAsyncClientConnectionManager pool;
    private volatile CloseableHttpAsyncClient client;
    private volatile ExecutorService continuation;
    private volatile RequestFactory requests;
    private volatile ScopeListener scopeListener;
    private volatile WorkflowHttpMeters meters;

    @Override
    protected Endpoint createEndpoint(String uri, String remaining, Map<String, Object> parameters) {
        String shownUri = UrlMasking.mask(uri);
        WorkflowHttpConfiguration configuration = new WorkflowHttpConfiguration();
        for (String option : WorkflowHttpConfiguration.OPTIONS) {
            if (parameters.containsKey(option)) {
                try {
                    configuration.apply(option, parameters.remove(option));
                } catch (IllegalArgumentException e) {
                    throw new ResolveEndpointFailedException(shownUri, e.getMessage());
                }
            }
        }
        for (String name : parameters.keySet()) {
            String near = nearestOption(name);
            if (near != null) {
                throw new ResolveEndpointFailedException(shownUri, String.format(
                        "Unknown option '%s': did you mean '%s'? (Query parameters that are not options stay on "
                                + "the target URL, but one this close to an option name is refused as a typo.)",
                        name, near));
            }
        }
        List<String> unavailable = configuration.unavailableOptionsSet();
        if (!unavailable.isEmpty()) {
            throw new ResolveEndpointFailedException(shownUri, "Option(s) " + String.join(", ", unavailable)
                    + " are not available in this version of workflow-http; remove them");
        }
        String target = remaining;
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
        String best = null;
        int bestDistance = 3;
        for (String option : WorkflowHttpConfiguration.OPTIONS) {
            int distance = editDistance(name.toLowerCase(Locale.ROOT), option.toLowerCase(Locale.ROOT));
            if (distance < bestDistance) {
                best = option;
                bestDistance = distance;
            }
        }
        return best;
    }

    private static int editDistance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }

    @Override
    protected void doStart() throws Exception {
        super.doStart();
        scopes = new TimeoutScopes("workflow-http-deadline", this::scopeReleased);
        pool = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(maxConnections)
                .setMaxConnPerRoute(maxConnectionsPerRoute)
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                .setDefaultConnectionConfig(ConnectionConfig.custom()
                        // the step's own deadline governs; these only bound what no deadline covers (timeout=0)
                        .setConnectTimeout(Timeout.ofMinutes(3))
                        .setSocketTimeout(Timeout.DISABLED)
                        .setTimeToLive(TimeValue.ofMinutes(5))
                        .build())
                .setDefaultTlsConfig(TlsConfig.custom().setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1).build())
                .build();
        client = HttpAsyncClients.custom()
                .setConnectionManager(pool)
                .setIOReactorConfig(IOReactorConfig.custom().setIoThreadCount(ioThreads).build())
                .setThreadFactory(new DefaultThreadFactory("workflow-http-io", true))
                .disableAutomaticRetries()
                .disableCookieManagement()
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(Timeout.DISABLED)
                        .build())
                .addExecInterceptorBefore(ChainElement.CONNECT.name(), "workflow-http-networks",
                        ChainHandlers.beforeConnect())
                .addExecInterceptorAfter(ChainElement.CONNECT.name(), "workflow-http-connected",
                        ChainHandlers.afterConnect())
                .addExecInterceptorFirst("workflow-http-stages", ChainHandlers.trackStages())
                .build();
        client.start();
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
        MeterRegistry registry = getCamelContext().getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            meters = new WorkflowHttpMeters(registry, this);
        }
    }

    @Override
    protected void doStop() throws Exception {
        CloseableHttpAsyncClient running = client;
        if (running != null) {
            // a graceful stop first: closing the reactor at once races its own shutdown and logs a spurious error
            running.initiateShutdown();
            running.awaitShutdown(TimeValue.ofSeconds(5));
            running.close(CloseMode.IMMEDIATE);
        }
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

    private void scopeReleased(TimeoutScope scope, TimeoutScope.State finalState) {
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
        try (InputStream in = WorkflowHttpComponent.class.getResourceAsStream("version.properties")) {
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

    // ---- shared with endpoints and producers

    TimeoutScopes scopes() {
        return scopes;
    }

    CloseableHttpAsyncClient client() {
        return client;
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

    /** Pooled connections out on loan. */
    public int getLeasedConnections() {
        PoolingAsyncClientConnectionManager current = pool;
        return current == null ? 0 : current.getTotalStats().getLeased();
    }

    /** Pooled connections kept open and idle. */
    public int getAvailableConnections() {
        PoolingAsyncClientConnectionManager current = pool;
        return current == null ? 0 : current.getTotalStats().getAvailable();
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
}
