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
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app, as its own process with the embedded broker's journal on disk, is killed with SIGKILL while it works
 * through a queue. Started again on the same journal it finishes the work: every message is processed at least
 * once. Duplicates (a message whose call went out before the kill but whose acknowledgement did not) are counted
 * and reported, never lost messages.
 */
class CrashRecoveryTest {

    private static final Logger LOG = LoggerFactory.getLogger(CrashRecoveryTest.class);
    private static final int MESSAGES = 40;

    private Path dir;
    private CountingEndpoint counter;

    @BeforeEach
    void setUp() throws Exception {
        dir = Files.createTempDirectory("workflow-crash");
        counter = new CountingEndpoint(100);
    }

    @AfterEach
    void tearDown() throws Exception {
        counter.close();
        AppRunner.deleteTree(dir);
    }

    @Test
    void everyMessageIsProcessedAtLeastOnceAcrossAKill() throws Exception {
        Path routes = QueueWorkersSupport.writeWorkflow(dir, counter.url());
        int brokerPort = AppRunner.freePort();
        String brokerUrl = "tcp://127.0.0.1:" + brokerPort;
        List<String> embedded =
                List.of("-Dworkflow.broker.data-dir=" + dir.resolve("data"), "-Dworkflow.broker.listen=" + brokerUrl);

        ChildJvm first = QueueWorkersSupport.startApp(dir, routes, "first", embedded);
        try {
            QueueWorkersSupport.send(brokerUrl, "msg", MESSAGES);
            await("some messages processed before the kill")
                    .atMost(Duration.ofSeconds(60))
                    .until(() -> counter.counts().size() >= 8);
        } finally {
            first.kill();
        }
        int beforeKill = counter.counts().size();
        assertThat(beforeKill).as("the kill landed mid-way").isLessThan(MESSAGES);

        try (ChildJvm second = QueueWorkersSupport.startApp(dir, routes, "second", embedded)) {
            await("every message processed after the restart")
                    .atMost(Duration.ofSeconds(90))
                    .untilAsserted(() -> assertThat(counter.counts().keySet())
                            .as("log of the restarted app:%n%s", tail(second.log()))
                            .hasSize(MESSAGES));
        }
        for (int i = 0; i < MESSAGES; i++) {
            assertThat(counter.counts()).containsKey("msg-" + i);
        }
        long duplicates = counter.counts().values().stream()
                .mapToInt(AtomicInteger::get)
                .filter(n -> n > 1)
                .count();
        Map<String, ?> byInstance = counter.byInstance();
        LOG.info(
                "kill -9 after {} of {} messages: all {} processed after the restart, {} processed twice, by {}",
                beforeKill,
                MESSAGES,
                MESSAGES,
                duplicates,
                byInstance.keySet());
        // one consumer: only the message in flight at the kill can be processed twice
        assertThat(duplicates).isLessThanOrEqualTo(1);
    }

    private static String tail(String log) {
        return log.length() > 4000 ? log.substring(log.length() - 4000) : log;
    }
}
