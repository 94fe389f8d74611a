package dev.workflowhttp.internal.limit;

import java.time.Instant;

/**
 * Told of each pause this instance learned itself ({@link OriginLimiter#pauseUntil}) and that moved an origin's pause
 * later: where a cluster publishes it to the other instances, which apply it with
 * {@link OriginLimiter#applyRemotePause}. A pause applied that way is never told here, so it is not echoed back.
 * Called on the thread that learned the pause (often an HTTP client I/O thread): it must not block.
 */
@FunctionalInterface
public interface PauseListener {

    void paused(Origin origin, Instant until);
}
