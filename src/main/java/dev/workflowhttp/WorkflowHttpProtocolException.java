package dev.workflowhttp;

/**
 * The server answered with something that is not valid HTTP (a malformed status line, header or chunk).
 */
public class WorkflowHttpProtocolException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    /**
     * @param cause what the client reported; its message goes into this one as it is, so a URL in it must already be
     *              masked
     */
    public WorkflowHttpProtocolException(String url, Phase phase, Throwable cause) {
        super(String.format("malformed response in %s: %s (%s)", phase, cause.getMessage(), url), url, phase, cause);
    }
}
