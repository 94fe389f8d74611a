package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import org.apache.camel.ConsumerTemplate;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.NotifyBuilder;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The application as shipped (its configuration and its routes/*.yaml), run in this JVM against its own demo
 * endpoints, on faster schedules.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ShippedWorkflowsTest {

    private AppRunner app;

    @BeforeAll
    void startApp() throws Exception {
        Properties overrides = new Properties();
        overrides.setProperty("workflow.demo.feed-period", "1s");
        overrides.setProperty("workflow.demo.slow-feed-cron", "0/2 * * * * ?");
        overrides.setProperty("workflow.demo.slow-feed-millis", "1500");
        app = new AppRunner(overrides);
    }

    @AfterAll
    void stopApp() throws Exception {
        app.close();
    }

    @Test
    void feedLinesBecomeOrdersPostedToTheApi() {
        DemoEndpoints demo = app.infrastructure().demoEndpoints();
        // two feed rounds of five orders each; every third API call answers 503 and is retried
        await("orders accepted by the API")
                .atMost(Duration.ofSeconds(30))
                .until(() -> demo.acceptedOrders() >= 2L * DemoEndpoints.FEED_LINES);
    }

    @Test
    void slowFeedArrivesWholeUnderItsLongTimeout() {
        NotifyBuilder slowFeed = new NotifyBuilder(app.context())
                .fromRoute("slow-feed")
                .whenCompleted(1)
                .create();
        assertThat(slowFeed.matches(20, TimeUnit.SECONDS))
                .as("a slow-feed run completed")
                .isTrue();
        NotifyBuilder failed = new NotifyBuilder(app.context())
                .fromRoute("slow-feed")
                .whenFailed(1)
                .create();
        assertThat(failed.matches(0, TimeUnit.SECONDS))
                .as("no slow-feed run failed")
                .isFalse();
    }

    @Test
    void unparsableMessageGoesToTheDeadLetterQueueWithoutRedelivery() {
        ProducerTemplate producer = app.context().createProducerTemplate();
        producer.sendBody("jms:queue:orders", "this is not JSON {");
        Exchange dead = receiveDeadLetter(
                message -> "this is not JSON {".equals(message.getMessage().getBody(String.class)));
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_CLASS, String.class))
                .contains("Json");
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_ROUTE, String.class))
                .isEqualTo("orders-to-api");
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_ATTEMPTS, Integer.class))
                .isEqualTo(1);
    }

    @Test
    void orderTheApiRefusesGoesToTheDeadLetterQueueWithTheStatusAndPhase() {
        ProducerTemplate producer = app.context().createProducerTemplate();
        String poison = "{\"order\":\"P-1\",\"item\":\"poison\"}";
        producer.sendBody("jms:queue:orders", poison);
        Exchange dead =
                receiveDeadLetter(message -> poison.equals(message.getMessage().getBody(String.class)));
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_CLASS, String.class))
                .isEqualTo("dev.workflowhttp.WorkflowHttpStatusException");
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_STATUS, Integer.class))
                .isEqualTo(422);
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_PHASE, String.class))
                .isEqualTo("HEADERS");
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_MESSAGE, String.class))
                .contains("HTTP 422");
        // a 4xx is not retried
        assertThat(dead.getMessage().getHeader(FailureHeaders.ERROR_ATTEMPTS, Integer.class))
                .isEqualTo(1);
    }

    @Test
    void metricsAndHealthAreServed() throws Exception {
        // the broker check connects in the background: UP once it has (in-VM, within moments)
        await("health UP").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            HttpResponse<String> health = app.management("/observe/health");
            assertThat(health.statusCode()).isEqualTo(200);
            assertThat(health.body()).contains("UP");
        });
        await("a call to be recorded").atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            String metrics = app.management("/observe/metrics").body();
            assertThat(metrics)
                    .contains(
                            "workflow_http_scopes_open",
                            "workflow_http_timers_pending",
                            "workflow_http_connections_leased",
                            "workflow_http_requests_seconds_count{outcome=\"success\"");
        });
    }

    @Test
    void gaugesReadZeroOnceTheWorkflowsAreIdle() throws Exception {
        app.context().getRouteController().stopRoute("feed-to-queue");
        app.context().getRouteController().stopRoute("slow-feed");
        try {
            await("gauges to read 0 when idle").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String metrics = app.management("/observe/metrics").body();
                assertThat(metrics)
                        .contains(
                                "workflow_http_scopes_open 0.0",
                                "workflow_http_timers_pending 0.0",
                                "workflow_http_connections_leased 0.0");
            });
        } finally {
            app.context().getRouteController().startRoute("feed-to-queue");
            app.context().getRouteController().startRoute("slow-feed");
        }
    }

    private Exchange receiveDeadLetter(java.util.function.Predicate<Exchange> ours) {
        ConsumerTemplate consumer = app.context().createConsumerTemplate();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        java.util.List<Object> others = new java.util.ArrayList<>();
        while (System.nanoTime() < deadline) {
            Exchange received = consumer.receive("jms:queue:orders.dlq", 1000);
            if (received != null) {
                if (ours.test(received)) {
                    return received;
                }
                others.add(received.getMessage().getBody() + " "
                        + received.getMessage().getHeaders());
            }
        }
        throw new AssertionError("no dead letter of ours within 20 s; others: " + others);
    }
}
