package dev.workflowhttp.support;

import dev.workflowhttp.app.EmbeddedBroker;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.jms.JmsComponent;

/** The app's embedded Artemis broker in a temporary directory, for tests with a JMS queue; closing deletes it. */
public final class TestBroker implements AutoCloseable {

    private final Path dataDir;
    private final EmbeddedBroker broker;

    private TestBroker(Path dataDir, EmbeddedBroker broker) {
        this.dataDir = dataDir;
        this.broker = broker;
    }

    public static TestBroker start(String name) throws Exception {
        Path dataDir = Files.createTempDirectory(name);
        EmbeddedBroker broker = new EmbeddedBroker(dataDir, null);
        broker.start();
        return new TestBroker(dataDir, broker);
    }

    /** A {@code jms} component connected to this broker in-VM. */
    public JmsComponent jmsComponent() {
        JmsComponent jms = new JmsComponent();
        jms.setConnectionFactory(new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL));
        return jms;
    }

    /** Threads of the broker and its client, which outlive a test by Artemis's design. */
    public static boolean isBrokerThread(String name) {
        return name.contains("ActiveMQ") || name.contains("activemq") || name.startsWith("Thread-");
    }

    @Override
    public void close() throws Exception {
        broker.close();
        AppRunner.deleteTree(dataDir);
    }
}
