package dev.workflowhttp.app;

import java.nio.file.Path;
import org.apache.activemq.artemis.api.core.SimpleString;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.impl.ConfigurationImpl;
import org.apache.activemq.artemis.core.server.JournalType;
import org.apache.activemq.artemis.core.server.embedded.EmbeddedActiveMQ;
import org.apache.activemq.artemis.core.settings.impl.AddressSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An Apache ActiveMQ Artemis broker inside the process, with a persistent journal on disk: a message the broker
 * accepted survives a crash of the process and is delivered again when it starts.
 */
public final class EmbeddedBroker implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EmbeddedBroker.class);

    /** The in-VM address clients of this process connect to. */
    public static final String IN_VM_URL = "vm://0";

    private final EmbeddedActiveMQ server = new EmbeddedActiveMQ();
    private final Path dataDir;
    private final BrokerHa ha;

    /**
     * @param dataDir   the directory of the journal, bindings, paging and large messages
     * @param listenUrl also accept TCP clients at this URL (e.g. {@code tcp://127.0.0.1:61616}), or null for in-VM only
     */
    public EmbeddedBroker(Path dataDir, String listenUrl) throws Exception {
        this(dataDir, listenUrl, null);
    }

    /**
     * @param ha the half of a shared-store pair this broker is ({@code dataDir} is then the directory both halves
     *           share), or null for a broker on its own
     */
    EmbeddedBroker(Path dataDir, String listenUrl, BrokerHa ha) throws Exception {
        this.dataDir = dataDir.toAbsolutePath();
        this.ha = ha;
        Configuration config = new ConfigurationImpl()
                .setName(
                        ha == null
                                ? "workflow-broker"
                                : "workflow-broker-" + ha.role().label())
                .setPersistenceEnabled(true)
                .setSecurityEnabled(false)
                .setJournalType(JournalType.NIO)
                .setJournalDirectory(this.dataDir.resolve("journal").toString())
                .setBindingsDirectory(this.dataDir.resolve("bindings").toString())
                .setPagingDirectory(this.dataDir.resolve("paging").toString())
                .setLargeMessagesDirectory(
                        this.dataDir.resolve("large-messages").toString())
                .setJMXManagementEnabled(false)
                .addAcceptorConfiguration("in-vm", IN_VM_URL)
                // a message whose deliveries keep being rolled back (a crash loop) is parked, never dropped
                .addAddressSetting(
                        "#",
                        new AddressSettings()
                                .setDeadLetterAddress(SimpleString.of("DLQ"))
                                .setExpiryAddress(SimpleString.of("ExpiryQueue"))
                                .setMaxDeliveryAttempts(10)
                                .setAutoCreateDeadLetterResources(true)
                                .setAutoCreateExpiryResources(true));
        if (listenUrl != null && !listenUrl.isBlank()) {
            config.addAcceptorConfiguration("tcp", listenUrl);
        }
        if (ha != null) {
            ha.applyTo(config);
        }
        server.setConfiguration(config);
    }

    public void start() throws Exception {
        server.start();
        if (ha == null) {
            LOG.info("Embedded Artemis broker started, journal in {}", dataDir);
        } else if (ha.role() == BrokerHa.Role.BACKUP && !isActive()) {
            LOG.info("Backup broker started, waiting for the primary's lock on the shared journal in {}", dataDir);
        }
    }

    /** Whether this broker serves clients: always once started on its own, only after taking over for a backup. */
    boolean isActive() {
        return server.getActiveMQServer() != null && server.getActiveMQServer().isActive();
    }

    /** Waits up to {@code millis} for this broker to serve clients; whether it does. */
    boolean awaitActive(long millis) throws InterruptedException {
        return server.getActiveMQServer().waitForActivation(millis, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** The connections clients have opened to this broker since it started, closed ones included. */
    long connectionsOpened() {
        return server.getActiveMQServer().getTotalConnectionCount();
    }

    @Override
    public void close() throws Exception {
        server.stop();
        LOG.info("Embedded Artemis broker stopped");
    }
}
