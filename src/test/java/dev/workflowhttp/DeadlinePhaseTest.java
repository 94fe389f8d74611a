package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.HostileServer.Connection;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The one deadline of a call fails it in the phase the call has reached: {@code CONNECT} (connect or pool lease),
 * {@code HEADERS}, {@code BODY} or, downstream of the step, {@code STREAM}; and a call that times out is aborted
 * (its connection closed), never abandoned, and never disturbs another call.
 * <p>
 * The component allows one connection per route, so the pool-lease test can hold the only one; the other tests use
 * one connection at a time, and the keep-alive test is stronger for it (the next call needs the released slot).
 */
class DeadlinePhaseTest extends WorkflowHttpTestSupport {

    /**
     * Upper bound on how late a deadline may be observed. Generous on purpose: the tests run on shared, noisy 2-core
     * machines where GC pauses, JIT warm-up and a busy scheduler can delay the timer thread and the continuation
     * thread by hundreds of milliseconds; the bound still proves the call did not wait for a far-off limit.
     */
    private static final long SLACK_MS = 1500;
    /** The lower bound's allowance for clock granularity: a deadline never fires before its limit. */
    private static final long EARLY_MS = 5;

    private HostileServer server;
    private final CountDownLatch releaseServer = new CountDownLatch(1);

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setMaxConnectionsPerRoute(1);
    }

    /** Runs before the base class checks for leaks and threads, so the handler threads are gone by then. */
    @AfterEach
    void closeServer() throws Exception {
        releaseServer.countDown();
        if (server != null) {
            server.close();
        }
    }

    // ---- CONNECT

    @Test
    void neverAcceptingServerReallyLeavesConnectPending() throws Exception {
        // the premise of the CONNECT tests: on this kernel a connect to neverAccepting() hangs instead of failing
        server = HostileServer.neverAccepting();
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open();
                java.nio.channels.Selector selector = java.nio.channels.Selector.open()) {
            channel.configureBlocking(false);
            boolean connected = channel.connect(new java.net.InetSocketAddress("127.0.0.1", server.port()));
            channel.register(selector, java.nio.channels.SelectionKey.OP_CONNECT);
            assertThat(connected).as("connected at once").isFalse();
            assertThat(selector.select(700))
                    .as("connect completed or failed within 700ms")
                    .isZero();
        }
    }

    @Test
    void connectTimeoutFailsInConnectPhase() throws Exception {
        server = HostileServer.neverAccepting();
        Timed call = request(server.url("/never") + "?connectTimeout=300ms&timeout=5s");

        WorkflowHttpTimeoutException timeout = timeoutOf(call.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.CONNECT);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(timeout.getMessage()).contains("CONNECT").contains("connectTimeout of 300ms");
        assertWithinLimit(call.millis, 300);
        // released while the server still leaves the connect pending: the attempt was cancelled, not abandoned
        assertReleased();
    }

    @Test
    void wholeTimeoutBelowDefaultConnectTimeoutFailsInConnectPhaseNamingTimeout() throws Exception {
        server = HostileServer.neverAccepting();
        Timed call = request(server.url("/never") + "?timeout=300ms");

        WorkflowHttpTimeoutException timeout = timeoutOf(call.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.CONNECT);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(timeout.getMessage())
                .contains("CONNECT")
                .contains("timeout of 300ms")
                .doesNotContain("connectTimeout");
        assertWithinLimit(call.millis, 300);
        assertReleased();
    }

    @Test
    void waitingForAPoolLeaseCountsAsConnectPhase() throws Exception {
        CountDownLatch headersSent = new CountDownLatch(1);
        server = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\n");
            headersSent.countDown();
            // the body stalls until the test lets it go: meanwhile the call holds the route's only connection
            if (releaseServer.await(5, TimeUnit.SECONDS)) {
                connection.write("hello");
            }
        });
        CompletableFuture<Exchange> holder =
                template.asyncSend("workflow-http:" + server.url("/hold") + "?timeout=10s", exchange -> {});
        assertThat(headersSent.await(5, TimeUnit.SECONDS))
                .as("first call got its headers")
                .isTrue();
        assertThat(component.getLeasedConnections()).isEqualTo(1);

        Timed waiting = request(server.url("/wait") + "?timeout=400ms");

        WorkflowHttpTimeoutException timeout = timeoutOf(waiting.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.CONNECT);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(400));
        assertWithinLimit(waiting.millis, 400);
        assertThat(server.connections()).as("the waiting call never connected").hasSize(1);

        // the first call is untouched by the second's deadline: it completes once the body comes
        releaseServer.countDown();
        Exchange first = holder.get(5, TimeUnit.SECONDS);
        assertThat(first.getException()).isNull();
        assertThat(first.getMessage().getBody(String.class)).isEqualTo("hello");
    }

    // ---- HEADERS

    @Test
    void noResponseFailsInHeadersPhaseAndClosesTheConnection() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> {
            connection.readRequest();
            // never answers
            recordClose(connection, closedAt);
        });
        Timed call = request(server.url("/silent") + "?timeout=500ms");

        WorkflowHttpTimeoutException timeout = timeoutOf(call.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.HEADERS);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(timeout.getMessage()).contains("HEADERS").contains("timeout of 500ms");
        assertWithinLimit(call.millis, 500);
        assertClosedSoonAfterDeadline(closedAt, call.startNanos, 500);
        assertReleased();
    }

    // ---- BODY

    @Test
    void stalledBodyFailsInBodyPhaseAndClosesTheConnection() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write(
                    "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: 100000\r\n\r\n");
            connection.write(new byte[1000]);
            recordClose(connection, closedAt);
        });
        Timed call = request(server.url("/stalled-body") + "?timeout=500ms");

        WorkflowHttpTimeoutException timeout = timeoutOf(call.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.BODY);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(timeout.getMessage()).contains("BODY").contains("timeout of 500ms");
        assertWithinLimit(call.millis, 500);
        assertClosedSoonAfterDeadline(closedAt, call.startNanos, 500);
        assertReleased();
    }

    // ---- STREAM

    @Test
    void deadlinePassingWhileALaterStepReadsTheStreamFailsInStreamPhase() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> trickleForever(connection, closedAt));
        String url = server.url("/trickle");
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stream")
                        .to("workflow-http:" + url + "?bodyMode=stream&timeout=800ms")
                        .process(e -> e.getMessage().getBody(InputStream.class).readAllBytes());
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:stream", exchange -> {});
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isInstanceOf(IOException.class);
        WorkflowHttpTimeoutException timeout = causeOf(result.getException(), WorkflowHttpTimeoutException.class);
        assertThat(timeout.getPhase()).isEqualTo(Phase.STREAM);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(800));
        assertThat(timeout.getMessage()).contains("STREAM").contains("timeout of 800ms");
        assertWithinLimit(millis, 800);
        assertClosedSoonAfterDeadline(closedAt, start, 800);
        assertReleased();
    }

    @Test
    void onExceptionCatchesAStreamTimeoutByItsOwnClass() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> trickleForever(connection, closedAt));
        String url = server.url("/trickle");
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(WorkflowHttpTimeoutException.class).handled(true).process(e -> {
                    Exception caught = e.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
                    WorkflowHttpTimeoutException timeout = causeOf(caught, WorkflowHttpTimeoutException.class);
                    e.getMessage().setBody("caught " + timeout.getPhase());
                });
                from("direct:stream")
                        .to("workflow-http:" + url + "?bodyMode=stream&timeout=800ms")
                        .convertBodyTo(String.class)
                        .setBody(constant("not reached"));
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:stream", exchange -> {});
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("caught STREAM");
        assertWithinLimit(millis, 800);
        assertClosedSoonAfterDeadline(closedAt, start, 800);
        assertReleased();
    }

    // ---- other calls

    @Test
    void timedOutCallOnKeepAliveConnectionLeavesTheNextCallUnharmed() throws Exception {
        CompletableFuture<Long> stalledClosedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> {
            while (true) {
                String request = connection.readRequest();
                if (request.startsWith("GET /ok ")) {
                    connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 2\r\n\r\nok");
                    continue;
                }
                // /stall: no answer while the client keeps the connection. Were the connection (wrongly) put back
                // in the pool, the late answer written here would be read as the response to the next call.
                try {
                    Duration closed = connection.awaitClosedByClient(Duration.ofSeconds(3));
                    stalledClosedAt.complete(connection.acceptedNanos() + closed.toNanos());
                } catch (AssertionError notClosed) {
                    stalledClosedAt.completeExceptionally(notClosed);
                    connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 4\r\n\r\nlate");
                }
                return;
            }
        });

        Timed warmUp = request(server.url("/ok") + "?timeout=2s");
        assertThat(warmUp.exchange.getException()).isNull();
        assertThat(warmUp.exchange.getMessage().getBody(String.class)).isEqualTo("ok");
        await(() -> component.getAvailableConnections() == 1);

        Timed stalled = request(server.url("/stall") + "?timeout=300ms");
        WorkflowHttpTimeoutException timeout = timeoutOf(stalled.exchange);
        assertThat(timeout.getPhase()).isEqualTo(Phase.HEADERS);
        assertWithinLimit(stalled.millis, 300);
        assertThat(server.connections())
                .as("the stalled call reused the kept-alive connection")
                .hasSize(1);
        assertClosedSoonAfterDeadline(stalledClosedAt, stalled.startNanos, 300);
        assertReleased();

        Timed next = request(server.url("/ok") + "?timeout=2s");
        assertThat(next.exchange.getException()).isNull();
        assertThat(next.exchange.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(next.exchange.getMessage().getHeader(WorkflowHttpConstants.RESPONSE_CODE))
                .isEqualTo(200);
        assertThat(server.connections())
                .as("the next call had a fresh connection")
                .hasSize(2);
        assertThat(next.millis).as("the next call took (ms)").isLessThan(SLACK_MS);
    }

    // ---- helpers

    private record Timed(Exchange exchange, long startNanos, long millis) {}

    private Timed request(String targetWithOptions) {
        long start = System.nanoTime();
        Exchange exchange = template.request("workflow-http:" + targetWithOptions, e -> {});
        return new Timed(exchange, start, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
    }

    private static WorkflowHttpTimeoutException timeoutOf(Exchange exchange) {
        assertThat(exchange.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        return (WorkflowHttpTimeoutException) exchange.getException();
    }

    static <T extends Throwable> T causeOf(Throwable thrown, Class<T> type) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            if (type.isInstance(t)) {
                return type.cast(t);
            }
        }
        throw new AssertionError("no " + type.getSimpleName() + " in the cause chain of " + thrown, thrown);
    }

    private static void assertWithinLimit(long elapsedMillis, long limitMillis) {
        assertThat(elapsedMillis)
                .as("elapsed ms for a limit of %d ms", limitMillis)
                .isBetween(limitMillis - EARLY_MS, limitMillis + SLACK_MS);
    }

    /** The server saw the client close the connection: the call was aborted at its deadline, not left open. */
    private static void assertClosedSoonAfterDeadline(
            CompletableFuture<Long> closedAt, long startNanos, long limitMillis) throws Exception {
        long closedMillis =
                TimeUnit.NANOSECONDS.toMillis(closedAt.get(limitMillis + SLACK_MS, TimeUnit.MILLISECONDS) - startNanos);
        assertThat(closedMillis)
                .as("connection closed by the client, ms after the call started")
                .isBetween(limitMillis - EARLY_MS, limitMillis + SLACK_MS);
    }

    /** Waits until the client closes the connection (bounded) and records when. */
    private static void recordClose(Connection connection, CompletableFuture<Long> closedAt) {
        try {
            Duration closed = connection.awaitClosedByClient(Duration.ofSeconds(5));
            closedAt.complete(connection.acceptedNanos() + closed.toNanos());
        } catch (Throwable e) {
            closedAt.completeExceptionally(e);
        }
    }

    /** Headers, then one byte every 50 ms until the client closes the connection (or 10 s pass). */
    private static void trickleForever(Connection connection, CompletableFuture<Long> closedAt) throws Exception {
        connection.readRequest();
        connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000000\r\n\r\n");
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        try {
            while (System.nanoTime() < end) {
                connection.write("x".getBytes(StandardCharsets.US_ASCII));
                Thread.sleep(50); // the server's pace, not a wait for a condition
            }
            closedAt.completeExceptionally(new AssertionError("the client kept reading for 10 s"));
        } catch (IOException closedByClient) {
            closedAt.complete(System.nanoTime());
        }
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(2)).until(condition);
    }
}
