package dev.workflowhttp.internal.scope;

import dev.workflowhttp.CallTiming;
import dev.workflowhttp.Durations;
import dev.workflowhttp.Limit;
import dev.workflowhttp.Phase;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpIdleTimeoutException;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The deadline of one HTTP call, from the lease of a connection to the last byte of its body, wherever that byte is
 * read.
 * <p>
 * All that races here (the deadline firing, the body completing or failing, the exchange completing) goes through
 * one state field changed only by compare-and-set. Whoever moves it out of {@link State#ACTIVE} first decides the
 * outcome; the others find it moved and do nothing. {@link #release()} moves it to {@link State#RELEASED} exactly
 * once: if the body was not read whole by then, the call is aborted (its connection closed, never drained).
 * Whenever the scope leaves {@code ACTIVE} its timer is cancelled and leaves the scheduler's queue.
 *
 * <pre>
 *            complete() (last byte)                release(): connection back to the pool
 *   ACTIVE ─────────────────────────► COMPLETED ────────────────────────────────────────────┐
 *     │  │  deadline, connect or idle                                                        ▼
 *     │  └─────────────────────────► TIMED_OUT ──┐                                       RELEASED
 *     │     fail(e) (I/O error, status, limit)   ├─ abort ran once: connection closed ───►  (once)
 *     ├─────────────────────────────► FAILED ────┘                                           ▲
 *     └──── release() while ACTIVE (body dropped unread, exchange done): abort, then ────────┘
 * </pre>
 *
 * Threads, and the fields each writes:
 * <ul>
 * <li>the thread that starts the call (a route's thread or a continuation thread): the constructor's final fields,
 * {@link #onAbort}, {@link #describeLeaseWaitWith}; then it arms the timer;</li>
 * <li>the HTTP client's I/O threads: {@code phase}, {@code lastActivityNanos}, the event times
 * ({@code connectStartNanos}, {@code connectedNanos}, {@code headersNanos}), {@code leaseRequested},
 * {@code connectDeadlineNanos} (a redirect hop), and {@link #complete()} / {@link #fail} on the status;</li>
 * <li>the component's one deadline thread ({@link DeadlineScheduler}): the status (a limit passed) and the timer;</li>
 * <li>a later step's thread reading a streamed body, or the exchange's completion: {@link #touch()} and
 * {@link #release()}.</li>
 * </ul>
 * Each of those fields is written by one side at a time and read by others, so each is volatile; only the status,
 * which several may race to move, changes by compare-and-set; the timer is guarded by {@code timerLock}.
 */
public final class RealTimeoutScope implements TimeoutScope {

    private record Status(State state, State before, WorkflowHttpException failure) {}

    private static final Status ACTIVE = new Status(State.ACTIVE, null, null);

    private final TimeoutScopes owner;
    private final String description;
    private final Limit limit;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final Instant started = Instant.now();
    private final long startNanos = System.nanoTime();
    private final long deadlineNanos;
    /** Meaningful only with a connectTimeout (not zero); moved on by each redirect hop. */
    private volatile long connectDeadlineNanos;

    private final AtomicReference<Status> status = new AtomicReference<>(ACTIVE);
    private volatile Phase phase = Phase.CONNECT;
    private volatile long lastActivityNanos = startNanos;
    /** Taken (set to null) by whoever runs it, so it runs at most once; dropped once the call is settled. */
    private final AtomicReference<Consumer<WorkflowHttpException>> abortAction = new AtomicReference<>();

    private volatile Supplier<String> leaseWaitDetail;
    /** What a call in {@link Phase#QUEUE} waits behind, for the message of a deadline passing there. */
    private volatile Supplier<String> queueWaitDetail;
    /** Taken (set to null) by whoever runs it, so it runs once: at release, or at once if released already. */
    private final AtomicReference<Runnable> releaseAction = new AtomicReference<>();

    private volatile boolean leaseRequested;
    // when each event happened, null until it has: any long, 0 included, is a real System.nanoTime() reading
    private volatile Long settledNanos;
    private volatile Long connectStartNanos;
    private volatile Long connectedNanos;
    private volatile Long headersNanos;
    private volatile boolean httpError;

    private final Object timerLock = new Object();
    private DeadlineScheduler.Task timer;

    RealTimeoutScope(
            TimeoutScopes owner,
            Duration timeout,
            Duration connectTimeout,
            Duration idleTimeout,
            String description,
            Limit limit) {
        this.owner = owner;
        this.description = description;
        this.limit = limit;
        this.timeout = timeout;
        this.idleTimeout = idleTimeout;
        boolean bounded = !timeout.isZero();
        // meaningful only with a timeout (not zero): "no deadline" is timeout.isZero(), never a special reading
        this.deadlineNanos = bounded ? startNanos + timeout.toNanos() : startNanos;
        Duration connectLimit = connectTimeout;
        if (bounded && (connectLimit.isZero() || connectLimit.compareTo(timeout) > 0)) {
            connectLimit = timeout;
        }
        this.connectTimeout = connectLimit;
        this.connectDeadlineNanos = startNanos + connectLimit.toNanos();
    }

    /**
     * Sets what aborts the call when the deadline passes or the scope is released before the body was read whole.
     * Runs at most once, on the thread that settled the outcome.
     */
    public void onAbort(Consumer<WorkflowHttpException> action) {
        abortAction.set(action);
        Status current = status.get();
        if (current.state == State.ACTIVE) {
            return;
        }
        // settled meanwhile: the settling thread may have found no action yet; whichever of the two takes it runs it
        Consumer<WorkflowHttpException> taken = abortAction.getAndSet(null);
        if (taken != null
                && current.failure != null
                && current.before != State.COMPLETED
                && current.state != State.COMPLETED) {
            taken.accept(current.failure);
        }
    }

    /**
     * Says what a call waiting for a pooled connection waits behind (how many connections are leased, and by what),
     * for the message of a {@code CONNECT} timeout that passes while it waits.
     */
    public void describeLeaseWaitWith(Supplier<String> detail) {
        this.leaseWaitDetail = detail;
    }

    /**
     * The call waits for admission under its origin's limits ({@link Phase#QUEUE}): no connect limit runs meanwhile,
     * only the deadline; {@code detail} says what it waits behind, for the message of a deadline passing there.
     */
    public void enterQueue(Supplier<String> detail) {
        if (status.get().state != State.ACTIVE) {
            return;
        }
        queueWaitDetail = detail;
        phase = Phase.QUEUE;
        scheduleNext(System.nanoTime());
    }

    /** Admitted: the call connects now, bound by {@code connectTimeout} from now (never beyond the deadline). */
    public void leaveQueue() {
        if (status.get().state != State.ACTIVE || phase != Phase.QUEUE) {
            return;
        }
        long now = System.nanoTime();
        lastActivityNanos = now;
        if (connectTimeout.isZero()) {
            phase = Phase.CONNECT;
            return;
        }
        reenterConnect();
    }

    /**
     * Runs {@code action} once when the scope is released (at once if it is already): what the call holds beyond its
     * connection and timer, such as its origin's slot. One action per scope.
     */
    public void whenReleased(Runnable action) {
        releaseAction.set(action);
        if (status.get().state == State.RELEASED) {
            runReleaseAction();
        }
    }

    private void runReleaseAction() {
        Runnable action = releaseAction.getAndSet(null);
        if (action != null) {
            action.run();
        }
    }

    /** The call's target is checked and resolved: it now waits for a pooled connection (or opens a new one). */
    public void leaseRequested() {
        leaseRequested = true;
    }

    // ---- the call reports its progress

    /** The call moved on to {@code next}; a call that has left {@code CONNECT} is no longer bound by connectTimeout. */
    public void enterPhase(Phase next) {
        if (status.get().state == State.ACTIVE) {
            long now = System.nanoTime();
            lastActivityNanos = now;
            if (next == Phase.HEADERS) {
                connectedNanos = now;
            } else if (next == Phase.BODY || next == Phase.STREAM) {
                headersNanos = now;
            }
            phase = next;
        }
    }

    /**
     * A redirect hop starts: the call is connecting again, bound by {@code connectTimeout} from now (never beyond the
     * whole deadline), and a deadline passing now is reported in the {@code CONNECT} phase.
     */
    public void reenterConnect() {
        if (status.get().state != State.ACTIVE || connectTimeout.isZero()) {
            return;
        }
        long now = System.nanoTime();
        long hopDeadline = now + connectTimeout.toNanos();
        if (!timeout.isZero() && hopDeadline - deadlineNanos > 0) {
            hopDeadline = deadlineNanos;
        }
        connectDeadlineNanos = hopDeadline;
        phase = Phase.CONNECT;
        scheduleNext(now);
    }

    /** A new connection is being opened (a pooled one was not available): the wait for a connection is over. */
    public void connectStarted() {
        connectStartNanos = System.nanoTime();
    }

    /**
     * Where the call's time went: waiting for a pooled connection, opening one (connect and TLS), sending and waiting
     * for the headers, and reading the body (to the last byte, or until the call ended).
     */
    @Override
    public CallTiming getTiming() {
        Long connected = connectedNanos;
        Long connectStart = connectStartNanos;
        Long headers = headersNanos;
        Long settled = settledNanos;
        long end = settled != null ? settled : System.nanoTime();
        long waitedUntil = connectStart != null ? connectStart : connected != null ? connected : end;
        return new CallTiming(
                Duration.ofNanos(waitedUntil - startNanos),
                Duration.ofNanos(connectStart == null ? 0 : (connected != null ? connected : end) - connectStart),
                Duration.ofNanos(connected == null ? 0 : (headers != null ? headers : end) - connected),
                Duration.ofNanos(headers == null ? 0 : end - headers),
                Duration.ofNanos(end - startNanos));
    }

    @Override
    public Limit getLimit() {
        return limit;
    }

    /** Bytes arrived (or the reader took some): the idle clock starts again. */
    public void touch() {
        lastActivityNanos = System.nanoTime();
    }

    /**
     * The body was read whole. Cancels the deadline.
     *
     * @return whether this settled the outcome (false if the deadline or a failure came first)
     */
    public boolean complete() {
        if (status.compareAndSet(ACTIVE, new Status(State.COMPLETED, null, null))) {
            settledNanos = System.nanoTime();
            cancelTimer();
            // nothing left to abort: drop the call (and the body buffers it reaches) now
            abortAction.set(null);
            return true;
        }
        return false;
    }

    /**
     * The call failed. Cancels the deadline and aborts the call.
     *
     * @return whether this settled the outcome (false if it was already settled)
     */
    public boolean fail(WorkflowHttpException failure) {
        return settle(State.FAILED, failure);
    }

    /**
     * Releases the scope: when the body was read whole (materialized, or a stream read to its end), when a reader
     * closes a stream early, or by the exchange's on-completion hook at the latest. Runs its effect exactly once;
     * later calls return false.
     */
    public boolean release() {
        return release(null);
    }

    /**
     * As {@link #release()}; {@code reason} says, in the failure a late reader gets, why a body not yet read whole
     * was released ({@code null}: the exchange completed or the stream was closed).
     */
    public boolean release(String reason) {
        Status current;
        Status next;
        do {
            current = status.get();
            if (current.state == State.RELEASED) {
                return false;
            }
            WorkflowHttpException failure = current.failure;
            if (current.state == State.ACTIVE) {
                failure = new WorkflowHttpException(
                        String.format(
                                "body no longer readable: %s in phase %s " + "before the body was read whole (%s)",
                                reason != null
                                        ? reason
                                        : "the exchange that made the call completed (or the stream was closed)",
                                phase,
                                description),
                        description,
                        phase);
            }
            next = new Status(State.RELEASED, current.state, failure);
        } while (!status.compareAndSet(current, next));
        if (current.state == State.ACTIVE) {
            settledNanos = System.nanoTime();
            cancelTimer();
            abort(next.failure);
        }
        runReleaseAction();
        owner.released(this, current.state);
        return true;
    }

    // ---- what a reader asks

    @Override
    public State getState() {
        return status.get().state;
    }

    /** The state reached before release, or the current one while not released. */
    @Override
    public State getOutcome() {
        Status current = status.get();
        return current.state == State.RELEASED ? current.before : current.state;
    }

    /** Why the call ended other than by completing, or {@code null}. */
    @Override
    public WorkflowHttpException getFailure() {
        Status current = status.get();
        return current.before == State.COMPLETED ? null : current.failure;
    }

    @Override
    public Phase getPhase() {
        return phase;
    }

    @Override
    public Duration getTimeout() {
        return timeout;
    }

    @Override
    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    @Override
    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    /** The wall-clock instant the deadline passes, or {@code null} without a deadline. */
    @Override
    public Instant getDeadline() {
        return timeout.isZero() ? null : started.plus(timeout);
    }

    /** Time left before the deadline (never negative), or {@code null} without a deadline. */
    @Override
    public Duration getRemaining() {
        if (timeout.isZero()) {
            return null;
        }
        long left = deadlineNanos - System.nanoTime();
        return Duration.ofNanos(Math.max(0, left));
    }

    @Override
    public Duration getElapsed() {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** How long the call took until its outcome was settled (so far, while it runs). */
    @Override
    public Duration getCallDuration() {
        Long settled = settledNanos;
        return Duration.ofNanos((settled == null ? System.nanoTime() : settled) - startNanos);
    }

    /** The response's status was outside the accepted codes. */
    public void markHttpError() {
        httpError = true;
    }

    @Override
    public boolean isHttpError() {
        return httpError;
    }

    @Override
    public String getDescription() {
        return description;
    }

    @Override
    public String toString() {
        Status current = status.get();
        StringBuilder text = new StringBuilder("TimeoutScope[")
                .append(description)
                .append(", state=")
                .append(current.state);
        if (current.before != null) {
            text.append(" (was ").append(current.before).append(')');
        }
        text.append(", phase=")
                .append(phase)
                .append(", ")
                .append(limit)
                .append('=')
                .append(timeout.isZero() ? "none" : Durations.format(timeout));
        Duration remaining = getRemaining();
        if (remaining != null && current.state == State.ACTIVE) {
            text.append(", remaining=").append(Durations.format(remaining));
        }
        return text.append(", elapsed=")
                .append(Durations.format(getElapsed()))
                .append(']')
                .toString();
    }

    // ---- the deadline

    void arm() {
        scheduleNext(System.nanoTime());
    }

    private boolean settle(State outcome, WorkflowHttpException failure) {
        if (status.compareAndSet(ACTIVE, new Status(outcome, null, failure))) {
            settledNanos = System.nanoTime();
            cancelTimer();
            abort(failure);
            return true;
        }
        return false;
    }

    private void abort(WorkflowHttpException failure) {
        Consumer<WorkflowHttpException> action = abortAction.getAndSet(null);
        if (action != null) {
            action.accept(failure);
        }
    }

    private void onTimer() {
        synchronized (timerLock) {
            timer = null;
        }
        if (status.get().state != State.ACTIVE) {
            return;
        }
        long now = System.nanoTime();
        WorkflowHttpException expired = expiredAt(now);
        if (expired != null) {
            settle(State.TIMED_OUT, expired);
        } else {
            scheduleNext(now);
        }
    }

    private WorkflowHttpException expiredAt(long now) {
        Phase current = phase;
        Duration elapsed = Duration.ofNanos(now - startNanos);
        if (current == Phase.QUEUE) {
            return !timeout.isZero() && now - deadlineNanos >= 0
                    ? new WorkflowHttpTimeoutException(
                            description, current, limit.toString(), timeout, elapsed, queueWait(elapsed))
                    : null;
        }
        if (current == Phase.CONNECT && !connectTimeout.isZero() && now - connectDeadlineNanos >= 0) {
            boolean overall = connectTimeout.equals(timeout);
            return new WorkflowHttpTimeoutException(
                    description,
                    current,
                    (overall ? limit : Limit.CONNECT_TIMEOUT).toString(),
                    connectTimeout,
                    elapsed,
                    leaseWait());
        }
        if (!timeout.isZero() && now - deadlineNanos >= 0) {
            return new WorkflowHttpTimeoutException(
                    description,
                    current,
                    limit.toString(),
                    timeout,
                    elapsed,
                    current == Phase.CONNECT ? leaseWait() : null);
        }
        if (idleApplies(current) && now - (lastActivityNanos + idleTimeout.toNanos()) >= 0) {
            return new WorkflowHttpIdleTimeoutException(description, current, idleTimeout, elapsed);
        }
        return null;
    }

    /** What a call still waiting for a pooled connection waits behind, or null when it is not waiting for one. */
    private String leaseWait() {
        Supplier<String> detail = leaseWaitDetail;
        if (!leaseRequested || connectStartNanos != null || detail == null) {
            return null;
        }
        try {
            return detail.get();
        } catch (RuntimeException e) {
            return null;
        }
    }

    private String queueWait(Duration elapsed) {
        Supplier<String> detail = queueWaitDetail;
        String waited = "waited " + Durations.format(elapsed) + " in the queue of the target's origin";
        if (detail == null) {
            return waited;
        }
        try {
            return waited + " (" + detail.get() + "); nothing was sent";
        } catch (RuntimeException e) {
            return waited;
        }
    }

    private boolean idleApplies(Phase current) {
        return !idleTimeout.isZero() && current != Phase.CONNECT && current != Phase.QUEUE;
    }

    /** Queues one task for the earliest instant at which a limit may pass. */
    private void scheduleNext(long now) {
        Phase current = phase;
        long due = Long.MAX_VALUE;
        boolean any = false;
        if (current == Phase.CONNECT && !connectTimeout.isZero()) {
            due = connectDeadlineNanos - now;
            any = true;
        }
        if (!timeout.isZero()) {
            due = Math.min(due, deadlineNanos - now);
            any = true;
        }
        if (!idleTimeout.isZero()) {
            // while connecting, the idle clock has not started: look again when the connect limit passes at the latest
            long idleDue =
                    idleApplies(current) ? lastActivityNanos + idleTimeout.toNanos() - now : idleTimeout.toNanos();
            due = Math.min(due, idleDue);
            any = true;
        }
        if (!any) {
            return;
        }
        synchronized (timerLock) {
            if (status.get().state != State.ACTIVE) {
                return;
            }
            if (timer != null) {
                timer.cancel();
            }
            timer = owner.scheduler().schedule(this::onTimer, due);
        }
    }

    private void cancelTimer() {
        synchronized (timerLock) {
            if (timer != null) {
                timer.cancel();
                timer = null;
            }
        }
    }
}
