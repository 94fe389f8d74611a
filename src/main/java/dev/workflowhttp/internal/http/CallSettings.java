package dev.workflowhttp.internal.http;

/**
 * What the response side of one call needs to know.
 *
 * @param stream          hand the body on as a stream at the headers ({@code bodyMode=stream})
 * @param maxBodySize     limit on the decoded body in bytes, -1 for none
 * @param okStatusCodes   the statuses that count as success
 * @param throwOnHttpError whether any other status fails the call
 * @param url             the target, masked, for messages
 */
public record CallSettings(
        boolean stream, long maxBodySize, StatusCodes okStatusCodes, boolean throwOnHttpError, String url) {}
