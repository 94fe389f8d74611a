package dev.workflowhttp.internal.limit;

import java.time.Duration;

/** An admitted call's token and slot: the slot is held until {@link #release()}. */
public interface Permit {

    /**
     * Frees the slot for the next waiter. Only the first call has an effect.
     *
     * @return whether this call released it
     */
    boolean release();

    /** How long the call waited in the queue before it was admitted. */
    Duration waited();

    /** {@link System#nanoTime()} when it was admitted. */
    long admittedNanos();

    Origin origin();
}
