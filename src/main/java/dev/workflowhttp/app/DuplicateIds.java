package dev.workflowhttp.app;

import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.NamedNode;
import org.apache.camel.Route;
import org.apache.camel.component.jms.JmsConfiguration;
import org.apache.camel.component.jms.JmsConstants;
import org.apache.camel.component.jms.JmsEndpoint;
import org.apache.camel.component.jms.JmsMessage;
import org.apache.camel.component.jms.MessageCreatedStrategy;
import org.apache.camel.spi.RoutePolicy;
import org.apache.camel.spi.RoutePolicyFactory;
import org.apache.camel.support.RoutePolicySupport;
import org.springframework.jms.core.JmsOperations;
import org.springframework.jms.core.JmsTemplate;

/**
 * Gives every message a route sends through the {@code jms} component an Artemis duplicate id
 * ({@code _AMQ_DUPL_ID}), the same each time the same work is done again, so that the broker keeps one copy:
 * <ul>
 * <li>a queue message whose transaction rolled back (a crash, a broker failover) is delivered again and its route
 * runs again; the messages that run sends again carry the ids of the first run, and the broker drops those it
 * already holds;</li>
 * <li>a send whose outcome a failover left unknown, retried by Camel's redelivery, carries the id of the first
 * try.</li>
 * </ul>
 * The id is {@code <route>/<origin>|<destination>|<n>}: the origin is the JMS message id of the queue message that
 * started the exchange (stable across its redeliveries), or the exchange id for an exchange a timer or another
 * consumer started; {@code n} counts this exchange's sends to that destination (0, 1, ...), shared by the exchange's
 * split parts. A {@code _AMQ_DUPL_ID} header the route sets itself wins; the one an incoming message carries is
 * removed when its route begins, as it names the sender's send, not this route's.
 */
final class DuplicateIds implements MessageCreatedStrategy, RoutePolicyFactory {

    /** Artemis's duplicate detection property, {@code _AMQ_DUPL_ID}. */
    static final String HEADER = org.apache.activemq.artemis.api.core.Message.HDR_DUPLICATE_DETECTION_ID.toString();

    /** The exchange property holding the exchange's {@link Sends}. */
    static final String PROPERTY = "WorkflowDuplicateIds";

    /**
     * The {@code jms} component's configuration: every send carries a duplicate id and goes to the broker on its own,
     * outside a transaction (a blocking durable send, confirmed by the broker before the route goes on). Artemis drops
     * a duplicate sent on its own without a word, but fails the whole transaction a duplicate is sent in: the
     * redelivered run that repeats a send would fail on it, again and again, until the message is dead-lettered.
     * Without a transaction manager a transacted send committed its one message at once anyway, so nothing is lost by
     * sending it alone; the consumers stay transacted.
     */
    JmsConfiguration jmsConfiguration() {
        JmsConfiguration configuration = new SendsAlone();
        configuration.setMessageCreatedStrategy(this);
        return configuration;
    }

    private static final class SendsAlone extends JmsConfiguration {
        @Override
        public JmsOperations createInOnlyTemplate(JmsEndpoint endpoint, boolean pubSubDomain, String destination) {
            JmsOperations operations = super.createInOnlyTemplate(endpoint, pubSubDomain, destination);
            if (operations instanceof JmsTemplate template) {
                template.setSessionTransacted(false);
                // a transacted component's templates carry SESSION_TRANSACTED as their acknowledgement mode, which a
                // session cache turns into a transacted session that nobody commits
                template.setSessionAcknowledgeMode(Session.AUTO_ACKNOWLEDGE);
            }
            return operations;
        }
    }

    @Override
    public RoutePolicy createRoutePolicy(CamelContext context, String routeId, NamedNode route) {
        return new RoutePolicySupport() {
            @Override
            public void onExchangeBegin(Route begun, Exchange exchange) {
                begin(begun.getRouteId(), exchange);
            }
        };
    }

    /** Fixes the exchange's origin in the first route it enters; later routes (direct:, split parts) keep it. */
    static void begin(String routeId, Exchange exchange) {
        if (exchange.getProperty(PROPERTY) != null) {
            return;
        }
        String origin = null;
        if (exchange.getIn() instanceof JmsMessage in && in.getJmsMessage() != null) {
            try {
                origin = in.getJmsMessage().getJMSMessageID();
            } catch (JMSException e) {
                origin = null;
            }
            in.removeHeader(HEADER);
        }
        exchange.setProperty(PROPERTY, new Sends(routeId + "/" + (origin != null ? origin : exchange.getExchangeId())));
    }

    @Override
    public void onMessageCreated(Message message, Session session, Exchange exchange, Throwable cause) {
        if (exchange == null || cause != null) {
            return;
        }
        try {
            if (message.propertyExists(HEADER)) {
                return;
            }
            Sends sends = exchange.getProperty(PROPERTY, Sends.class);
            if (sends == null) {
                // sent by a producer template or a bean, outside any route
                begin("send", exchange);
                sends = exchange.getProperty(PROPERTY, Sends.class);
            }
            String destination = exchange.getMessage().getHeader(JmsConstants.JMS_DESTINATION_NAME, String.class);
            if (destination == null) {
                destination = exchange.getProperty(ExchangePropertyKey.TO_ENDPOINT, "", String.class);
            }
            int redeliveries = exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
            int ordinal = sends.next(destination, exchange.getMessage(), redeliveries);
            message.setStringProperty(HEADER, sends.origin + "|" + destination + "|" + ordinal);
        } catch (JMSException e) {
            throw new IllegalStateException("Cannot set " + HEADER + " on a JMS message: " + e.getMessage(), e);
        }
    }

    /** The sends of one exchange (and of its split parts, which share this object), per destination. */
    static final class Sends {
        private final String origin;
        private final Map<String, Integer> counts = new HashMap<>();
        private final Map<String, Last> last = new HashMap<>();

        private record Last(Object message, int redeliveries, int ordinal) {}

        Sends(String origin) {
            this.origin = origin;
        }

        /**
         * The ordinal of this send to {@code destination}: the next one, unless it is Camel's redelivery of the last
         * send there (the same message, a higher redelivery count), which keeps the ordinal of the try it repeats.
         */
        synchronized int next(String destination, Object message, int redeliveries) {
            Last previous = last.get(destination);
            int ordinal;
            if (previous != null && previous.message == message && redeliveries > previous.redeliveries) {
                ordinal = previous.ordinal;
            } else {
                ordinal = counts.merge(destination, 1, Integer::sum) - 1;
            }
            last.put(destination, new Last(message, redeliveries, ordinal));
            return ordinal;
        }
    }
}
