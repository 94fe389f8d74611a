package dev.workflowhttp.internal.limit;

import java.time.Duration;

/** A call's place in an origin's queue, from {@link OriginLimiter#acquire} until it is admitted or leaves. */
public interface Ticket {

    /**
     * Takes the call out of the queue if it still waits: it then leaves nothing behind (no slot, no token, no
     * wake-up), and neither of its callbacks runs.
     *
     * @return true if this took it out; false if it was admitted first (its permit is, or is about to be, handed to
     *         the admission callback, which must release it), abandoned, or already cancelled
     */
    boolean cancel();

    /** Whether the call is still in the queue. */
    boolean isWaiting();

    /** How long it has waited so far, or waited in all once admitted or gone. */
    Duration waited();
}
