package dev.workflowhttp.internal.http;

import dev.workflowhttp.WorkflowHttpException;
import java.io.IOException;

/**
 * Carries one of the step's errors through the HTTP client's I/O callbacks, which accept only {@link IOException}.
 */
final class BodyAbortedException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient WorkflowHttpException failure;

    BodyAbortedException(WorkflowHttpException failure) {
        super(failure.getMessage(), failure);
        this.failure = failure;
    }

    WorkflowHttpException failure() {
        return failure;
    }
}
