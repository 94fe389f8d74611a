package dev.workflowhttp;

/**
 * Where a call stood when its deadline passed or it failed.
 */
public enum Phase {
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
