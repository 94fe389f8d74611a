package dev.workflowhttp;

import java.time.Duration;

/**
 * The call's deadline passed. {@link #getPhase()} tells where the call stood ({@code BUDGET}: the workflow's deadline
 * had passed before the call could start), {@link #getTimeout()} the limit that governed ({@code timeout}, the time
 * left before the workflow deadline, or {@code connectTimeout} in the {@code CONNECT} phase) and
 * {@link #getElapsed()} how long the call had run.
 */
public class WorkflowHttpTimeoutException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final Duration elapsed;

    public WorkflowHttpTimeoutException(String url, Phase phase, String limitName, Duration timeout, Duration elapsed) {
        this(url, phase, limitName, timeout, elapsed, null);
    }

    /**
     * @param detail what the call was waiting for when the limit passed (a pooled connection, and what holds the
     *               pool), or null
     */
    public WorkflowHttpTimeoutException(
            String url, Phase phase, String limitName, Duration timeout, Duration elapsed, String detail) {
        super(
                String.format(
                        "%s timeout: %s of %s passed after %s (%s)%s",
                        phase,
                        limitName,
                        Durations.format(timeout),
                        Durations.format(elapsed),
                        url,
                        detail == null ? "" : ": " + detail),
                url,
                phase);
        this.timeout = timeout;
        this.elapsed = elapsed;
    }

    /** A timeout whose message is given whole (the workflow deadline had passed before the call began). */
    public WorkflowHttpTimeoutException(String message, String url, Phase phase, Duration timeout, Duration elapsed) {
        super(message, url, phase);
        this.timeout = timeout;
        this.elapsed = elapsed;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public Duration getElapsed() {
        return elapsed;
    }
}
