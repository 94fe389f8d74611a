package dev.workflowhttp;

import java.time.Duration;

/**
 * Where one call's time went.
 *
 * @param waitingForConnection from the start until a pooled connection was handed over or a new one began to open
 * @param connecting           opening a new connection: connect and TLS (zero when a pooled one was reused)
 * @param waitingForHeaders    sending the request and waiting for the response headers
 * @param readingBody          from the headers to the last byte of the body (or to the end of the call)
 * @param total                the whole call
 */
public record CallTiming(
        Duration waitingForConnection,
        Duration connecting,
        Duration waitingForHeaders,
        Duration readingBody,
        Duration total) {

    @Override
    public String toString() {
        return String.format(
                "connection wait %s, connect %s, headers %s, body %s, total %s",
                Durations.format(waitingForConnection),
                Durations.format(connecting),
                Durations.format(waitingForHeaders),
                Durations.format(readingBody),
                Durations.format(total));
    }
}
