package dev.workflowhttp.app.cluster;

import java.util.Map;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;

/**
 * Health check {@code cluster}: names the cluster service, this member, how many members are live and its state in each cluster namespace
 * ({@code leader}, {@code follower}, or why it waits). Always UP: a follower is as healthy as the leader, and a
 * Kubernetes pod that is not ready is not a member of the election at all.
 */
final class ClusterHealthCheck extends AbstractHealthCheck {

    static final String ID = "cluster";

    private final String serviceDescription;
    private final String memberId;
    private final Leadership leadership;

    ClusterHealthCheck(String serviceDescription, String memberId, Leadership leadership) {
        super("workflow", ID);
        this.serviceDescription = serviceDescription;
        this.memberId = memberId;
        this.leadership = leadership;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("cluster.service", serviceDescription);
        builder.detail("cluster.member", memberId);
        int members = leadership.liveMembers();
        builder.detail("cluster.members", members);
        Map<String, String> states = leadership.states();
        StringBuilder message = new StringBuilder("member ")
                .append(memberId)
                .append(" of ")
                .append(members)
                .append(" live");
        states.forEach((namespace, state) -> {
            builder.detail("cluster.namespace." + namespace, state);
            message.append(", ").append(namespace).append(": ").append(state);
        });
        builder.message(message.toString());
        builder.up();
    }
}
