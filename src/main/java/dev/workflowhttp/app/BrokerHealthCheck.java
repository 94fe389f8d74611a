package dev.workflowhttp.app;

import dev.workflowhttp.Durations;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.health.HealthCheckResultBuilder;
import org.apache.camel.impl.health.AbstractHealthCheck;
import org.springframework.jms.listener.AbstractMessageListenerContainer;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Health check {@code broker}: DOWN while the broker cannot be reached, and until every queue consumer has
 * reconnected after an outage; UP otherwise. A readiness check only: restarting the app does not bring a broker back.
 */
final class BrokerHealthCheck extends AbstractHealthCheck {

    static final String ID = "broker";

    private final BrokerMonitor monitor;

    BrokerHealthCheck(BrokerMonitor monitor) {
        super("workflow", ID);
        this.monitor = monitor;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    protected void doCall(HealthCheckResultBuilder builder, Map<String, Object> options) {
        builder.detail("broker.url", monitor.shownUrl());
        if (!monitor.isUp()) {
            builder.detail("broker.down.for", Durations.format(monitor.downFor()));
            builder.message("broker at " + monitor.shownUrl() + " unreachable for "
                    + Durations.format(monitor.downFor()) + ": " + monitor.downReason());
            builder.down();
            return;
        }
        List<String> reconnecting = reconnectingConsumers();
        if (!reconnecting.isEmpty()) {
            builder.detail("consumers.reconnecting", String.join(",", reconnecting));
            builder.message("broker reachable, queue consumers still reconnecting: " + String.join(", ", reconnecting)
                    + " (to see why, set the logger org.apache.camel.component.jms.DefaultJmsMessageListenerContainer "
                    + "to WARN)");
            builder.down();
            return;
        }
        builder.up();
    }

    /** Routes whose JMS consumer is in its reconnect loop, as {@code route (queue)}. */
    private List<String> reconnectingConsumers() {
        List<String> reconnecting = new ArrayList<>();
        for (Route route : getCamelContext().getRoutes()) {
            if (route.getConsumer() instanceof JmsConsumer consumer) {
                AbstractMessageListenerContainer container;
                try {
                    container = consumer.getListenerContainer();
                } catch (Exception e) {
                    reconnecting.add(route.getRouteId() + " (" + e.getMessage() + ")");
                    continue;
                }
                if (container instanceof DefaultMessageListenerContainer listener && listener.isRecovering()) {
                    reconnecting.add(
                            route.getRouteId() + " (" + consumer.getEndpoint().getDestinationName() + ")");
                }
            }
        }
        return reconnecting;
    }
}
