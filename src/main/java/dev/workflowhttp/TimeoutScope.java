package dev.workflowhttp;

import java.time.Duration;
import java.time.Instant;

/**
 * The deadline of one HTTP call as routes, listeners and meters see it: read-only. The step keeps the last attempt's
 * scope in the exchange property {@code CamelWorkflowHttpTimeoutScope}; only the step settles and releases it.
 * <p>
 * States: a scope starts {@link State#ACTIVE}; exactly one of {@link State#COMPLETED} (the body was read whole),
 * {@link State#TIMED_OUT} (a limit passed) or {@link State#FAILED} (the call failed) settles its outcome; then it is
 * {@link State#RELEASED} exactly once, its timer cancelled and its connection returned (or closed, when the body was
 * not read whole). A scope released while still active is released unsettled.
 */
public interface TimeoutScope {

    /** The life of a scope. */
    enum State {
        /** The call is running and its deadline armed. */
        ACTIVE,
        /** The body was read whole; the connection went back to the pool. */
        COMPLETED,
        /** A deadline passed and the call was aborted. */
        TIMED_OUT,
        /** The call failed and was aborted. */
        FAILED,
        /** Released; nothing of the call is left. */
        RELEASED
    }

    State getState();

    /** The state reached before release, or the current one while not released. */
    State getOutcome();

    /** Why the call ended other than by completing, or {@code null}. */
    WorkflowHttpException getFailure();

    Phase getPhase();

    /** Which limit governs the deadline: the step's own timeout, or the workflow's deadline when that was nearer. */
    Limit getLimit();

    /** {@link #getLimit()} as written in messages: {@code timeout} or {@code workflow deadline}. */
    default String getLimitName() {
        return getLimit().toString();
    }

    Duration getTimeout();

    Duration getConnectTimeout();

    Duration getIdleTimeout();

    /** The wall-clock instant the deadline passes, or {@code null} without a deadline. */
    Instant getDeadline();

    /** Time left before the deadline (never negative), or {@code null} without a deadline. */
    Duration getRemaining();

    Duration getElapsed();

    /** How long the call took until its outcome was settled (so far, while it runs). */
    Duration getCallDuration();

    /**
     * Where the call's time went: waiting for a pooled connection, opening one (connect and TLS), sending and waiting
     * for the headers, and reading the body.
     */
    CallTiming getTiming();

    /** The response's status was outside the accepted codes. */
    boolean isHttpError();

    /** The method and the (masked) URL of the call. */
    String getDescription();
}
