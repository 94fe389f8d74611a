package dev.workflowhttp.app;

import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpStatusException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes why a message failed into its headers before it goes to a dead-letter queue: {@code WorkflowErrorClass},
 * {@code WorkflowErrorPhase} (for the step's errors), {@code WorkflowErrorStatus} (for an HTTP status),
 * {@code WorkflowErrorMessage}, {@code WorkflowErrorRoute} and {@code WorkflowErrorAttempts}. The message itself is the original one, as received.
 */
public final class FailureHeaders implements Processor {

    private static final Logger LOG = LoggerFactory.getLogger(FailureHeaders.class);

    public static final String ERROR_CLASS = "WorkflowErrorClass";
    public static final String ERROR_PHASE = "WorkflowErrorPhase";
    public static final String ERROR_STATUS = "WorkflowErrorStatus";
    public static final String ERROR_MESSAGE = "WorkflowErrorMessage";
    public static final String ERROR_ROUTE = "WorkflowErrorRoute";
    public static final String ERROR_ATTEMPTS = "WorkflowErrorAttempts";

    @Override
    public void process(Exchange exchange) {
        Throwable failure = exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        if (failure == null) {
            return;
        }
        Throwable reported = stepError(failure);
        exchange.getMessage().setHeader(ERROR_CLASS, reported.getClass().getName());
        exchange.getMessage().setHeader(ERROR_MESSAGE, String.valueOf(reported.getMessage()));
        exchange.getMessage().setHeader(ERROR_ROUTE, exchange.getFromRouteId());
        // deliveries made: the first plus Camel's redeliveries
        exchange.getMessage()
                .setHeader(
                        ERROR_ATTEMPTS,
                        1 + exchange.getMessage().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class));
        if (reported instanceof WorkflowHttpException step && step.getPhase() != null) {
            exchange.getMessage().setHeader(ERROR_PHASE, step.getPhase().name());
        }
        if (reported instanceof WorkflowHttpStatusException status) {
            exchange.getMessage().setHeader(ERROR_STATUS, status.getStatusCode());
        }
        LOG.warn(
                "Dead letter from route {}: {}: {}",
                exchange.getFromRouteId(),
                reported.getClass().getSimpleName(),
                reported.getMessage());
    }

    /** The step's own exception when it is among the causes, else the failure itself. */
    private static Throwable stepError(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WorkflowHttpException) {
                return t;
            }
        }
        return failure;
    }
}
