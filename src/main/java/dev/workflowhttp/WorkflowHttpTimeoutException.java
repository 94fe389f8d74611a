package dev.workflowhttp;

import java.time.Duration;

/**
 * The call's deadline passed. {@link #getPhase()} tells where the call stood, {@link #getTimeout()} which limit
 * governed ({@code timeout}, or {@code connectTimeout} in the {@code CONNECT} phase) and {@link #getElapsed()} how
 * long the call had run.
 */
public class WorkflowHttpTimeoutException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final Duration timeout;
    private final Duration elapsed;

    public WorkflowHttpTimeoutException(String url, Phase phase, String limitName, Duration timeout, Duration elapsed) {
        super(String.format("%s timeout: %s of %s passed after %s (%s)", phase, limitName, Durations.format(timeout),
                Durations.format(elapsed), url), url, phase);
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
