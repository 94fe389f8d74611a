package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A status outside {@code okStatusCodes} fails the exchange with {@link WorkflowHttpStatusException} (status, headers,
 * bounded body), unless {@code throwOnHttpError=false}; no automatic retry; a large error body is cut without leaking
 * the connection.
 */
class HttpStatusTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    @Test
    void notFoundFailsWithStatusBodyAndHeaders() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(404)
                .addHeader("X-Reason", "no such order")
                .addHeader("Content-Type", "text/plain")
                .body("order 42 not found")
                .build());

        Exchange result = call("");

        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        WorkflowHttpStatusException error = (WorkflowHttpStatusException) result.getException();
        assertThat(error.getStatusCode()).isEqualTo(404);
        assertThat(error.getBodyAsString()).isEqualTo("order 42 not found");
        assertThat(error.isBodyCut()).isFalse();
        assertThat(error.getHeader("X-Reason")).isEqualTo("no such order");
        assertThat(error.getMessage()).contains("404");
    }

    @Test
    void notFoundWithoutThrowOnHttpErrorIsAResponse() throws Exception {
        server.enqueue(
                new MockResponse.Builder().code(404).body("order 42 not found").build());

        Exchange result = call("throwOnHttpError=false");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("order 42 not found");
        assertThat(result.getMessage().getHeader("CamelHttpResponseCode")).isEqualTo(404);
    }

    @Test
    void okStatusCodesCanAcceptNotFound() throws Exception {
        server.enqueue(new MockResponse.Builder().code(404).body("empty result").build());

        Exchange result = call("okStatusCodes=200-299,404");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("empty result");
        assertThat(result.getMessage().getHeader("CamelHttpResponseCode")).isEqualTo(404);
    }

    @Test
    void serviceUnavailableWithRetryAfterFailsAtOnce() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .code(503)
                .addHeader("Retry-After", "3600")
                .body("busy")
                .build());
        // what a retry would get: the exchange must not end with it
        server.enqueue(new MockResponse.Builder().code(200).body("retried").build());

        long start = System.nanoTime();
        Exchange result = call("");
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        WorkflowHttpStatusException error = (WorkflowHttpStatusException) result.getException();
        assertThat(error.getStatusCode()).isEqualTo(503);
        assertThat(error.getHeader("Retry-After")).isEqualTo("3600");
        assertThat(server.getRequestCount())
                .as("requests sent: no automatic retry")
                .isEqualTo(1);
        // no waiting for Retry-After; 2 s of slack because the build runs on shared, noisy 2-core machines
        assertThat(tookMillis).isLessThan(2000);
    }

    @Test
    void largeErrorBodyIsCutAndTheConnectionIsNotLeaked() throws Exception {
        String big = "e".repeat(1024 * 1024);
        server.enqueue(new MockResponse.Builder().code(500).body(big).build());

        Exchange result = call("");

        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        WorkflowHttpStatusException error = (WorkflowHttpStatusException) result.getException();
        assertThat(error.getStatusCode()).isEqualTo(500);
        assertThat(error.isBodyCut()).isTrue();
        assertThat(error.getBody()).hasSize(WorkflowHttpStatusException.MAX_ERROR_BODY);
        assertThat(error.getBodyAsString()).isEqualTo(big.substring(0, WorkflowHttpStatusException.MAX_ERROR_BODY));
        // nothing leased, no scope open, no timer: checked here and again by the base class
        assertReleased();
    }

    private Exchange call(String options) throws Exception {
        // 127.0.0.1, not the "localhost" that server.url() names
        String url = "http://127.0.0.1:" + server.getPort() + "/orders/42";
        String query = options.isEmpty() ? "timeout=10s" : "timeout=10s&" + options;
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("workflow-http:" + url + "?" + query);
            }
        });
        return template.request("direct:call", exchange -> {});
    }
}
