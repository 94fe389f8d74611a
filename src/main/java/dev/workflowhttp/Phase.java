package dev.workflowhttp;

/**
 * Where a call stood when its deadline passed or it failed.
 */
public enum Phase {
    /**
     * Waiting for admission under the target origin's limits ({@code rateLimit}, {@code maxConcurrent}, or a pause the
     * server asked for with {@code Retry-After}): nothing was sent, no connection leased; {@code connectTimeout} starts
     * when the wait is over.
     */
    QUEUE,
    /** Leasing a pooled connection, resolving the name, connecting and the TLS handshake. */
    CONNECT,
    /** Sending the request and waiting for the response headers. */
    HEADERS,
    /** Reading the body inside the step ({@code bodyMode=materialize}). */
    BODY,
    /**
     * The workflow's deadline ({@code CamelWorkflowDeadline}) had passed before the call, or a retry of it, could
     * start: nothing was sent.
     */
    BUDGET,
    /** Reading the body downstream, after the step handed on an {@code InputStream} ({@code bodyMode=stream}). */
    STREAM
}
