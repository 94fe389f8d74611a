package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.io.IOException;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLContext;
import org.apache.camel.CamelContext;
import org.apache.camel.support.jsse.KeyManagersParameters;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.auth.AuthScope;
import org.apache.hc.client5.http.auth.Credentials;
import org.apache.hc.client5.http.auth.CredentialsProvider;
import org.apache.hc.client5.http.auth.UsernamePasswordCredentials;
import org.apache.hc.client5.http.config.ConnectionConfig;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.config.TlsConfig;
import org.apache.hc.client5.http.impl.ChainElement;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClientBuilder;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.auth.BasicCredentialsProvider;
import org.apache.hc.client5.http.impl.classic.CloseableHttpClient;
import org.apache.hc.client5.http.impl.classic.HttpClients;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManager;
import org.apache.hc.client5.http.impl.io.PoolingHttpClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManager;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.client5.http.impl.routing.DefaultRoutePlanner;
import org.apache.hc.client5.http.ssl.ClientTlsStrategyBuilder;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.NoopHostnameVerifier;
import org.apache.hc.client5.http.ssl.TrustAllStrategy;
import org.apache.hc.core5.concurrent.DefaultThreadFactory;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.config.Http1Config;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.http2.HttpVersionPolicy;
import org.apache.hc.core5.io.CloseMode;
import org.apache.hc.core5.pool.PoolConcurrencyPolicy;
import org.apache.hc.core5.reactor.IOReactorConfig;
import org.apache.hc.core5.ssl.SSLContextBuilder;
import org.apache.hc.core5.util.TimeValue;
import org.apache.hc.core5.util.Timeout;

/**
 * One asynchronous HTTP client with its own connection pool, built for one {@link ClientSettings}: its TLS trust
 * and client certificate, and its proxy. Every client has the step's chain handlers (target checks and address
 * pinning on every hop) and redirect policy.
 */
public final class PooledClient implements AutoCloseable {

    /** The name of the HTTP clients' I/O threads (followed by a number). */
    private static final String IO_THREAD_NAME = "workflow-http-io";

    /** Whether the calling thread is one of the HTTP clients' I/O threads. */
    public static boolean onIoThread() {
        return Thread.currentThread().getName().startsWith(IO_THREAD_NAME);
    }

    /** What every client of a component shares: pool sizes, I/O threads and name resolution. */
    public record Tuning(
            int maxConnections, int maxConnectionsPerRoute, int ioThreads, int ioBufferSize, DnsResolver dns) {}

    private final ClientSettings settings;
    private final Tuning tuning;
    /** The blocking client for calls made on a waiting caller's thread, and its pool: made on first use. */
    private volatile CloseableHttpClient blocking;

    private volatile PoolingHttpClientConnectionManager blockingPool;

    private final PoolingAsyncClientConnectionManager pool;
    private final CloseableHttpAsyncClient client;
    /** The proxy's credentials, or null. */
    private final CredentialsProvider proxyCredentials;

    private PooledClient(
            ClientSettings settings,
            Tuning tuning,
            PoolingAsyncClientConnectionManager pool,
            CloseableHttpAsyncClient client,
            CredentialsProvider proxyCredentials) {
        this.settings = settings;
        this.tuning = tuning;
        this.pool = pool;
        this.client = client;
        this.proxyCredentials = proxyCredentials;
    }

    /**
     * The connections of both pools: the step's own deadline governs; these only bound what no deadline covers
     * ({@code timeout=0}).
     */
    private static ConnectionConfig connectionConfig() {
        return ConnectionConfig.custom()
                .setConnectTimeout(Timeout.ofMinutes(3))
                .setSocketTimeout(Timeout.DISABLED)
                .setTimeToLive(TimeValue.ofMinutes(5))
                .build();
    }

