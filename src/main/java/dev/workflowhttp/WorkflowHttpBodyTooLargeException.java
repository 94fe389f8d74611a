package dev.workflowhttp;

/**
 * The decoded response body grew past {@code maxBodySize}.
 */
public class WorkflowHttpBodyTooLargeException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final long maxBodySize;

    public WorkflowHttpBodyTooLargeException(String url, Phase phase, long maxBodySize) {
        this(
                String.format("response body larger than maxBodySize=%d bytes (decoded) (%s)", maxBodySize, url),
                url,
                phase,
                maxBodySize);
    }

    private WorkflowHttpBodyTooLargeException(String message, String url, Phase phase, long maxBodySize) {
        super(message, url, phase);
        this.maxBodySize = maxBodySize;
    }

    /**
     * A materialized body past what one {@code byte[]} holds ({@code arrayLimit} bytes, a little under 2 GiB), with no
     * {@code maxBodySize} or a larger one: such a body can only be streamed.
     */
    public static WorkflowHttpBodyTooLargeException pastTheArray(String url, long maxBodySize, long arrayLimit) {
        return new WorkflowHttpBodyTooLargeException(
                String.format(
                        "response body larger than %d bytes (decoded), the most a materialized body holds (one "
                                + "byte[]), whatever maxBodySize=%d says: read it with bodyMode=stream (%s)",
                        arrayLimit, maxBodySize, url),
                url,
                Phase.BODY,
                maxBodySize);
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }
}
