package dev.workflowhttp;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Date;
import org.apache.camel.Exchange;

/**
 * A workflow's own deadline, carried with the exchange: every {@code workflow-http} call uses the nearer of its own
 * {@code timeout} and the time left before it.
 * <p>
 * It lives in the exchange property {@link #PROPERTY} (an {@link Instant}; a {@link Date} or epoch milliseconds as a
 * {@link Long} are accepted, so {@code ${date:now+2m}} works) and, to cross a JMS hop, in the message header
 * {@link #HEADER} as epoch milliseconds. {@link #within(Exchange, String)} sets both in one step:
 *
 * <pre>
 * - bean:
 *     beanType: dev.workflowhttp.WorkflowDeadline
 *     method: "within(*, '2m')"
 * </pre>
 */
public final class WorkflowDeadline {

    /** The exchange property holding the deadline. */
    public static final String PROPERTY = "CamelWorkflowDeadline";
    /** The message header carrying the deadline across hops, in epoch milliseconds (JMS drops Camel* headers). */
    public static final String HEADER = "WorkflowDeadline";

    private WorkflowDeadline() {}

    /**
     * Gives the workflow {@code budget} from now (Camel duration syntax: {@code 90s}, {@code 2m}), unless it already
     * has a nearer deadline: a deadline only ever moves closer.
     */
    public static void within(Exchange exchange, String budget) {
        Instant wanted = Instant.now().plus(Durations.parse("budget", budget));
        Instant current = of(exchange);
        set(exchange, current != null && current.isBefore(wanted) ? current : wanted);
    }

    /** Sets the deadline on the exchange: the property and the header. */
    public static void set(Exchange exchange, Instant deadline) {
        exchange.setProperty(PROPERTY, deadline);
        exchange.getMessage().setHeader(HEADER, deadline.toEpochMilli());
    }

    /**
     * The exchange's deadline: the nearer of the property and the header, or {@code null} when it has none.
     *
     * @throws IllegalArgumentException when a value is not a time
     */
    public static Instant of(Exchange exchange) {
        Instant fromProperty = toInstant(PROPERTY, exchange.getProperty(PROPERTY));
        Instant fromHeader = toInstant(HEADER, exchange.getMessage().getHeader(HEADER));
        if (fromProperty == null) {
            return fromHeader;
        }
        return fromHeader != null && fromHeader.isBefore(fromProperty) ? fromHeader : fromProperty;
    }

    /** Time left before the exchange's deadline; {@code null} without one; never negative. */
    public static Duration remaining(Exchange exchange) {
        Instant deadline = of(exchange);
        if (deadline == null) {
            return null;
        }
        Duration left = Duration.between(Instant.now(), deadline);
        return left.isNegative() ? Duration.ZERO : left;
    }

    /**
     * Whether the workflow still has time: for Camel's redelivery ({@code retryWhile}), so that a message is not
     * redelivered after its deadline passed. True when the exchange has no deadline.
     */
    public static boolean hasTimeLeft(Exchange exchange) {
        Duration left = remaining(exchange);
        return left == null || !left.isZero();
    }

    static Instant toInstant(String name, Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof Date date) {
            return date.toInstant();
        }
        if (value instanceof Number millis) {
            return Instant.ofEpochMilli(millis.longValue());
        }
        if (value instanceof java.time.temporal.TemporalAccessor temporal) {
            return Instant.from(temporal);
        }
        String text = value.toString().trim();
        try {
            return text.chars().allMatch(Character::isDigit)
                    ? Instant.ofEpochMilli(Long.parseLong(text))
                    : Instant.parse(text);
        } catch (NumberFormatException | DateTimeParseException e) {
            throw new IllegalArgumentException(
                    String.format(
                            "Invalid %s '%s': expected an Instant, a Date, epoch milliseconds or an ISO-8601 instant",
                            name, text),
                    e);
        }
    }
}