    /**
     * Builds and starts a client.
     *
     * @throws IllegalArgumentException when the TLS settings cannot make an SSL context (a missing key store, a
     *                                  wrong password)
     */
    public static PooledClient start(ClientSettings settings, Tuning tuning, CamelContext camelContext) {
        PoolingAsyncClientConnectionManagerBuilder poolBuilder = PoolingAsyncClientConnectionManagerBuilder.create()
                .setMaxConnTotal(tuning.maxConnections())
                .setMaxConnPerRoute(tuning.maxConnectionsPerRoute())
                .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                // only the proxy is resolved by the client itself: a target is resolved and pinned by the chain
                .setDnsResolver(tuning.dns())
                .setDefaultConnectionConfig(connectionConfig())
                .setDefaultTlsConfig(TlsConfig.custom()
                        .setVersionPolicy(HttpVersionPolicy.FORCE_HTTP_1)
                        .build());
        SSLContext sslContext = sslContext(settings, camelContext);
        if (sslContext != null) {
            ClientTlsStrategyBuilder tls = ClientTlsStrategyBuilder.create().setSslContext(sslContext);
            if (settings.insecureSkipVerify()) {
                tls.setHostVerificationPolicy(HostnameVerificationPolicy.CLIENT)
                        .setHostnameVerifier(NoopHostnameVerifier.INSTANCE);
            }
            poolBuilder.setTlsStrategy(tls.buildAsync());
        }
        PoolingAsyncClientConnectionManager pool = poolBuilder.build();
        HttpAsyncClientBuilder builder = HttpAsyncClients.custom()
                .setConnectionManager(new TimedConnectionManager(pool))
                .setIOReactorConfig(IOReactorConfig.custom()
                        .setIoThreadCount(tuning.ioThreads())
                        .build())
                .setHttp1Config(Http1Config.copy(Http1Config.DEFAULT)
                        .setBufferSize(tuning.ioBufferSize())
                        .build())
                .setThreadFactory(new DefaultThreadFactory(IO_THREAD_NAME, true))
                // no wire log: it would print credentials and query values byte for byte at DEBUG
                .setIoSessionDecorator(session -> session)
                .disableAutomaticRetries()
                // the client's own cookie handling logs cookie values (a rejected one at WARN): ours does not
                .disableCookieManagement()
                .addRequestInterceptorLast(CookieProcessing.INSTANCE)
                .addResponseInterceptorLast(CookieProcessing.INSTANCE)
                .setRedirectStrategy(RedirectPolicy.INSTANCE)
                .setDefaultRequestConfig(RequestConfig.custom()
                        .setRedirectsEnabled(false)
                        .setResponseTimeout(Timeout.DISABLED)
                        .build())
                .addExecInterceptorBefore(
                        ChainElement.CONNECT.name(), "workflow-http-target", ChainHandlers.beforeConnect(tuning.dns()))
                .addExecInterceptorAfter(
                        ChainElement.CONNECT.name(), "workflow-http-connected", ChainHandlers.afterConnect())
                .addExecInterceptorFirst("workflow-http-stages", ChainHandlers.trackStages());
        CredentialsProvider proxyCredentials = null;
        ProxySettings proxy = settings.proxy();
        if (proxy != null) {
            HttpHost proxyHost = new HttpHost(proxy.host(), proxy.port());
            builder.setRoutePlanner(new DefaultRoutePlanner(null) {
                @Override
                protected HttpHost determineProxy(HttpHost target, HttpContext context) {
                    return proxy.bypasses(target.getHostName()) ? null : proxyHost;
                }
            });
            if (proxy.username() != null) {
                BasicCredentialsProvider credentials = new BasicCredentialsProvider();
                credentials.setCredentials(
                        new AuthScope(proxyHost),
                        new UsernamePasswordCredentials(
                                proxy.username(),
                                proxy.password() == null
                                        ? new char[0]
                                        : proxy.password().toCharArray()));
                builder.setDefaultCredentialsProvider(credentials);
                proxyCredentials = credentials;
            }
        }
        CloseableHttpAsyncClient client = builder.build();
        client.start();
        return new PooledClient(settings, tuning, pool, client, proxyCredentials);
    }

    private static SSLContext sslContext(ClientSettings settings, CamelContext camelContext) {
        try {
            if (settings.insecureSkipVerify()) {
                SSLContextBuilder builder = SSLContextBuilder.create().loadTrustMaterial(TrustAllStrategy.INSTANCE);
                KeyManagersParameters keys =
                        settings.tls() != null ? settings.tls().getKeyManagers() : null;
                if (keys != null && keys.getKeyStore() != null) {
                    // a client certificate still goes with an untrusted server
                    String password = keys.getKeyPassword() == null
                            ? null
                            : camelContext.resolvePropertyPlaceholders(keys.getKeyPassword());
                    builder.loadKeyMaterial(
                            keys.getKeyStore().createKeyStore(), password == null ? null : password.toCharArray());
                }
                return builder.build();
            }
            return settings.tls() == null ? null : settings.tls().createSSLContext(camelContext);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("Invalid TLS settings (sslContextParameters): " + e.getMessage(), e);
        }
    }

