package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Retries inside the step: on 429/502/503/504 and connection failures, idempotent methods only unless told
 * otherwise, honouring Retry-After, and never past the step's deadline. Each attempt's scope is released (the base
 * class checks that nothing is left).
 */
class RetryTest extends WorkflowHttpTestSupport {

    /** Shared, noisy 2-core machines: how much later than planned a wait may end before a test calls it wrong. */
    private static final long SLACK_MILLIS = 1500;

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    private static MockResponse status(int code) {
        return new MockResponse.Builder().code(code).body("status " + code).build();
    }

    private String url(String options) {
        return "workflow-http:" + server.url("/r") + "?" + options;
    }

    @Test
    void succeedsOnTheThirdAttemptAndRecordsEachAttempt() {
        server.enqueue(status(503));
        server.enqueue(status(502));
        server.enqueue(new MockResponse.Builder().body("finally").build());
        Exchange result = template.request(url("retryAttempts=2&retryBackoff=20ms/2/100ms"), e -> {});
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("finally");
        @SuppressWarnings("unchecked")
        List<AttemptRecord> attempts = result.getProperty(WorkflowHttpConstants.ATTEMPTS, List.class);
        assertThat(attempts).extracting(AttemptRecord::statusCode).containsExactly(503, 502, 200);
        assertThat(attempts)
                .allSatisfy(attempt -> assertThat(attempt.timing().total()).isPositive());
    }

    @Test
    void withoutRetryAttemptsA503FailsAtOnce() {
        server.enqueue(status(503));
        Exchange result = template.request(url("timeout=5s"), e -> {});
        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void retryAfterInSecondsIsHonoured() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Retry-After", "1")
                .build());
        server.enqueue(new MockResponse.Builder().body("after the wait").build());
        long start = System.nanoTime();
        Exchange result = template.request(url("retryAttempts=1&retryBackoff=10ms/1/10ms&timeout=10s"), e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("after the wait");
        assertThat(took).isBetween(950L, 1000 + SLACK_MILLIS);
    }

    @Test
    void retryAfterAsHttpDateIsHonoured() {
        String inOneSecond = org.apache.hc.client5.http.utils.DateUtils.formatStandardDate(
                java.time.Instant.now().plusSeconds(2));
        server.enqueue(new MockResponse.Builder()
                .code(429)
                .setHeader("Retry-After", inOneSecond)
                .build());
        server.enqueue(new MockResponse.Builder().body("ok").build());
        long start = System.nanoTime();
        Exchange result = template.request(url("retryAttempts=1&timeout=10s"), e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException()).isNull();
        // an HTTP date has whole seconds: the wait is between 1 and 2 s
        assertThat(took).isBetween(900L, 2000 + SLACK_MILLIS);
    }

    @Test
    void retryAfterBeyondTheDeadlineFailsAtOnceSayingSo() {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .setHeader("Retry-After", "3600")
                .body("later")
                .build());
        long start = System.nanoTime();
        Exchange result = template.request(url("retryAttempts=3&timeout=30s"), e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(took).isLessThan(SLACK_MILLIS);
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRetryException.class)
                .hasMessageContaining("Retry-After: 3600")
                .hasMessageContaining("left before the timeout")
                .hasCauseInstanceOf(WorkflowHttpStatusException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void budgetRunningOutBetweenAttemptsStopsTheRetries() {
        for (int i = 0; i < 10; i++) {
            server.enqueue(status(503));
        }
        long start = System.nanoTime();
        Exchange result = template.request(url("retryAttempts=9&retryBackoff=300ms/1/300ms&timeout=800ms"), e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRetryException.class)
                .hasMessageContaining("backoff");
        // waits of 150-300 ms inside 800 ms: a few attempts, never all ten
        assertThat(server.getRequestCount()).isBetween(2, 6);
        assertThat(took).isLessThan(800 + SLACK_MILLIS);
    }

    @Test
    void postIsNotRetriedUnlessAllowed() {
        server.enqueue(status(503));
        server.enqueue(status(503));
        server.enqueue(new MockResponse.Builder().body("created").build());
        Exchange refused = template.request(
                url("method=POST&retryAttempts=2&retryBackoff=10ms/1/10ms"),
                e -> e.getMessage().setBody("order"));
        assertThat(refused.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);

        Exchange allowed = template.request(
                url("method=POST&retryAttempts=2&retryBackoff=10ms/1/10ms&retryNonIdempotent=true"),
                e -> e.getMessage().setBody("order"));
        assertThat(allowed.getException()).isNull();
        assertThat(allowed.getMessage().getBody(String.class)).isEqualTo("created");
    }

    @Test
    void aConnectionClosedBeforeTheAnswerIsRetried() throws Exception {
        java.util.concurrent.atomic.AtomicInteger connections = new java.util.concurrent.atomic.AtomicInteger();
        HostileServer flaky = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            if (connections.incrementAndGet() == 1) {
                connection.close();
            } else {
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nsaved");
                connection.awaitClosedByClient(Duration.ofSeconds(10));
            }
        }));
        Exchange result = template.request(
                "workflow-http:" + flaky.url("/flaky") + "?retryAttempts=1&retryBackoff=10ms/1/10ms", e -> {});
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("saved");
        assertThat(connections.get()).isEqualTo(2);
    }

    @Test
    void statusesOutsideRetryOnAreNotRetried() {
        server.enqueue(status(500));
        Exchange result = template.request(url("retryAttempts=3&retryBackoff=10ms/1/10ms"), e -> {});
        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void attemptTimingShowsWhereTheTimeWent() {
        server.enqueue(new MockResponse.Builder()
                .headersDelay(300, TimeUnit.MILLISECONDS)
                .bodyDelay(300, TimeUnit.MILLISECONDS)
                .body("timed")
                .build());
        server.enqueue(new MockResponse.Builder().body("again").build());
        Exchange first = template.request(url("timeout=10s"), e -> {});
        Exchange second = template.request(url("timeout=10s"), e -> {});
        @SuppressWarnings("unchecked")
        AttemptRecord slow =
                ((List<AttemptRecord>) first.getProperty(WorkflowHttpConstants.ATTEMPTS, List.class)).get(0);
        assertThat(slow.timing().waitingForHeaders()).isGreaterThanOrEqualTo(Duration.ofMillis(280));
        assertThat(slow.timing().readingBody()).isGreaterThanOrEqualTo(Duration.ofMillis(250));
        assertThat(slow.timing().connecting()).as("a new connection was opened").isPositive();
        @SuppressWarnings("unchecked")
        AttemptRecord reused =
                ((List<AttemptRecord>) second.getProperty(WorkflowHttpConstants.ATTEMPTS, List.class)).get(0);
        assertThat(reused.timing().connecting())
                .as("the pooled connection was reused")
                .isZero();
    }
}
