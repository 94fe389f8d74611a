package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import dev.workflowhttp.support.ChildJvm;
import dev.workflowhttp.support.CountingEndpoint;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * A broker in its own process on loopback and two app instances pointed at it share one queue as competing
 * consumers: every message is processed, none by both.
 */
class ScaleOutTest {

    private static final int MESSAGES = 80;

    private Path dir;
    private CountingEndpoint counter;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("workflow-scale");
        counter = new CountingEndpoint(150);
    }

    @AfterEach
    void tearDown() throws Exception {
        counter.close();
        AppRunner.deleteTree(dir);
    }

    @Test
    void twoInstancesShareTheQueueWithoutLossOrDoubleProcessing() throws Exception {
        Path routes = QueueWorkersSupport.writeWorkflow(dir, counter.url());
        String brokerUrl = "tcp://127.0.0.1:" + AppRunner.freePort();
        // consumerWindowSize=0: no client buffers messages ahead, so an idle instance is never starved
        List<String> external = List.of("-Dworkflow.broker.url=" + brokerUrl + "?consumerWindowSize=0");
        try (ChildJvm broker = ChildJvm.start(
                        dir.resolve("broker.log"),
                        List.of(),
                        StandaloneBroker.class.getName(),
                        brokerUrl,
                        dir.resolve("broker-data").toString());
                ChildJvm a = QueueWorkersSupport.startApp(dir, routes, "a", external);
                ChildJvm b = QueueWorkersSupport.startApp(dir, routes, "b", external)) {
            QueueWorkersSupport.send(brokerUrl, "job", MESSAGES);
            await("every message processed")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(counter.counts().keySet())
                            .as("broker log:%n%s%napp a:%n%s", broker.log(), a.log())
                            .hasSize(MESSAGES));
        }
        assertThat(counter.counts().values())
                .extracting(AtomicInteger::get)
                .as("times each message was processed")
                .containsOnly(1);
        Set<String> byA = counter.byInstance().getOrDefault("worker-a", Set.of());
        Set<String> byB = counter.byInstance().getOrDefault("worker-b", Set.of());
        assertThat(byA).as("instance a took a share").isNotEmpty();
        assertThat(byB).as("instance b took a share").isNotEmpty();
        assertThat(byA).doesNotContainAnyElementsOf(byB);
        LoggerFactory.getLogger(getClass())
                .info("{} messages: {} by instance a, {} by instance b", MESSAGES, byA.size(), byB.size());
    }
}
