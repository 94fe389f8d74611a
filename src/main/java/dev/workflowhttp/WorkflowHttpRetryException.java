package dev.workflowhttp;

/**
 * A call failed in a way worth retrying, but the retry could not happen before the deadline: the server asked
 * (with {@code Retry-After}) to wait longer than the time left, or the backoff would end after it. The cause is the last attempt's error, so
 * {@code onException} for that error still matches.
 */
public class WorkflowHttpRetryException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final int attempts;

    public WorkflowHttpRetryException(String message, String url, int attempts, WorkflowHttpException lastFailure) {
        super(message, url, lastFailure.getPhase(), lastFailure);
        this.attempts = attempts;
    }

    /** Attempts made. */
    public int getAttempts() {
        return attempts;
    }
}
