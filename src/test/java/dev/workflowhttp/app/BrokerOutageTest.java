package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import dev.workflowhttp.support.ChildJvm;
import dev.workflowhttp.support.CountingEndpoint;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Properties;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The app on an external broker that stops and comes back: {@code /observe/health} answers DOWN (503) while the broker
 * cannot be reached and UP again once the queue consumers have reconnected; the outage is one WARN line per attempt
 * with no stack trace, the recovery one INFO line; every message sent before, during and after is delivered.
 */
class BrokerOutageTest {

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newHttpClient();

    private HttpResponse<String> health(int port) throws Exception {
        return http.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/observe/health"))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void healthIsDownWhenTheBrokerWasNeverReachable() throws Exception {
        Properties overrides = new Properties();
        // a port nothing listens on: taken from the system, then given back
        overrides.setProperty("workflow.broker.url", "tcp://127.0.0.1:" + AppRunner.freePort());
        overrides.setProperty("workflow.demo.enabled", "false");
        try (AppRunner app = new AppRunner(overrides)) {
            assertThat(app.management("/observe/health").statusCode())
                    .as("DOWN from the start")
                    .isEqualTo(503);
            await("the first attempt's reason").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                HttpResponse<String> health = app.management("/observe/health");
                assertThat(health.statusCode()).isEqualTo(503);
                assertThat(health.body())
                        .contains("\"broker\"")
                        .contains("unreachable")
                        .contains("Cannot connect");
            });
        }
    }

    @Test
    void healthIsDownWhileTheBrokerIsGoneAndUpOnceTheConsumersAreBackWithNothingLost() throws Exception {
        String url = "tcp://127.0.0.1:" + AppRunner.freePort();
        Path journal = dir.resolve("broker");
        EmbeddedBroker broker = new EmbeddedBroker(journal, url);
        broker.start();
        int management = AppRunner.freePort();
        try (CountingEndpoint counter = new CountingEndpoint(50)) {
            Path routes = QueueWorkersSupport.writeWorkflow(dir, counter.url());
            try (ChildJvm app = ChildJvm.start(
                    dir.resolve("app.log"),
                    List.of(
                            "-Dcamel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                            "-Dcamel.management.port=" + management,
                            "-Dcamel.server.enabled=false",
                            "-Dworkflow.demo.enabled=false",
                            "-Dtest.instance=a",
                            "-Dworkflow.broker.url=" + url,
                            // the app's own logging configuration (config/log4j2.properties) applies: what an operator
                            // reads
                            "-Dworkflow.broker.reconnect-interval=1s"),
                    WorkflowHttpMain.class.getName())) {
                await("health UP at start")
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> health(management).statusCode() == 200);

                QueueWorkersSupport.send(url, "before", 40);
                await("some delivered")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> counter.counts().size() >= 5);
                broker.close();

                await("health DOWN")
                        .atMost(Duration.ofSeconds(30))
                        .ignoreExceptions()
                        .untilAsserted(() -> {
                            HttpResponse<String> down = health(management);
                            assertThat(down.statusCode()).isEqualTo(503);
                            assertThat(down.body()).contains("\"broker\"").contains("unreachable");
                        });
                await("two failed reconnect attempts")
                        .atMost(Duration.ofSeconds(30))
                        .until(() -> app.log().contains("(attempt 2,"));
                assertThat(health(management).statusCode()).as("still DOWN").isEqualTo(503);

                broker = new EmbeddedBroker(journal, url);
                broker.start();
                await("health UP again")
                        .atMost(Duration.ofSeconds(60))
                        .ignoreExceptions()
                        .until(() -> health(management).statusCode() == 200);

                QueueWorkersSupport.send(url, "after", 10);
                List<String> expected = IntStream.range(0, 40)
                        .mapToObj(i -> "before-" + i)
                        .collect(java.util.stream.Collectors.toCollection(java.util.ArrayList::new));
                IntStream.range(0, 10).forEach(i -> expected.add("after-" + i));
                await("every message delivered")
                        .atMost(Duration.ofSeconds(60))
                        .until(() -> counter.counts().keySet().containsAll(expected));

                String log = app.log();
                assertThat(log.lines()
                                .filter(l -> l.contains("BrokerMonitor - Broker at " + url + " unreachable (attempt")))
                        .as("one WARN line per attempt")
                        .isNotEmpty()
                        .allMatch(l -> l.contains(" WARN "));
                assertThat(log).contains("BrokerMonitor - Broker at " + url + " reachable again after");
                assertThat(log.lines().filter(l -> l.startsWith("\tat ") || l.startsWith("Caused by")))
                        .as("stack trace lines in the app's output")
                        .isEmpty();
                assertThat(app.terminate(Duration.ofSeconds(30)))
                        .as("exit code after SIGTERM")
                        .isZero();
            }
        } finally {
            broker.close();
        }
    }
}
