package dev.workflowhttp;

import dev.workflowhttp.internal.util.UrlMasking;

/**
 * The server answered with something that is not valid HTTP (a malformed status line, header or chunk).
 */
public class WorkflowHttpProtocolException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    public WorkflowHttpProtocolException(String url, Phase phase, Throwable cause) {
        super(String.format("malformed response in %s: %s (%s)", phase, UrlMasking.maskUrlsIn(cause.getMessage()), url), url, phase, cause);
    }
}
