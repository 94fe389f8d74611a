package dev.workflowhttp;

import java.time.Duration;

/**
 * No byte arrived for longer than {@code idleTimeout}.
 */
public class WorkflowHttpIdleTimeoutException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final Duration idleTimeout;

    public WorkflowHttpIdleTimeoutException(String url, Phase phase, Duration idleTimeout, Duration elapsed) {
        super(
                String.format(
                        "%s idle timeout: no byte for %s (idleTimeout), %s after the call started (%s)",
                        phase, Durations.format(idleTimeout), Durations.format(elapsed), url),
                url,
                phase);
        this.idleTimeout = idleTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }
}
