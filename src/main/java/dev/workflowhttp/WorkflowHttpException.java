package dev.workflowhttp;

import org.apache.camel.CamelException;

/**
 * The base of every error the {@code workflow-http} step raises. The URL it carries has its credentials and query
 * values masked, so the message can be logged as it is.
 */
public class WorkflowHttpException extends CamelException {

    private static final long serialVersionUID = 1L;

    private final String url;
    private final Phase phase;

    public WorkflowHttpException(String message, String url, Phase phase, Throwable cause) {
        super(message, cause);
        this.url = url;
        this.phase = phase;
    }

    public WorkflowHttpException(String message, String url, Phase phase) {
        this(message, url, phase, null);
    }

    /** The target URL, credentials and query values masked. */
    public String getUrl() {
        return url;
    }

    /** The phase the call was in, or {@code null} when it failed before it started. */
    public Phase getPhase() {
        return phase;
    }
}
