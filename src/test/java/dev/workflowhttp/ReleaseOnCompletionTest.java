package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okio.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The step's scope (deadline timer and connection) is released once, when the body is done — materialized, or a
 * stream read to its end or closed — and by the exchange's completion at the latest, whatever the route did with the
 * body: read it whole, failed after it, never read it, or closed it halfway. The base class proves after each test
 * that no scope, timer or leased connection is left.
 */
class ReleaseOnCompletionTest extends WorkflowHttpTestSupport {

    /**
     * How long the server may wait to see the client close an abandoned connection. The release runs when the
     * exchange completes, so this is milliseconds; 2 s of slack because the build runs on shared, noisy 2-core
     * machines.
     */
    private static final Duration CLOSE_SLACK = Duration.ofSeconds(2);

    private final BlockingQueue<RealTimeoutScope.State> released = new LinkedBlockingQueue<>();
    private HostileServer hostile;
    private MockWebServer mock;

    @BeforeEach
    void listenToReleases() {
        component.setScopeListener((scope, finalState) -> released.add(finalState));
    }

    @AfterEach
    void closeServers() throws Exception {
        if (hostile != null) {
            hostile.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @Test
    void laterStepThrowingAfterMaterializeReleases() throws Exception {
        startMock();
        mock.enqueue(new MockResponse.Builder().body("order 42").build());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .to("workflow-http:" + mockUrl("/orders/42") + "?timeout=1h")
                        .process(exchange -> {
                            throw new IllegalStateException("a later step failed");
                        });
            }
        });

        Exchange result = template.request("direct:call", exchange -> {});

        assertThat(result.getException())
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("a later step failed");
        RealTimeoutScope scope = scopeOf(result);
        assertThat(scope.getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
        assertThat(scope.getOutcome()).isEqualTo(RealTimeoutScope.State.COMPLETED);
        assertThat(released.poll(5, TimeUnit.SECONDS)).isEqualTo(RealTimeoutScope.State.COMPLETED);
    }

