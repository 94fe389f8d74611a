package dev.workflowhttp.component;

import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.Expression;

/**
 * The {@code idempotencyKey} option: {@code messageId}, or a simple expression evaluated on the message.
 */
final class IdempotencyKeys {

    static final String MESSAGE_ID = "messageId";

    private IdempotencyKeys() {}

    /**
     * Refuses, at route start, an expression the simple language cannot read.
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    static void check(CamelContext context, String option) {
        if (option == null || option.equals(MESSAGE_ID)) {
            return;
        }
        if (!option.contains("${")) {
            throw new IllegalArgumentException("Invalid value for option idempotencyKey: '" + option
                    + "' (expected messageId or a simple expression such as ${header.orderId})");
        }
        try {
            context.resolveLanguage("simple").createExpression(option);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "Invalid value for option idempotencyKey: '" + option + "' (" + e.getMessage() + ")", e);
        }
    }

    /** The key for this message. */
    static String keyOf(Exchange exchange, String option) {
        if (option.equals(MESSAGE_ID)) {
            return exchange.getMessage().getMessageId();
        }
        Expression expression = exchange.getContext().resolveLanguage("simple").createExpression(option);
        return expression.evaluate(exchange, String.class);
    }
}
