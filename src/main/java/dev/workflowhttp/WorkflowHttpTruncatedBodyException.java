package dev.workflowhttp;

import dev.workflowhttp.internal.util.UrlMasking;

/**
 * The connection ended before the declared length or the last chunk of the body: the body received is shorter than
 * the one sent, so none of it is handed on as if it were whole.
 */
public class WorkflowHttpTruncatedBodyException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    public WorkflowHttpTruncatedBodyException(String url, Phase phase, Throwable cause) {
        super(String.format("response body cut off: %s (%s)", UrlMasking.maskUrlsIn(cause.getMessage()), url), url, phase, cause);
    }
}
