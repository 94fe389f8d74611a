package dev.workflowhttp.internal.scope;

import dev.workflowhttp.Limit;
import dev.workflowhttp.ScopeListener;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Opens timeout scopes on one shared {@link DeadlineScheduler} and counts those not yet released.
 */
public final class TimeoutScopes implements AutoCloseable {

    private final DeadlineScheduler scheduler;
    private final AtomicInteger open = new AtomicInteger();
    private final ScopeListener listener;

    public TimeoutScopes(String threadName, ScopeListener listener) {
        this.scheduler = new DeadlineScheduler(threadName);
        this.listener = listener;
    }

    /**
     * Opens a scope in the {@code CONNECT} phase and arms its deadline.
     *
     * @param timeout        the whole-call limit; {@link Duration#ZERO} for none
     * @param connectTimeout the limit for the {@code CONNECT} phase; never later than {@code timeout}
     * @param idleTimeout    the longest silence between two received bytes; {@link Duration#ZERO} for none
     * @param description    the call, for messages: credentials and query values already masked
     */
    public RealTimeoutScope open(Duration timeout, Duration connectTimeout, Duration idleTimeout, String description) {
        return open(timeout, connectTimeout, idleTimeout, description, Limit.TIMEOUT);
    }

    /**
     * As {@link #open(Duration, Duration, Duration, String)}, naming the limit that set {@code timeout} (for
     * messages: {@code timeout} or {@code workflow deadline}).
     */
    public RealTimeoutScope open(
            Duration timeout, Duration connectTimeout, Duration idleTimeout, String description, Limit limit) {
        open.incrementAndGet();
        RealTimeoutScope scope = new RealTimeoutScope(this, timeout, connectTimeout, idleTimeout, description, limit);
        scope.arm();
        return scope;
    }

    public DeadlineScheduler scheduler() {
        return scheduler;
    }

    void released(RealTimeoutScope scope, RealTimeoutScope.State finalState) {
        open.decrementAndGet();
        if (listener != null) {
            listener.released(scope, finalState);
        }
    }

    /**
     * Runs {@code task} after {@code delayNanos} on the deadline thread (a retry's wait); it counts among the
     * pending timers until it runs or is cancelled.
     */
    public DeadlineScheduler.Task schedule(Runnable task, long delayNanos) {
        return scheduler.schedule(task, delayNanos);
    }

    /** Scopes opened and not yet released. */
    public int openScopes() {
        return open.get();
    }

    /** Deadline timers still queued. */
    public int pendingTimers() {
        return scheduler.pendingTimers();
    }

    @Override
    public void close() {
        scheduler.close();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return scheduler.awaitTermination(timeout, unit);
    }
}
