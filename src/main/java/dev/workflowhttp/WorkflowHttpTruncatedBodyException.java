package dev.workflowhttp;

/**
 * The connection ended before the declared length or the last chunk of the body: the body received is shorter than
 * the one sent, so none of it is handed on as if it were whole.
 */
public class WorkflowHttpTruncatedBodyException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause what the client reported; its message goes into this one as it is, so a URL in it must already be
     *              masked
     */
    public WorkflowHttpTruncatedBodyException(String url, Phase phase, Throwable cause) {
        super(String.format("response body cut off: %s (%s)", cause.getMessage(), url), url, phase, cause);
    }
}
