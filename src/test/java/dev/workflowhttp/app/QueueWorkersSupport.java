package dev.workflowhttp.app;

import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.ChildJvm;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Starts the application as separate JVMs that run one queue-triggered workflow: each message's body (an id) is
 * posted to a counting endpoint.
 */
final class QueueWorkersSupport {

    private QueueWorkersSupport() {}

    static Path writeWorkflow(Path dir, String counterUrl) throws Exception {
        return writeWorkflow(dir, counterUrl, null);
    }

    /**
     * With {@code forwardQueue}, the workflow runs two consumers, posts with an {@code Idempotency-Key} (the JMS
     * message id) and then sends the id on to that queue.
     */
    static Path writeWorkflow(Path dir, String counterUrl, String forwardQueue) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        List<String> lines =
                new ArrayList<>(List.of("- route:", "    id: work", "    from:", "      uri: jms:queue:work"));
        if (forwardQueue != null) {
            lines.addAll(List.of("      parameters:", "        concurrentConsumers: 2"));
        }
        lines.add("      steps:");
        if (forwardQueue != null) {
            lines.addAll(
                    List.of("        - setProperty:", "            name: jobId", "            simple: \"${body}\""));
        }
        lines.addAll(List.of(
                "        - to:",
                "            uri: \"workflow-http:" + counterUrl + "\"",
                "            parameters:",
                "              method: POST",
                "              timeout: 10s",
                "              userAgent: \"worker-{{test.instance}}\""));
        if (forwardQueue != null) {
            lines.addAll(List.of(
                    "              idempotencyKey: messageId",
                    "        - setBody:",
                    "            simple: \"${exchangeProperty.jobId}\"",
                    "        - to: jms:queue:" + forwardQueue));
        }
        lines.add("");
        Files.writeString(routes.resolve("work.yaml"), String.join("\n", lines));
        return routes;
    }

    /** The app with the repository's configuration, on the given workflow, broker settings and instance name. */
    static ChildJvm startApp(Path dir, Path routes, String instance, List<String> brokerProperties) throws Exception {
        List<String> properties = new java.util.ArrayList<>(List.of(
                "-Dcamel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                "-Dcamel.management.enabled=false",
                "-Dcamel.server.enabled=false",
                "-Dworkflow.demo.enabled=false",
                "-Dtest.instance=" + instance));
        properties.addAll(brokerProperties);
        return ChildJvm.start(
                dir.resolve("app-" + instance + "-" + System.nanoTime() + ".log"),
                properties,
                WorkflowHttpMain.class.getName());
    }

    /** Sends persistent messages with bodies {@code prefix-0 .. prefix-(count-1)}, waiting for the broker first. */
    static void send(String brokerUrl, String prefix, int count) throws Exception {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(brokerUrl)) {
            Connection[] connection = new Connection[1];
            await("the broker at " + brokerUrl)
                    .atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .until(() -> {
                        connection[0] = factory.createConnection();
                        return true;
                    });
            try (Connection open = connection[0];
                    Session session = open.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
                MessageProducer producer = session.createProducer(session.createQueue("work"));
                for (int i = 0; i < count; i++) {
                    producer.send(session.createTextMessage(prefix + "-" + i));
                }
            }
        }
    }
}
