package dev.workflowhttp.app;

import java.util.List;
import java.util.Locale;
import org.apache.activemq.artemis.core.config.ClusterConnectionConfiguration;
import org.apache.activemq.artemis.core.config.Configuration;
import org.apache.activemq.artemis.core.config.HAPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStoreBackupPolicyConfiguration;
import org.apache.activemq.artemis.core.config.ha.SharedStorePrimaryPolicyConfiguration;
import org.apache.activemq.artemis.core.server.cluster.impl.MessageLoadBalancingType;

/**
 * One half of a shared-store broker pair: the primary holds the lock on the shared journal directory and serves;
 * the backup waits for that lock and serves from the same journal once the primary is gone (killed, crashed or
 * stopped). A cluster connection between the two tells each client the topology, so a client that reached the
 * primary knows where the backup is.
 *
 * @param role         which half this broker is
 * @param connectorUrl how clients and the peer reach this broker ({@code tcp://host:port}, never a wildcard host)
 * @param peerUrl      how this broker reaches the other half
 */
record BrokerHa(Role role, String connectorUrl, String peerUrl) {

    /** The name of the cluster connection that joins the pair. */
    static final String CLUSTER_CONNECTION = "workflow-pair";

    enum Role {
        PRIMARY,
        BACKUP;

        String label() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Adds the HA policy, the two connectors and the cluster connection to a broker's configuration. */
    void applyTo(Configuration config) throws Exception {
        HAPolicyConfiguration policy = switch (role) {
            // failover-on-shutdown: an orderly stop of the primary (SIGTERM, an upgrade) hands over too
            case PRIMARY -> new SharedStorePrimaryPolicyConfiguration().setFailoverOnServerShutdown(true);
            // allow-failback: a primary started again takes its place back, the backup waits again
            case BACKUP ->
                new SharedStoreBackupPolicyConfiguration()
                        .setFailoverOnServerShutdown(true)
                        .setAllowFailBack(true);
        };
        config.setHAPolicyConfiguration(policy)
                .addConnectorConfiguration("self", connectorUrl)
                .addConnectorConfiguration("peer", peerUrl)
                .addClusterConfiguration(new ClusterConnectionConfiguration()
                        .setName(CLUSTER_CONNECTION)
                        .setConnectorName("self")
                        .setStaticConnectors(List.of("peer"))
                        .setRetryInterval(500)
                        .setReconnectAttempts(-1)
                        // a pair, not a load-balancing cluster: messages stay where they were sent
                        .setMessageLoadBalancingType(MessageLoadBalancingType.OFF));
    }
}
