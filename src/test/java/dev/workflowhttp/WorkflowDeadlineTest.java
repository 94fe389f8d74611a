package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workflow's own deadline, over several steps: every call uses the nearer of its timeout and the time left, and a
 * step that starts with no time left fails at once without sending anything.
 */
class WorkflowDeadlineTest extends WorkflowHttpTestSupport {

    /** Shared, noisy 2-core machines: a deadline may fire this much late before a test calls it wrong. */
    private static final long SLACK_MILLIS = 1500;

    private MockWebServer server;
    private HostileServer stalling;

    @BeforeEach
    void startServers() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
        stalling = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.awaitClosedByClient(Duration.ofSeconds(30));
        }));
    }

    private MockResponse slow(long millis) {
        return new MockResponse.Builder()
                .headersDelay(millis, TimeUnit.MILLISECONDS)
                .body("ok")
                .build();
    }

    @Test
    void thirdStepStartingAfterTheDeadlineFailsAtOnceWithoutSending() throws Exception {
        server.enqueue(slow(400));
        server.enqueue(slow(400));
        server.enqueue(slow(0));
        String url = server.url("/step").toString();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:workflow")
                        .setProperty(
                                WorkflowDeadline.PROPERTY, () -> Instant.now().plusMillis(600))
                        .to("workflow-http:" + url + "?timeout=30s")
                        .to("workflow-http:" + url + "?timeout=30s")
                        .to("workflow-http:" + url + "?timeout=30s");
            }
        });
        Exchange result = template.request("direct:workflow", e -> {});
        // step 1 took 400 ms; step 2 had 200 ms left of the 600 ms budget and failed; step 3 never ran
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("workflow deadline");
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void stepStartingWithNoTimeLeftFailsInBudgetPhase() throws Exception {
        server.enqueue(slow(0));
        String url = server.url("/late").toString();
        Exchange result = template.request(
                "workflow-http:" + url,
                e -> e.setProperty(WorkflowDeadline.PROPERTY, Instant.now().minusMillis(5)));
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("BUDGET")
                .hasMessageContaining("workflow deadline");
        assertThat(((WorkflowHttpTimeoutException) result.getException()).getPhase())
                .isEqualTo(Phase.BUDGET);
        assertThat(server.getRequestCount()).as("requests sent").isZero();
    }

    @Test
    void nearerWorkflowDeadlineGovernsTheCallAndTheScopeSaysSo() {
        // a java.util.Date, as ${date:now+...} gives
        Date deadline = new Date(System.currentTimeMillis() + 500);
        long start = System.nanoTime();
        Exchange result = template.request(
                "workflow-http:" + stalling.url("/stall") + "?timeout=30s",
                e -> e.setProperty(WorkflowDeadline.PROPERTY, deadline));
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("HEADERS")
                .hasMessageContaining("workflow deadline");
        assertThat(took).isBetween(400L, 500 + SLACK_MILLIS);
        RealTimeoutScope scope = result.getProperty(WorkflowHttpConstants.TIMEOUT_SCOPE, RealTimeoutScope.class);
        assertThat(scope.getLimitName()).isEqualTo("workflow deadline");
    }

    @Test
    void simpleDateExpressionSetsTheDeadline() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:simple")
                        .setProperty(WorkflowDeadline.PROPERTY, simple("${date:now+400}"))
                        .to("workflow-http:" + stalling.url("/stall") + "?timeout=1h");
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:simple", e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(took).isBetween(300L, 400 + SLACK_MILLIS);
    }

    @Test
    void deadlineCrossesASedaHopAsAHeader() throws Exception {
        BlockingQueue<Exchange> done = new LinkedBlockingQueue<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:start")
                        .bean(WorkflowDeadline.class, "within(*, '500ms')")
                        .to("seda:next");
                from("seda:next")
                        .onException(WorkflowHttpException.class)
                        .handled(true)
                        .process(done::add)
                        .end()
                        .to("workflow-http:" + stalling.url("/stall") + "?timeout=1h");
            }
        });
        long start = System.nanoTime();
        template.send("direct:start", e -> {});
        Exchange finished = done.poll(10, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(finished).as("the call after the hop failed").isNotNull();
        assertThat(finished.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class))
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("workflow deadline");
        assertThat(finished.getMessage().getHeader(WorkflowDeadline.HEADER)).isInstanceOf(Long.class);
        assertThat(took).isBetween(400L, 500 + SLACK_MILLIS);
    }

    @Test
    void withinOnlyMovesTheDeadlineCloser() {
        Exchange exchange = new org.apache.camel.support.DefaultExchange(context);
        WorkflowDeadline.within(exchange, "1s");
        Instant first = WorkflowDeadline.of(exchange);
        WorkflowDeadline.within(exchange, "1h");
        assertThat(WorkflowDeadline.of(exchange)).isEqualTo(first);
        WorkflowDeadline.within(exchange, "10ms");
        assertThat(WorkflowDeadline.of(exchange)).isBefore(first);
    }

    @Test
    void invalidDeadlineValueFailsTheExchangeNamingIt() {
        Exchange result = template.request(
                "workflow-http:" + server.url("/x"), e -> e.setProperty(WorkflowDeadline.PROPERTY, "tomorrow-ish"));
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining(WorkflowDeadline.PROPERTY)
                .hasMessageContaining("tomorrow-ish");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void camelRedeliveryStopsWhenTheWorkflowHasNoTimeLeft() throws Exception {
        for (int i = 0; i < 20; i++) {
            server.enqueue(new MockResponse.Builder().code(500).body("down").build());
        }
        String url = server.url("/down").toString();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:redelivered")
                        .onException(WorkflowHttpException.class)
                        .maximumRedeliveries(-1)
                        .redeliveryDelay(100)
                        .retryWhile(method(WorkflowDeadline.class, "hasTimeLeft"))
                        .end()
                        .bean(WorkflowDeadline.class, "within(*, '700ms')")
                        .to("workflow-http:" + url);
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:redelivered", e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException()).isInstanceOf(WorkflowHttpException.class);
        assertThat(took).isBetween(600L, 700 + SLACK_MILLIS);
        assertThat(server.getRequestCount()).isBetween(2, 9);
    }
}
