package dev.workflowhttp;

/**
 * The decoded response body grew past {@code maxBodySize}.
 */
public class WorkflowHttpBodyTooLargeException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final long maxBodySize;

    public WorkflowHttpBodyTooLargeException(String url, Phase phase, long maxBodySize) {
        super(
                String.format("response body larger than maxBodySize=%d bytes (decoded) (%s)", maxBodySize, url),
                url,
                phase);
        this.maxBodySize = maxBodySize;
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }
}
