package dev.workflowhttp.app;

import dev.workflowhttp.component.WorkflowHttpComponent;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Map;
import java.util.UUID;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Carries the pauses servers ask for ({@code 429}/{@code 503} with {@code Retry-After}) between the app's instances
 * over the JMS topic {@value #TOPIC}: each pause this instance learns is published (origin and instant, not a URL),
 * and each pause another instance published pauses the same origin here, its waiting calls keeping their place.
 * <p>
 * Publishing never blocks the thread that learned the pause (an HTTP client I/O thread): the pause goes to a bounded
 * in-memory queue, and a route sends it to the topic; when that queue is full the pause is dropped for the others
 * (this instance keeps it). Pauses are not durable: an instance that joins later learns the
 * origin's pause from its own first 429. An instance skips the pauses it published itself.
 */
public final class LimitPauseTopic extends RouteBuilder {

    public static final String TOPIC = "workflow.limits.pauses";
    static final String ORIGIN = "WorkflowLimitOrigin";
    static final String UNTIL = "WorkflowLimitPausedUntil";
    static final String SENDER = "WorkflowLimitInstance";
    private static final String OUTBOX = "seda:workflow-limit-pauses-out?size=1000&discardWhenFull=true";
    private static final Logger LOG = LoggerFactory.getLogger(LimitPauseTopic.class);

    private final WorkflowHttpComponent component;
    private final String instance = UUID.randomUUID().toString();

    public LimitPauseTopic(WorkflowHttpComponent component) {
        this.component = component;
    }

    @Override
    public void configure() {
        from("jms:topic:" + TOPIC + "?transacted=false")
                .routeId("workflow-limit-pauses-in")
                .filter(header(SENDER).isNotEqualTo(instance))
                .process(exchange -> apply(
                        exchange.getMessage().getHeader(ORIGIN, String.class),
                        exchange.getMessage().getHeader(UNTIL, String.class)));
        from(OUTBOX)
                .routeId("workflow-limit-pauses-out")
                .to("jms:topic:" + TOPIC + "?transacted=false&timeToLive=600000");
        ProducerTemplate outbox = getContext().createProducerTemplate();
        component.setLimitPauseListener((origin, until) -> outbox.sendBodyAndHeaders(
                OUTBOX, "", Map.of(ORIGIN, origin, UNTIL, until.toString(), SENDER, instance)));
    }

    private void apply(String origin, String until) {
        try {
            if (component.applyRemotePause(origin, Instant.parse(until))) {
                LOG.info("Another instance learned that {} asks to pause until {}: calls to it wait", origin, until);
            }
        } catch (IllegalArgumentException | DateTimeParseException | NullPointerException e) {
            LOG.warn(
                    "Ignored a pause on {} that is not one (origin '{}', until '{}'): {}",
                    TOPIC,
                    origin,
                    until,
                    e.getMessage());
        }
    }

    /** This instance's id on the topic. */
    String instance() {
        return instance;
    }
}
