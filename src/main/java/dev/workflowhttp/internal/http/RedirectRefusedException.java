package dev.workflowhttp.internal.http;

import dev.workflowhttp.WorkflowHttpException;
import org.apache.hc.core5.http.ProtocolException;

/**
 * Carries the step's error for a redirect it refuses out of the HTTP client's redirect handling, which accepts only
 * {@link org.apache.hc.core5.http.HttpException}s.
 */
final class RedirectRefusedException extends ProtocolException {

    private static final long serialVersionUID = 1L;

    private final transient WorkflowHttpException failure;

    RedirectRefusedException(WorkflowHttpException failure) {
        super(failure.getMessage());
        this.failure = failure;
    }

    WorkflowHttpException failure() {
        return failure;
    }
}
