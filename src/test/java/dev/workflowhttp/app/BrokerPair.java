package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import dev.workflowhttp.support.ChildJvm;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.activemq.artemis.api.core.client.ClientSessionFactory;
import org.apache.activemq.artemis.api.core.client.ServerLocator;
import org.apache.activemq.artemis.api.core.client.TopologyMember;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * A shared-store broker pair: this jar's StandaloneBroker as primary and backup, each its own JVM, on one journal
 * directory and two loopback ports, and the failover URL the README gives the instances.
 */
final class BrokerPair implements AutoCloseable {

    private static final Pattern CLIENT_FAILOVER = Pattern.compile("Failed over to the broker at \\S+ after (\\S+);");

    final String primaryUrl;
    final String backupUrl;
    final String failoverUrl;
    private final Path dir;
    private final Path store;
    private ChildJvm primary;
    private ChildJvm backup;

    BrokerPair(Path dir) throws Exception {
        this.dir = dir;
        store = dir.resolve("shared-store");
        primaryUrl = "tcp://127.0.0.1:" + AppRunner.freePort();
        backupUrl = "tcp://127.0.0.1:" + AppRunner.freePort();
        failoverUrl = "(" + primaryUrl + "," + backupUrl + ")?ha=true&reconnectAttempts=-1"
                + "&retryInterval=100&retryIntervalMultiplier=1.5&maxRetryInterval=1000&consumerWindowSize=0";
    }

    /** Starts the primary and returns at once; its log is {@code primary.log} in the directory. */
    void startPrimary() throws Exception {
        primary = ChildJvm.start(
                dir.resolve("primary.log"),
                java.util.List.of(),
                StandaloneBroker.class.getName(),
                primaryUrl,
                store.toString(),
                "--ha=primary",
                "--peer=" + backupUrl);
    }

    /**
     * Waits for the primary to serve, then starts the backup (which, started first, could take the lock itself) and
     * waits until the primary announces it to clients: only then does a client learn where to fail over to.
     */
    void startBackupOnceThePrimaryServes(Duration limit) throws Exception {
        await("the primary active").atMost(limit).until(() -> primary.log().contains("primary broker active"));
        backup = ChildJvm.start(
                dir.resolve("backup.log"),
                java.util.List.of(),
                StandaloneBroker.class.getName(),
                backupUrl,
                store.toString(),
                "--ha=backup",
                "--peer=" + primaryUrl);
        await("the backup announced to the primary")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(250))
                .ignoreExceptions()
                .untilAsserted(() -> {
                    try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(failoverUrl);
                            ServerLocator locator = factory.getServerLocator();
                            ClientSessionFactory sessions = locator.createSessionFactory()) {
                        assertThat(sessions.getServerLocator().getTopology().getMembers())
                                .as("backup log:%n%s", backup.log())
                                .anyMatch((TopologyMember member) -> member.getBackup() != null);
                    }
                });
        assertThat(backup.log()).as("the backup waits while the primary lives").doesNotContain("backup broker active");
    }

    /** SIGKILL to the primary; returns how long until the backup logged that it serves. */
    Duration killPrimaryAndAwaitBackup(Duration limit) throws Exception {
        long killed = System.nanoTime();
        primary.kill();
        await("the backup active")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(50))
                .until(() -> backup.log().contains("backup broker active"));
        return Duration.ofNanos(System.nanoTime() - killed);
    }

    /** How long an app instance's client took to fail over, as its broker monitor logged it (null: not logged). */
    static String clientFailover(String appLog) {
        Matcher failover = CLIENT_FAILOVER.matcher(appLog);
        return failover.find() ? failover.group(1) : null;
    }

    String backupLog() {
        return backup == null ? "" : backup.log();
    }

    /**
     * Receives what {@code queue} holds until it stays empty, as the times each body arrived. A message the app sent
     * must carry the duplicate id it gave it ({@code <route>/ID:...|jms://queue:<queue>|0}).
     */
    Map<String, Integer> drain(String queue, int expected, String sendingRoute) throws Exception {
        Map<String, Integer> received = new HashMap<>();
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(failoverUrl);
                Connection connection = factory.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            connection.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (System.nanoTime() < deadline) {
                // once every expected body is in, a short wait shows whether anything more follows
                Message message = consumer.receive(received.size() >= expected ? 2000 : 10000);
                if (message == null) {
                    if (received.size() >= expected) {
                        break;
                    }
                    continue;
                }
                String text = message instanceof TextMessage textMessage ? textMessage.getText() : message.toString();
                if (sendingRoute != null) {
                    assertThat(message.getStringProperty(DuplicateIds.HEADER))
                            .as("the duplicate id the app gave it")
                            .startsWith(sendingRoute + "/ID:")
                            .endsWith("|jms://queue:" + queue + "|0");
                }
                received.merge(text, 1, Integer::sum);
            }
        }
        return received;
    }

    @Override
    public void close() throws Exception {
        if (backup != null) {
            backup.close();
        }
        if (primary != null) {
            primary.close();
        }
    }
}
