package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.internal.scope.TimeoutScopes;
import dev.workflowhttp.support.HostileServer;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockWebServer;
import org.apache.hc.client5.http.SystemDefaultDnsResolver;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.nio.AsyncEntityProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One client and one deadline thread for calls to loopback servers, as the step makes them, without Camel around.
 * Registered as a test's extension ({@code @RegisterExtension}), it proves after each test that nothing was left (no
 * connection leased, no scope open, no timer pending), then closes the client and the servers it started.
 */
final class LoopbackCalls implements AfterEachCallback {

    /** What a call handed to its listener, with the call's scope. */
    record Outcome(RealTimeoutScope scope, HttpResult result, Throwable failure) {}

    final TimeoutScopes scopes = new TimeoutScopes("test-deadlines", null);
    final PooledClient client = PooledClient.start(
            ClientSettings.DEFAULT, new PooledClient.Tuning(10, 10, 1, 8192, SystemDefaultDnsResolver.INSTANCE), null);
    private final List<AutoCloseable> servers = new ArrayList<>();

    /** An OkHttp mock server on 127.0.0.1, closed after the leak check. */
    MockWebServer mockServer() throws Exception {
        MockWebServer server = new MockWebServer();
        servers.add(server);
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    /** A server that misbehaves as {@code handler} says, closed after the leak check. */
    HostileServer hostileServer(HostileServer.Handler handler) throws Exception {
        HostileServer server = HostileServer.start(handler);
        servers.add(server);
        return server;
    }

    /** {@code path} on {@code server}, by address: no name to resolve. */
    static String url(MockWebServer server, String path) {
        return "http://127.0.0.1:" + server.getPort() + path;
    }

    static CallSettings materialize(long maxBodySize) {
        return new CallSettings(false, maxBodySize, StatusCodes.parse("ok", "200-299"), true, "masked-url");
    }

    static CallSettings stream(long maxBodySize) {
        return new CallSettings(true, maxBodySize, StatusCodes.parse("ok", "200-299"), true, "masked-url");
    }

    /** Calls {@code url} with a 10 s deadline; the outcome, within 10 s. */
    Outcome call(String method, String url, AsyncEntityProducer body, CallSettings settings) throws Exception {
        RealTimeoutScope scope =
                scopes.open(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ZERO, method + " " + url);
        CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        new HttpCall(scope, settings)
                .start(
                        client.client(),
                        new BasicRequestProducer(method, URI.create(url), body),
                        HttpClientContext.create(),
                        (result, failure) -> outcome.complete(new Outcome(scope, result, failure)));
        return outcome.get(10, TimeUnit.SECONDS);
    }

    Outcome get(String url, CallSettings settings) throws Exception {
        return call("GET", url, null, settings);
    }

    @Override
    public void afterEach(ExtensionContext test) throws Exception {
        try {
            await("connections returned, scopes released, timers cancelled")
                    .atMost(Duration.ofSeconds(5))
                    .untilAsserted(() -> {
                        assertThat(client.leasedConnections())
                                .as("leased connections")
                                .isZero();
                        assertThat(scopes.openScopes()).as("open scopes").isZero();
                        assertThat(scopes.pendingTimers()).as("pending timers").isZero();
                    });
        } finally {
            client.close();
            scopes.close();
            for (AutoCloseable server : servers) {
                server.close();
            }
        }
    }
}
