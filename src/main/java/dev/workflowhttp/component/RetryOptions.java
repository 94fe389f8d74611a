package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.inRange;
import static dev.workflowhttp.component.OptionChecks.required;
import static dev.workflowhttp.component.OptionChecks.trimmed;

import dev.workflowhttp.internal.http.StatusCodes;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The attempts after the first, inside the step's deadline, and the key that makes them safe. */
@UriParams
@Configurer(extended = true)
public class RetryOptions extends OptionGroup {

    @UriParam(
            label = "retry",
            defaultValue = "0",
            description = "Retries after the first attempt, inside the step's deadline; 0 for none.")
    private int retryAttempts;

    @UriParam(
            label = "retry",
            defaultValue = "500ms/2/10s",
            description = "Backoff between attempts: initial/multiplier/max, each wait jittered down by up to half.")
    private String retryBackoff = "500ms/2/10s";

    @UriParam(
            label = "retry",
            defaultValue = "429,502,503,504",
            description = "Statuses that are retried (connection failures are retried too).")
    private String retryOn = "429,502,503,504";

    @UriParam(
            label = "retry",
            defaultValue = "false",
            description = "Also retry POST and PATCH, which are not idempotent.")
    private boolean retryNonIdempotent;
    // endpoint only: a simple expression from a message header would be code from data
    @EndpointOnly
    @UriParam(
            label = "retry",
            description = "Sends an Idempotency-Key header with POST and PATCH, the same on every attempt of the same"
                    + " message (the step's retries and Camel's redeliveries), so that a server that honours"
                    + " it runs the request once: messageId (the Camel message id, which a JMS redelivery keeps)"
                    + " or a simple expression such as ${header.orderId}. Off when empty.")
    private String idempotencyKey;

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public void setRetryAttempts(int retryAttempts) {
        this.retryAttempts = (int) inRange("retryAttempts", retryAttempts, 0, 100);
    }

    public String getRetryBackoff() {
        return retryBackoff;
    }

    /** initial/multiplier/max ({@code 500ms/2/10s}). */
    public void setRetryBackoff(String retryBackoff) {
        String text = required("retryBackoff", retryBackoff).trim();
        RetryBackoff.parse("retryBackoff", text);
        this.retryBackoff = text;
    }

    public String getRetryOn() {
        return retryOn;
    }

    /** Statuses, comma separated ({@code 429,502,503,504}). */
    public void setRetryOn(String retryOn) {
        String text = required("retryOn", retryOn).trim();
        StatusCodes.parse("retryOn", text);
        this.retryOn = text;
    }

    public boolean isRetryNonIdempotent() {
        return retryNonIdempotent;
    }

    public void setRetryNonIdempotent(boolean retryNonIdempotent) {
        this.retryNonIdempotent = retryNonIdempotent;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
    }

    public void setIdempotencyKey(String idempotencyKey) {
        this.idempotencyKey = trimmed(idempotencyKey);
    }
}
