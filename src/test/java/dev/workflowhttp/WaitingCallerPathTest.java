package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.bench.BenchServer;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.Producer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.DefaultExchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The path of a caller that waits for the step anyway ({@code synchronous=true}, a timer with
 * {@code synchronous=true}, Camel's synchronous {@code process(Exchange)}; a JMS consumer is
 * {@code eip/StepInTransactedJmsRouteTest}'s): a plain call is made by the waiting thread itself with the blocking
 * client, any other goes through the asynchronous client with its outcome handed straight to the waiting thread;
 * either way that thread binds the response and goes on with the route, and no continuation thread takes part. The
 * promises hold there as on the asynchronous path: released exactly once, one deadline over the whole call, the
 * target checks, the body limits, an error status's bounded body, a cut body reported, and an interrupt of a waiting
 * thread aborts a call it waits for.
 */
class WaitingCallerPathTest extends WorkflowHttpTestSupport {

    private final List<String> releasedOn = new CopyOnWriteArrayList<>();
    private final List<String> resolvedOn = new CopyOnWriteArrayList<>();
    private final List<TimeoutScope.State> released = new CopyOnWriteArrayList<>();
    private MockWebServer server;

    @Override
    protected void configure(dev.workflowhttp.component.WorkflowHttpComponent component) {
        component.setDnsResolver(new org.apache.hc.client5.http.SystemDefaultDnsResolver() {
            @Override
            public java.net.InetAddress[] resolve(String host) throws java.net.UnknownHostException {
                resolvedOn.add(Thread.currentThread().getName());
                return super.resolve(host);
            }
        });
        component.setScopeListener((scope, finalState) -> {
            releasedOn.add(Thread.currentThread().getName());
            released.add(finalState);
        });
    }

    @Override
    protected boolean isForeignThread(String name) {
        return name.startsWith("bench-server"); // ends as its server closes, which may be a moment after
    }

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> new MockResponse.Builder().body("ok").build());
    }

    /** Runs a route of three steps; the message gets the thread of the steps before and after the call. */
    private Exchange throughRoute(String uri) throws Exception {
        String routeId = "r" + System.nanoTime();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId)
                        .process(e ->
                                e.setProperty("before", Thread.currentThread().getName()))
                        .to(uri)
                        .process(e ->
                                e.setProperty("after", Thread.currentThread().getName()));
            }
        });
        return template.request("direct:" + routeId, e -> {});
    }

    /** Whether this test's context started a continuation thread (those of earlier tests' contexts may linger). */
    private boolean continuationThreadExists() {
        String ours = "Camel (" + context.getName() + ") ";
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive()
                        && t.getName().startsWith(ours)
                        && t.getName().contains("WorkflowHttpContinuation"));
    }

    @Test
    void synchronousTheCallerThreadBindsTheResponseAndGoesOn() throws Exception {
        Exchange result = throughRoute("workflow-http:" + server.url("/x") + "?timeout=5s&synchronous=true");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
        String caller = result.getProperty("before", String.class);
        assertThat(result.getProperty("after", String.class)).isEqualTo(caller);
        // a plain call: the caller's thread resolves, connects, sends and reads itself (the blocking client)
        assertThat(resolvedOn).containsExactly(caller);
        // the scope is released before the route goes on, on the caller's thread: exactly once
        assertThat(releasedOn).containsExactly(caller);
        assertThat(released).containsExactly(TimeoutScope.State.COMPLETED);
        assertThat(continuationThreadExists())
                .as("a continuation thread was started")
                .isFalse();
    }

    @Test
    void aTimerWithSynchronousTrueWaitsAndSoItsThreadGoesOn() throws Exception {
        List<String> threads = new CopyOnWriteArrayList<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the step has no option of its own: Camel makes the timer's thread wait, and the step sees it
                from("timer:sync-caller?repeatCount=1&synchronous=true")
                        .process(e -> threads.add(Thread.currentThread().getName()))
                        .to("workflow-http:" + server.url("/x") + "?timeout=5s")
                        .process(e -> threads.add(Thread.currentThread().getName()));
            }
        });

        await().atMost(Duration.ofSeconds(10)).until(() -> threads.size() == 2);
        assertThat(threads.get(1)).isEqualTo(threads.get(0));
        assertThat(releasedOn).containsExactly(threads.get(0));
    }

    @Test
    void byDefaultAnAsynchronousRouteHoldsNoThreadAndGoesOnElsewhere() throws Exception {
        Exchange result = throughRoute("workflow-http:" + server.url("/x") + "?timeout=5s");

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("after", String.class)).contains("WorkflowHttpContinuation");
    }

    @Test
    void processOfExchangeRunsOnTheCallersThread() throws Exception {
        Producer producer = context.getEndpoint("workflow-http:" + server.url("/x") + "?timeout=5s")
                .createProducer();
        producer.start();
        try {
            Exchange exchange = new DefaultExchange(context);
            producer.process(exchange);

            assertThat(exchange.getException()).isNull();
            assertThat(exchange.getMessage().getBody(String.class)).isEqualTo("ok");
            assertThat(releasedOn).containsExactly(Thread.currentThread().getName());
        } finally {
            producer.stop();
        }
    }

    @Test
    void aStreamIsReadByTheCallerThreadAndReleasedOnce() throws Exception {
        Exchange result =
                throughRoute("workflow-http:" + server.url("/x") + "?timeout=5s&synchronous=true&bodyMode=stream");

        assertThat(result.getException()).isNull();
        assertThat(result.getProperty("after", String.class)).isEqualTo(result.getProperty("before", String.class));
        // the stream's call is released by the exchange's completion at the latest: once
        await().atMost(RELEASE_SLACK).untilAsserted(() -> assertThat(released).hasSize(1));
        assertThat(continuationThreadExists()).isFalse();
    }

    @Test
    void aRetryEndsOnTheCallerThreadWithEachAttemptReleasedOnce() throws Exception {
        AtomicBoolean first = new AtomicBoolean(true);
        MockWebServer flaky = loopbackServer(request -> first.getAndSet(false)
                ? new MockResponse.Builder().code(503).body("busy").build()
                : new MockResponse.Builder().body("ok").build());

        Exchange result = throughRoute("workflow-http:" + flaky.url("/x")
                + "?timeout=5s&synchronous=true&retryAttempts=2&retryBackoff=10ms/1/10ms&retryOn=503");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(result.getProperty(WorkflowHttpConstants.ATTEMPTS, List.class))
                .hasSize(2);
        assertThat(result.getProperty("after", String.class)).isEqualTo(result.getProperty("before", String.class));
        assertThat(released).hasSize(2);
        // the retry, too, starts on the waiting thread: the deadline thread hands it over when its wait is over
        assertThat(continuationThreadExists()).isFalse();
    }

    @Test
    void theDeadlineCoversTheWholeCallOnTheCallerThread() throws Exception {
        try (BenchServer trickle = BenchServer.start()) {
            long started = System.nanoTime();
            // 1 MB trickled over a minute: only the deadline ends it, in the middle of the body
            Exchange result = throughRoute(
                    "workflow-http:" + trickle.url("/trickle/1000000/60000/1200") + "?timeout=300ms&synchronous=true");
            Duration took = Duration.ofNanos(System.nanoTime() - started);

            assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
            assertThat(((WorkflowHttpTimeoutException) result.getException()).getPhase())
                    .isEqualTo(Phase.BODY);
            // 300 ms of deadline; the rest is slack for a loaded two-core machine, far below the minute of the body
            assertThat(took).isLessThan(Duration.ofSeconds(5));
            assertThat(released).containsExactly(TimeoutScope.State.TIMED_OUT);
            assertReleased();
        }
    }

    @Test
    void theTargetIsCheckedOnTheCallerThread() throws Exception {
        Exchange result = throughRoute(
                "workflow-http:" + server.url("/x") + "?timeout=5s&synchronous=true&restrictedNetworks=private");

        assertThat(result.getException()).isInstanceOf(WorkflowHttpRestrictedNetworkException.class);
        assertThat(server.getRequestCount()).isZero();
        assertThat(released).containsExactly(TimeoutScope.State.FAILED);
    }

    @Test
    void anErrorStatusKeepsItsBodyOnTheCallerThread() throws Exception {
        MockWebServer failing = loopbackServer(request -> new MockResponse.Builder()
                .code(500)
                .body("broken: " + "x".repeat(100_000))
                .build());

        Exchange result = throughRoute("workflow-http:" + failing.url("/x") + "?timeout=5s&synchronous=true");

        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        WorkflowHttpStatusException status = (WorkflowHttpStatusException) result.getException();
        assertThat(status.getStatusCode()).isEqualTo(500);
        assertThat(status.getBody()).hasSize(WorkflowHttpStatusException.MAX_ERROR_BODY);
        assertThat(status.getBodyAsString()).startsWith("broken: ");
        assertThat(released).hasSize(1);
    }

    @Test
    void aBodyOverItsLimitFailsOnTheCallerThread() throws Exception {
        MockWebServer large = loopbackServer(
                request -> new MockResponse.Builder().body("y".repeat(5000)).build());

        Exchange result =
                throughRoute("workflow-http:" + large.url("/x") + "?timeout=5s&synchronous=true&maxBodySize=1000");

        assertThat(result.getException()).isInstanceOf(WorkflowHttpBodyTooLargeException.class);
        assertThat(released).containsExactly(TimeoutScope.State.FAILED);
    }

    @Test
    void aCutBodyIsReportedOnTheCallerThread() throws Exception {
        try (HostileServer cutting = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nonly a part");
            connection.close();
        })) {
            Exchange result = throughRoute("workflow-http:" + cutting.url("/x") + "?timeout=5s&synchronous=true");

            assertThat(result.getException()).isInstanceOf(WorkflowHttpTruncatedBodyException.class);
            assertThat(((WorkflowHttpTruncatedBodyException) result.getException()).getPhase())
                    .isEqualTo(Phase.BODY);
            assertReleased();
        }
    }

    @Test
    void theDeadlineNamesThePhaseItPassedInOnTheCallerThread() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        try (HostileServer silent = HostileServer.start(connection -> {
                    connection.readRequest();
                    testDone.await(10, TimeUnit.SECONDS);
                });
                AutoCloseable answerNow = testDone::countDown) {
            Exchange result = throughRoute("workflow-http:" + silent.url("/x") + "?timeout=300ms&synchronous=true");

            assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
            assertThat(((WorkflowHttpTimeoutException) result.getException()).getPhase())
                    .isEqualTo(Phase.HEADERS);
            assertThat(released).containsExactly(TimeoutScope.State.TIMED_OUT);
            assertReleased();
        }
    }

    @Test
    void anIdleTimeoutEndsABlockedReadOnTheCallerThread() throws Exception {
        try (BenchServer trickle = BenchServer.start()) {
            // 10 slices a second apart: the second never comes within the idle timeout
            Exchange result = throughRoute("workflow-http:" + trickle.url("/trickle/10000/10000/10")
                    + "?timeout=10s&idleTimeout=300ms&synchronous=true");

            assertThat(result.getException()).isInstanceOf(WorkflowHttpIdleTimeoutException.class);
            assertReleased();
        }
    }

    @Test
    void anInterruptOfTheWaitingThreadAbortsTheCall() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        try (HostileServer silent = HostileServer.start(connection -> {
                    connection.readRequest();
                    testDone.await(10, TimeUnit.SECONDS);
                });
                AutoCloseable answerNow = testDone::countDown) {
            // stream mode: the asynchronous client, its outcome handed to the waiting thread, which an interrupt
            // wakes (a blocked read of the blocking client ends at the deadline: see the README)
            Producer producer = context.getEndpoint(
                            "workflow-http:" + silent.url("/x") + "?timeout=30s&bodyMode=stream")
                    .createProducer();
            producer.start();
            Exchange exchange = new DefaultExchange(context);
            AtomicBoolean interruptKept = new AtomicBoolean();
            Thread caller = new Thread(
                    () -> {
                        try {
                            producer.process(exchange);
                        } catch (Exception e) {
                            exchange.setException(e);
                        }
                        interruptKept.set(Thread.currentThread().isInterrupted());
                    },
                    "waiting-caller");
            caller.start();
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> component.getOpenScopes() == 1 && caller.getState() == Thread.State.WAITING);

            caller.interrupt();
            caller.join(TimeUnit.SECONDS.toMillis(10));

            assertThat(caller.isAlive()).isFalse();
            assertThat(exchange.getException())
                    .isInstanceOf(WorkflowHttpException.class)
                    .hasMessageContaining("interrupted");
            assertThat(interruptKept).isTrue();
            assertThat(released).containsExactly(TimeoutScope.State.FAILED);
            assertReleased();
            producer.stop();
        }
    }
}
