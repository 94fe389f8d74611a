package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.AppRunner;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a workflow sends to a queue ({@code to: jms:queue:...}) goes out on one shared connection, committed on its
 * own: each message arrives once, and the broker does not see a connection per message. A connection per send was
 * what a broker failover caught half-open, blocking that send for a minute.
 */
class QueueSendsTest {

    private static final int MESSAGES = 40;

    private Path dir;
    private EmbeddedBroker broker;
    private String url;

    @BeforeEach
    void startBroker() throws Exception {
        dir = Files.createTempDirectory("workflow-sends");
        url = "tcp://127.0.0.1:" + AppRunner.freePort();
        broker = new EmbeddedBroker(dir.resolve("broker"), url);
        broker.start();
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(
                routes.resolve("forward.yaml"),
                String.join(
                        "\n",
                        "- route:",
                        "    id: forward",
                        "    from:",
                        "      uri: jms:queue:work",
                        "      parameters:",
                        "        concurrentConsumers: 2",
                        "      steps:",
                        "        - to: jms:queue:done",
                        ""));
    }

    @AfterEach
    void stopBroker() throws Exception {
        broker.close();
        AppRunner.deleteTree(dir);
    }

    @Test
    void sendsShareOneConnectionAndEachMessageArrivesOnce() throws Exception {
        Properties properties = new Properties();
        properties.setProperty("camel.main.routesIncludePattern", "file:" + dir.resolve("routes") + "/*.yaml");
        properties.setProperty("workflow.demo.enabled", "false");
        properties.setProperty("workflow.broker.url", url);
        Map<String, Integer> received = new HashMap<>();
        long opened;
        try (AppRunner app = new AppRunner(properties);
                ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url);
                Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageProducer producer = session.createProducer(session.createQueue("work"));
                MessageConsumer consumer = session.createConsumer(session.createQueue("done"))) {
            connection.start();
            long before = broker.connectionsOpened();
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(session.createTextMessage("job-" + i));
            }
            while (received.size() < MESSAGES) {
                TextMessage message = (TextMessage) consumer.receive(30_000);
                assertThat(message)
                        .as("a forwarded message within 30 s, after %s", received.keySet())
                        .isNotNull();
                received.merge(message.getText(), 1, Integer::sum);
            }
            assertThat(consumer.receive(500)).as("nothing more in the queue").isNull();
            opened = broker.connectionsOpened() - before;
        }
        assertThat(received)
                .hasSize(MESSAGES)
                .allSatisfy((body, times) -> assertThat(times).as(body).isEqualTo(1));
        // the sends' one shared connection, opened by the first send; a connection per send opened 40
        assertThat(opened)
                .as("connections opened while %d messages were forwarded", MESSAGES)
                .isLessThanOrEqualTo(2);
    }
}
