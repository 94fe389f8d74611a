package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * A retry and a next page are calls like any other: each waits for a token of the origin's rate. At 2/s, the server
 * sees them at least 500 ms apart, though the step's own backoff is 10 ms.
 */
class RetriesAndPagesQueueTest extends WorkflowHttpTestSupport {

    /**
     * Tokens come every 500 ms, counted at admission; the server sees each request some milliseconds later, by an
     * amount that differs from call to call on a loaded machine (tens of ms seen): 150 ms of slack. Without the limit
     * the gaps would be the 10 ms backoff, or none at all between pages.
     */
    private static final Duration SPACING = Duration.ofMillis(350);

    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();

    @Test
    void eachRetryTakesAToken() throws Exception {
        AtomicInteger number = new AtomicInteger();
        MockWebServer server = loopbackServer(request -> {
            if (request.getUrl().encodedPath().equals("/warm-up")) {
                return new MockResponse.Builder().body("warm").build();
            }
            arrivals.add(System.nanoTime());
            return new MockResponse.Builder()
                    .code(number.incrementAndGet() < 3 ? 503 : 200)
                    .body("r")
                    .build();
        });
        warmUp(server);
        Exchange result = template.request(
                "workflow-http:" + server.url("/r") + "?rateLimit=2/s&retryAttempts=2&retryBackoff=10ms/1/10ms",
                e -> {});
        assertThat(result.getException()).isNull();
        assertSpacedAtLeast(3);
    }

    @Test
    void eachPageTakesAToken() throws Exception {
        AtomicInteger number = new AtomicInteger();
        MockWebServer server = loopbackServer(request -> {
            if (request.getUrl().encodedPath().equals("/warm-up")) {
                return new MockResponse.Builder().body("warm").build();
            }
            arrivals.add(System.nanoTime());
            int page = number.incrementAndGet();
            MockResponse.Builder answer = new MockResponse.Builder().body("page " + page);
            if (page < 3) {
                answer.addHeader(
                        "Link",
                        "<"
                                + request.getUrl()
                                        .newBuilder()
                                        .setQueryParameter("page", String.valueOf(page + 1))
                                        .build()
                                + ">; rel=\"next\"");
            }
            return answer.build();
        });
        warmUp(server);
        Exchange result =
                template.request("workflow-http:" + server.url("/p") + "?rateLimit=2/s&nextPage=link", e -> {});
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(WorkflowHttpConstants.PAGES)).isEqualTo(3);
        assertSpacedAtLeast(3);
    }

    /**
     * The first call of a JVM loads the client's classes and opens its first connection, slow enough on a loaded
     * machine that it reaches the server late, nearer the next call than the limiter spaced them.
     */
    private void warmUp(MockWebServer server) {
        assertThat(template.request("workflow-http:" + server.url("/warm-up"), e -> {})
                        .getException())
                .isNull();
    }

    private void assertSpacedAtLeast(int requests) {
        List<Long> at = List.copyOf(arrivals);
        assertThat(at).hasSize(requests);
        for (int i = 1; i < at.size(); i++) {
            assertThat(Duration.ofNanos(at.get(i) - at.get(i - 1)))
                    .as("between request %d and %d", i, i + 1)
                    .isGreaterThanOrEqualTo(SPACING);
        }
    }
}
