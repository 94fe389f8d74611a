package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Thousands of calls whose deadlines fall just around the server's response time, on keep-alive connections. Calls
 * that finish hand their connection to the next call while their own deadline is still near; calls that time out
 * race the last bytes. Whatever the interleaving, every call ends in exactly one of two ways: its own whole body, or
 * its own timeout, never after less than its own limit. A late timer that touched a connection another call had
 * since taken would show up as a cut body, a foreign body, or an early failure.
 */
class ExactlyOnceUnderLoadTest extends WorkflowHttpTestSupport {

    private static final int CALLS = 3000;
    private static final int CONCURRENCY = 48;

    private MockWebServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setMaxConnectionsPerRoute(CONCURRENCY);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            String id = request.getUrl().queryParameter("id");
            // the server answers in 20-60 ms: the deadlines below (10-90 ms) fall on both sides of it
            return new MockResponse.Builder()
                    .headersDelay(ThreadLocalRandom.current().nextInt(20, 50), TimeUnit.MILLISECONDS)
                    .bodyDelay(ThreadLocalRandom.current().nextInt(0, 10), TimeUnit.MILLISECONDS)
                    .body(expectedBody(id))
                    .build();
        });
    }

    private static String expectedBody(String id) {
        return "response for call " + id + "\n" + "x".repeat(2000) + "\nend of " + id;
    }

    @Test
    void everyCallEndsWithItsOwnBodyOrItsOwnTimeout() throws Exception {
        String url = server.url("/echo").toString();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("workflow-http:" + url).convertBodyTo(String.class);
            }
        });
        Map<String, AtomicInteger> outcomes = new ConcurrentHashMap<>();
        List<String> wrong = java.util.Collections.synchronizedList(new ArrayList<>());
        ExecutorService callers = Executors.newFixedThreadPool(CONCURRENCY);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int i = 0; i < CALLS; i++) {
                int id = i;
                done.add(callers.submit(() -> {
                    long timeoutMillis = ThreadLocalRandom.current().nextLong(10, 91);
                    String mode = id % 3 == 0 ? "stream" : "materialize";
                    Exchange result = template.request("direct:call", exchange -> {
                        exchange.getMessage().setHeader("CamelWorkflowHttpParams", Map.of("id", id));
                        exchange.getMessage().setHeader("CamelWorkflowHttpTimeout", timeoutMillis);
                        exchange.getMessage().setHeader("CamelWorkflowHttpBodyMode", mode);
                    });
                    Throwable failure = result.getException();
                    WorkflowHttpTimeoutException timeout = findTimeout(failure);
                    if (failure == null) {
                        String body = result.getMessage().getBody(String.class);
                        if (!expectedBody(String.valueOf(id)).equals(body)) {
                            wrong.add("call " + id + " got a body that is not its own or not whole: "
                                    + (body == null ? null : body.substring(0, Math.min(40, body.length()))));
                        }
                        count(outcomes, "success");
                    } else if (timeout != null) {
                        if (timeout.getTimeout().toMillis() != timeoutMillis) {
                            wrong.add("call " + id + " failed on a limit that is not its own: " + timeout.getMessage());
                        }
                        if (timeout.getElapsed().compareTo(Duration.ofMillis(timeoutMillis)) < 0) {
                            wrong.add("call " + id + " timed out before its own limit: " + timeout.getMessage());
                        }
                        count(outcomes, "timeout " + timeout.getPhase());
                    } else {
                        wrong.add("call " + id + " (" + mode + ", " + timeoutMillis + " ms) failed otherwise: "
                                + failure);
                    }
                }));
            }
            for (Future<?> each : done) {
                each.get(60, TimeUnit.SECONDS);
            }
        } finally {
            callers.shutdownNow();
            assertThat(callers.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(wrong)
                .as("calls that did not end with their own body or their own timeout")
                .isEmpty();
        // both outcomes happened, or the deadlines did not fall around the response time and the test proved nothing
        assertThat(outcomes.get("success")).as("outcomes %s", outcomes).isNotNull();
        assertThat(outcomes.get("success").get()).as("outcomes %s", outcomes).isGreaterThan(CALLS / 20);
        int timeouts = outcomes.entrySet().stream()
                .filter(e -> e.getKey().startsWith("timeout"))
                .mapToInt(e -> e.getValue().get())
                .sum();
        assertThat(timeouts).as("outcomes %s", outcomes).isGreaterThan(CALLS / 20);
        org.slf4j.LoggerFactory.getLogger(getClass()).info("outcomes of {} calls: {}", CALLS, outcomes);
    }

    private static void count(Map<String, AtomicInteger> outcomes, String key) {
        outcomes.computeIfAbsent(key, k -> new AtomicInteger()).incrementAndGet();
    }

    private static WorkflowHttpTimeoutException findTimeout(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WorkflowHttpTimeoutException timeout) {
                return timeout;
            }
        }
        return null;
    }
}
