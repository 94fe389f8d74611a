package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.workflowhttp.support.AppRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.ProducerTemplate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The app runs the routes Camel users write, with nothing added to its pom: a circuit breaker around a workflow-http
 * call (closed, then open after failures: the fallback answers and the server is no longer called), a field picked
 * out of JSON with jsonpath and written to a file, and a webhook-triggered route served on the webhook port.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkflowModulesTest {

    private final AtomicInteger apiStatus = new AtomicInteger(200);
    private final AtomicInteger apiHits = new AtomicInteger();
    private final ExecutorService serverThreads = Executors.newFixedThreadPool(2);
    private HttpServer api;
    private Path dir;
    private AppRunner app;

    @BeforeAll
    void startApp() throws Exception {
        api = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        api.setExecutor(serverThreads);
        api.createContext("/flaky", exchange -> {
            apiHits.incrementAndGet();
            int status = apiStatus.get();
            answer(exchange, status, status == 200 ? "from the api" : "down");
        });
        api.createContext(
                "/order",
                exchange -> answer(
                        exchange,
                        200,
                        "{\"order\": {\"id\": \"A-17\", \"lines\": [{\"sku\": \"pen\", \"qty\": 3}, {\"sku\": \"ink\", \"qty\": 1}]}}"));
        api.start();
        String base = "http://127.0.0.1:" + api.getAddress().getPort();

        dir = Files.createTempDirectory("workflow-modules");
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(
                routes.resolve("guarded.yaml"),
                String.join(
                        "\n",
                        "- route:",
                        "    id: guarded-call",
                        "    from:",
                        "      uri: direct:guarded",
                        "      steps:",
                        "        - circuitBreaker:",
                        "            id: api-breaker",
                        "            resilience4jConfiguration:",
                        "              slidingWindowSize: 4",
                        "              minimumNumberOfCalls: 4",
                        "              failureRateThreshold: 50",
                        "              waitDurationInOpenState: 600",
                        "            steps:",
                        "              - to: \"workflow-http:" + base + "/flaky?timeout=10s\"",
                        "            onFallback:",
                        "              steps:",
                        "                - setBody:",
                        "                    constant: fallback",
                        ""));
        Files.writeString(
                routes.resolve("order-report.yaml"),
                String.join(
                        "\n",
                        "- route:",
                        "    id: order-report",
                        "    from:",
                        "      uri: timer:order-report?repeatCount=1",
                        "      steps:",
                        "        - to: \"workflow-http:" + base + "/order?timeout=10s\"",
                        "        - setHeader:",
                        "            name: skus",
                        "            jsonpath: \"$.order.lines[?(@.qty > 1)].sku\"",
                        "        - setBody:",
                        "            jsonpath: \"$.order.id\"",
                        "        - setBody:",
                        "            simple: \"${body} ${header.skus}\"",
                        "        - to: \"file:" + dir.resolve("out") + "?fileName=order.txt\"",
                        ""));
        Files.writeString(
                routes.resolve("hook.yaml"),
                String.join(
                        "\n",
                        "- route:",
                        "    id: hook",
                        "    from:",
                        "      uri: platform-http:/hook",
                        "      steps:",
                        "        - setBody:",
                        "            simple: \"received ${body}\"",
                        ""));
        Properties overrides = new Properties();
        overrides.setProperty("camel.main.routesIncludePattern", "file:" + routes + "/*.yaml");
        app = new AppRunner(overrides);
    }

    private static void answer(HttpExchange exchange, int status, String body) throws IOException {
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", body.startsWith("{") ? "application/json" : "text/plain");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    @AfterAll
    void stopApp() throws Exception {
        try {
            if (app != null) {
                app.close();
            }
        } finally {
            api.stop(0);
            serverThreads.shutdownNow();
            AppRunner.deleteTree(dir);
        }
    }

    @Test
    void theCircuitBreakerLetsCallsThroughThenOpensAndTheFallbackAnswersWithoutCallingTheServer() throws Exception {
        ProducerTemplate producer = app.context().createProducerTemplate();
        // closed: the calls reach the server
        for (int i = 0; i < 3; i++) {
            assertThat(producer.requestBody("direct:guarded", "", String.class)).isEqualTo("from the api");
        }
        assertThat(apiHits.get()).isEqualTo(3);
        assertThat(breakerState("closed")).isEqualTo(1.0);

        // the server fails: each failure is answered by the fallback; with 2 failures of the last 4 calls (50 %) the
        // breaker opens
        apiStatus.set(503);
        for (int i = 0; i < 2; i++) {
            assertThat(producer.requestBody("direct:guarded", "", String.class)).isEqualTo("fallback");
        }
        assertThat(apiHits.get()).isEqualTo(5);
        assertThat(breakerState("open")).isEqualTo(1.0);

        // open: the fallback answers at once and the server sees no call, even though it has recovered
        apiStatus.set(200);
        for (int i = 0; i < 5; i++) {
            assertThat(producer.requestBody("direct:guarded", "", String.class)).isEqualTo("fallback");
        }
        assertThat(apiHits.get()).isEqualTo(5);
    }

    /** The breaker's state gauge on the app's Prometheus page (resilience4j_circuitbreaker_state{state=...}). */
    private double breakerState(String state) throws Exception {
        HttpResponse<String> metrics = app.management("/observe/metrics");
        assertThat(metrics.statusCode()).isEqualTo(200);
        return metrics.body()
                .lines()
                .filter(line -> line.startsWith("resilience4j_circuitbreaker_state{")
                        && line.contains("state=\"" + state + "\""))
                .mapToDouble(line -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
                .findFirst()
                .orElseThrow(() -> new AssertionError(
                        "no resilience4j_circuitbreaker_state for " + state + " in:\n" + metrics.body()));
    }

    @Test
    void aFieldPickedWithJsonPathIsWrittenToAFile() {
        Path written = dir.resolve("out").resolve("order.txt");
        await("order.txt written")
                .atMost(Duration.ofSeconds(30))
                .untilAsserted(() -> assertThat(written)
                        .exists()
                        .content(StandardCharsets.UTF_8)
                        .isEqualTo("A-17 [pen]"));
    }

    @Test
    void aWebhookRouteIsServedOnTheWebhookPortAndNotOnTheManagementPort() throws Exception {
        // HttpURLConnection, not java.net.http: its selector thread would outlive the test in the other tests' checks
        HttpURLConnection hook = (HttpURLConnection) URI.create("http://127.0.0.1:" + app.webhookPort() + "/hook")
                .toURL()
                .openConnection();
        hook.setRequestMethod("POST");
        hook.setRequestProperty("Content-Type", "text/plain");
        hook.setDoOutput(true);
        try (OutputStream out = hook.getOutputStream()) {
            out.write("an event".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(hook.getResponseCode()).isEqualTo(200);
        try (InputStream in = hook.getInputStream()) {
            assertThat(new String(in.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("received an event");
        } finally {
            hook.disconnect();
        }
        assertThat(app.management("/hook").statusCode()).isEqualTo(404);
    }
}