    @Test
    void streamNeverReadIsReleasedAndClosed() throws Exception {
        hostile = HostileServer.start(ReleaseOnCompletionTest::trickleEndlessly);
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the route ends without touching the body (and no stream caching reads it behind our back)
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + hostile.url("/feed") + "?timeout=1h&bodyMode=stream");
            }
        });

        Exchange result = template.request("direct:call", exchange -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody()).isInstanceOf(InputStream.class);
        // under a one-hour deadline only the release can have ended the call
        hostile.nextConnection(CLOSE_SLACK).awaitClosedByClient(CLOSE_SLACK);
        RealTimeoutScope scope = scopeOf(result);
        assertThat(scope.getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
        assertThat(scope.getOutcome())
                .as("released before the body was read whole")
                .isEqualTo(RealTimeoutScope.State.ACTIVE);
        assertThat(released.poll(5, TimeUnit.SECONDS)).isEqualTo(RealTimeoutScope.State.ACTIVE);
    }

    @Test
    void streamNeverReadOnAReusedConnectionIsReleasedAndClosed() throws Exception {
        // a keep-alive server: a small whole response first, then, on the same connection, an endless trickle
        hostile = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            trickleEndlessly(connection);
        });
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:warm").to("workflow-http:" + hostile.url("/warm") + "?timeout=1h");
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + hostile.url("/feed") + "?timeout=1h&bodyMode=stream");
            }
        });
        assertThat(template.request("direct:warm", exchange -> {}).getException())
                .isNull();
        await("connection back in the pool")
                .atMost(RELEASE_SLACK)
                .until(() -> component.getAvailableConnections() == 1);

        // leased from the pool at once: the client's own future then no longer reaches the running exchange
        Exchange result = template.request("direct:call", exchange -> {});

        assertThat(result.getException()).isNull();
        HostileServer.Connection connection = hostile.nextConnection(CLOSE_SLACK);
        assertThat(hostile.connections()).as("one connection for both calls").hasSize(1);
        connection.awaitClosedByClient(CLOSE_SLACK);
        assertThat(scopeOf(result).getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
    }

    @Test
    void streamReadHalfwayAndClosedIsReleasedAndClosed() throws Exception {
        int length = 128 * 1024;
        hostile = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + length
                    + "\r\n\r\n");
            byte[] piece = new byte[4096];
            for (int sent = 0; sent < length; sent += piece.length) {
                connection.write(piece);
                Thread.sleep(10); // the server trickles: ~0.3 s for the whole body
            }
        });
        AtomicReference<RealTimeoutScope.State> afterClose = new AtomicReference<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + hostile.url("/feed") + "?timeout=1h&bodyMode=stream")
                        .process(exchange -> {
                            InputStream in = exchange.getMessage().getBody(InputStream.class);
                            assertThat(in.readNBytes(length / 2)).hasSize(length / 2);
                            in.close();
                            afterClose.set(scopeOf(exchange).getState());
                            exchange.getMessage().setBody("read half");
                        });
            }
        });

        Exchange result = template.request("direct:call", exchange -> {});

        assertThat(result.getException()).isNull();
        assertThat(afterClose.get())
                .as("closing the stream early releases the scope at once")
                .isEqualTo(RealTimeoutScope.State.RELEASED);
        hostile.nextConnection(CLOSE_SLACK).awaitClosedByClient(CLOSE_SLACK);
        assertThat(scopeOf(result).getOutcome()).isEqualTo(RealTimeoutScope.State.ACTIVE);
        assertThat(released.poll(5, TimeUnit.SECONDS)).isEqualTo(RealTimeoutScope.State.ACTIVE);
        assertThat(released).as("released exactly once").isEmpty();
    }

    @Test
    void timeoutScopePropertyIsReleasedOnceTheBodyIsMaterialized() throws Exception {
        startMock();
        mock.enqueue(new MockResponse.Builder().body("order 42").build());
        AtomicReference<String> duringRoute = new AtomicReference<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .to("workflow-http:" + mockUrl("/orders/42") + "?timeout=1h")
                        .process(exchange -> duringRoute.set(scopeOf(exchange).toString()));
            }
        });

        Exchange result = template.request("direct:call", exchange -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty(WorkflowHttpConstants.TIMEOUT_SCOPE)).isInstanceOf(RealTimeoutScope.class);
        RealTimeoutScope scope = scopeOf(result);
        // materialized: the call's resources went with its last byte, before the route went on
        assertThat(duringRoute.get()).contains("state=RELEASED (was COMPLETED)").contains("phase=BODY");
        assertThat(scope.getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
        assertThat(scope.getPhase()).isEqualTo(Phase.BODY);
        assertThat(scope.toString())
                .contains("state=RELEASED")
                .contains("was COMPLETED")
                .contains("phase=BODY");
    }

    @Test
    void streamReadToItsEndReleasesAtOnceAndReusesTheConnection() throws Exception {
        startMock();
        // larger than the stream's 64 KiB buffer, so the reader and the I/O thread take turns
        byte[] body = new byte[256 * 1024];
        Arrays.fill(body, (byte) 'b');
        mock.enqueue(new MockResponse.Builder().body(new Buffer().write(body)).build());
        mock.enqueue(new MockResponse.Builder().body(new Buffer().write(body)).build());
        AtomicReference<RealTimeoutScope.State> atEnd = new AtomicReference<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + mockUrl("/feed") + "?timeout=1h&bodyMode=stream")
                        .process(exchange -> {
                            InputStream in = exchange.getMessage().getBody(InputStream.class);
                            byte[] read = in.readAllBytes();
                            atEnd.set(scopeOf(exchange).getState());
                            exchange.getMessage().setBody(read);
                        });
            }
        });

        Exchange first = template.request("direct:call", exchange -> {});

        assertThat(first.getException()).isNull();
        assertThat(first.getMessage().getBody(byte[].class)).isEqualTo(body);
        // the body is done when its reader sees the end: so is the call, before the exchange completes
        assertThat(atEnd.get()).as("state once the reader saw the end").isEqualTo(RealTimeoutScope.State.RELEASED);
        RealTimeoutScope scope = scopeOf(first);
        assertThat(scope.getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
        assertThat(scope.getOutcome()).isEqualTo(RealTimeoutScope.State.COMPLETED);
        assertThat(released.poll(5, TimeUnit.SECONDS)).isEqualTo(RealTimeoutScope.State.COMPLETED);
        // the connection goes back to the pool on the I/O thread, just after the last byte
        await("connection back in the pool")
                .atMost(RELEASE_SLACK)
                .until(() -> component.getAvailableConnections() == 1);

        Exchange second = template.request("direct:call", exchange -> {});

        assertThat(second.getException()).isNull();
        RecordedRequest one = mock.takeRequest(5, TimeUnit.SECONDS);
        RecordedRequest two = mock.takeRequest(5, TimeUnit.SECONDS);
        assertThat(two.getConnectionIndex())
                .as("the second call reused the first one's connection")
                .isEqualTo(one.getConnectionIndex());
        await("connection back in the pool")
                .atMost(RELEASE_SLACK)
                .until(() -> component.getAvailableConnections() == 1);
    }

    /** Declares 8 MiB (under the default maxBodySize) and sends 1 KiB every 10 ms until the client goes away. */
    private static void trickleEndlessly(HostileServer.Connection connection) throws Exception {
        connection.readRequest();
        connection.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: "
                + 8 * 1024 * 1024 + "\r\n\r\n");
        byte[] piece = new byte[1024];
        while (true) {
            connection.write(piece); // fails once the client closed the connection
            Thread.sleep(10);
        }
    }

    private static RealTimeoutScope scopeOf(Exchange exchange) {
        return exchange.getProperty(WorkflowHttpConstants.TIMEOUT_SCOPE, RealTimeoutScope.class);
    }

    private void startMock() throws Exception {
        mock = new MockWebServer();
        mock.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    private String mockUrl(String path) {
        return "http://127.0.0.1:" + mock.getPort() + path;
    }
}
