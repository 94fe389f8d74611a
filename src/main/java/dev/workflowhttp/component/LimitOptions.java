package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.trimmed;

import dev.workflowhttp.internal.limit.LimitSpec;
import dev.workflowhttp.internal.limit.RateLimit;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/**
 * The limits of the target's origin (scheme, host, port), shared by every endpoint naming that origin. Endpoint only:
 * a limit belongs to the origin, not to one message.
 */
@UriParams
@Configurer(extended = true)
public class LimitOptions extends OptionGroup {

    @EndpointOnly
    @UriParam(
            label = "limits",
            description = "Calls per unit to the target's origin, shared by every endpoint naming it: count/unit,"
                    + " unit s, m, h or d (10/s, 600/m), evenly spaced; 'burst N' lets N go at once"
                    + " after a quiet spell (10/s burst 20). A waiting call holds no thread and waits inside"
                    + " its deadline (phase QUEUE).")
    private String rateLimit;

    @EndpointOnly
    @UriParam(
            label = "limits",
            description = "Calls in flight to the target's origin at most, shared by every endpoint naming it; a"
                    + " slot is held until the call's body is read whole (or its stream released).")
    private Integer maxConcurrent;

    public String getRateLimit() {
        return rateLimit;
    }

    /** Checked at once: {@code 10/s}, {@code 600/m}, {@code 10/s burst 20}. */
    public void setRateLimit(String rateLimit) {
        String text = trimmed(rateLimit);
        if (text != null) {
            RateLimit.parse("rateLimit", text);
        }
        this.rateLimit = text;
    }

    public Integer getMaxConcurrent() {
        return maxConcurrent;
    }

    public void setMaxConcurrent(Integer maxConcurrent) {
        if (maxConcurrent != null) {
            LimitSpec.parseMaxConcurrent("maxConcurrent", String.valueOf(maxConcurrent));
        }
        this.maxConcurrent = maxConcurrent;
    }

    /** The limits these options declare, or null when neither is set. */
    LimitSpec limits() {
        if (rateLimit == null && maxConcurrent == null) {
            return null;
        }
        return LimitSpec.parse(rateLimit, maxConcurrent == null ? null : String.valueOf(maxConcurrent));
    }
}
