package dev.workflowhttp;

import java.time.Instant;

/**
 * Told of each pause of an origin that this instance learned from a server (a {@code 429} or {@code 503} with
 * {@code Retry-After}) and that moved the origin's pause later: where an application publishes it to its other
 * instances, which apply it with {@code WorkflowHttpComponent.applyRemotePause}. Pauses applied that way are not told
 * here again, so nothing echoes. Called on the thread that learned the pause (often an HTTP client I/O thread): it
 * must not block (hand the message to a sender of its own).
 */
@FunctionalInterface
public interface LimitPauseListener {

    /**
     * @param origin the origin, {@code scheme://host:port}
     * @param until  no call to it is admitted before this instant
     */
    void paused(String origin, Instant until);
}