    /**
     * The classic (blocking) client that makes a call on the thread of a caller that waits for it anyway: plain
     * {@code http}, no proxy, made on first use, with a pool of its own (the same limits) and the same name resolution.
     * It enters phase {@code HEADERS} once connected; the target checks and address pinning are the caller's
     * ({@link BlockingCall}), for the one hop such a call makes.
     */
    public CloseableHttpClient blocking() {
        CloseableHttpClient made = blocking;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (blocking == null) {
                PoolingHttpClientConnectionManager connections = PoolingHttpClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(tuning.maxConnections())
                        .setMaxConnPerRoute(tuning.maxConnectionsPerRoute())
                        .setPoolConcurrencyPolicy(PoolConcurrencyPolicy.STRICT)
                        .setDnsResolver(tuning.dns())
                        .setDefaultConnectionConfig(connectionConfig())
                        .build();
                blocking = HttpClients.custom()
                        .setConnectionManager(connections)
                        .disableAutomaticRetries()
                        .disableCookieManagement()
                        .disableRedirectHandling()
                        .setDefaultRequestConfig(RequestConfig.custom()
                                .setRedirectsEnabled(false)
                                .setResponseTimeout(Timeout.DISABLED)
                                .build())
                        .addExecInterceptorAfter(
                                ChainElement.CONNECT.name(), "workflow-http-connected", (request, scope, chain) -> {
                                    RealTimeoutScope callScope = CallContext.scope(scope.clientContext);
                                    if (callScope != null) {
                                        callScope.enterPhase(Phase.HEADERS);
                                    }
                                    return chain.proceed(request, scope);
                                })
                        .build();
                blockingPool = connections;
            }
            return blocking;
        }
    }

    /** What resolves the targets' names. */
    public DnsResolver dns() {
        return tuning.dns();
    }

    public ClientSettings settings() {
        return settings;
    }

    public CloseableHttpAsyncClient client() {
        return client;
    }

    /**
     * What answers a call's authentication challenges: the target's user and password (digest), for that target's
     * host and port only, and the proxy's credentials as the client has them.
     */
    public CredentialsProvider credentialsFor(String host, int port, String username, String password) {
        AuthScope target = new AuthScope(null, host, port, null, null);
        Credentials credentials =
                new UsernamePasswordCredentials(username, password == null ? new char[0] : password.toCharArray());
        CredentialsProvider proxy = proxyCredentials;
        return (scope, context) -> {
            if (target.match(scope) >= 0) {
                return credentials;
            }
            return proxy == null ? null : proxy.getCredentials(scope, context);
        };
    }

    /**
     * How the pool is used towards one target: connections leased to it and calls waiting for one, against the
     * per-route limit, and the pool's totals.
     */
    public record PoolUse(int leased, int pending, int maxPerRoute, int leasedTotal, int maxTotal) {}

    /** The pool's use towards {@code host}:{@code port} (every route to it, direct or through the proxy). */
    public PoolUse use(String host, int port) {
        int leased = 0;
        int pending = 0;
        int max = pool.getDefaultMaxPerRoute();
        for (org.apache.hc.client5.http.HttpRoute route : pool.getRoutes()) {
            HttpHost target = route.getTargetHost();
            if (target.getPort() == port && target.getHostName().equalsIgnoreCase(host)) {
                org.apache.hc.core5.pool.PoolStats stats = pool.getStats(route);
                leased += stats.getLeased();
                pending += stats.getPending();
                max = stats.getMax();
            }
        }
        org.apache.hc.core5.pool.PoolStats total = pool.getTotalStats();
        return new PoolUse(leased, pending, max, total.getLeased(), total.getMax());
    }

    public int leasedConnections() {
        PoolingHttpClientConnectionManager classic = blockingPool;
        return pool.getTotalStats().getLeased()
                + (classic == null ? 0 : classic.getTotalStats().getLeased());
    }

    public int availableConnections() {
        PoolingHttpClientConnectionManager classic = blockingPool;
        return pool.getTotalStats().getAvailable()
                + (classic == null ? 0 : classic.getTotalStats().getAvailable());
    }

    @Override
    public void close() throws InterruptedException {
        // a graceful stop first: closing the reactor at once races its own shutdown and logs a spurious error
        CloseableHttpClient classic = blocking;
        if (classic != null) {
            classic.close(CloseMode.IMMEDIATE);
        }
        client.initiateShutdown();
        try {
            client.awaitShutdown(TimeValue.ofSeconds(5));
        } finally {
            client.close(CloseMode.IMMEDIATE);
        }
    }
}
