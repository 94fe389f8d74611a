package dev.workflowhttp.internal.limit;

import dev.workflowhttp.internal.scope.DeadlineScheduler;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.TokensInheritanceStrategy;
import io.github.bucket4j.local.LocalBucket;
import io.github.bucket4j.local.SynchronizationStrategy;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The traffic control of one origin: a call is admitted when it holds a token of the rate (if any) and a slot of the
 * calls in flight (if limited), and the origin is not paused. Calls are admitted in the order they asked (FIFO): a
 * later call never goes ahead of one already waiting, and a pause keeps everyone's place.
 * <p>
 * No thread waits here. A call that cannot go at once is queued with its callback; when the head of the queue waits
 * for a token or for the end of a pause, one wake-up is scheduled on the component's {@link DeadlineScheduler} for
 * the instant it can go (the bucket says when: {@code getNanosToWaitForRefill()}); when it waits for a slot, nothing
 * is scheduled and the next {@link Permit#release()} admits it. An empty queue leaves no wake-up scheduled.
 * Admission callbacks run on the given executor (the component's continuation threads, which must run tasks on
 * threads of their own), never on the scheduler's thread nor under this limiter's lock; they reach the executor in
 * the order of admission.
 * <p>
 * A waiter goes through one of these, each move made under the lock, so exactly one of admit, cancel or abandon wins:
 * <pre>
 *   WAITING ──admitted (token + slot taken)──► ADMITTED ──release()──► RELEASED (slot freed once)
 *      ├──── cancel() (its deadline passed) ──► CANCELLED  (nothing taken, no callback)
 *      └──── close() (the component stops) ───► ABANDONED  (onAbandoned runs)
 * </pre>
 * The rate's token is taken only at admission, so a waiter that leaves never took one.
 */
public final class OriginLimiter {

    private static final Logger LOG = LoggerFactory.getLogger(OriginLimiter.class);

    private enum State {
        WAITING,
        ADMITTED,
        RELEASED,
        CANCELLED,
        ABANDONED
    }

    private final Origin origin;
    private final DeadlineScheduler scheduler;
    private final Executor callbacks;
    private final PauseListener pauseListener;

    private final ReentrantLock lock = new ReentrantLock();
    // guarded by lock, as is the state of every Waiter
    private LimitSpec declared;
    private int members = 1;
    private LimitSpec effective;
    /** Null without a rate. */
    private LocalBucket bucket;
    /** The waiters in arrival order; a cancelled one leaves at once. */
    private final LinkedHashSet<Waiter> queue = new LinkedHashSet<>();

    private int inFlight;
    /** Null when never paused; the pause is over once {@code pausedUntilNanos} passed. */
    private Instant pausedUntil;

    private long pausedUntilNanos;
    /** The one wake-up scheduled for the head of the queue, or null. */
    private DeadlineScheduler.Task wakeUp;

    private long wakeUpNanos;
    private long wakeUpGeneration;
    private boolean closed;
    private long waitedNanos;
    private long admittedCount;

    /**
     * @param pauseListener told of the pauses learned here (null: none)
     */
    public OriginLimiter(
            Origin origin,
            LimitSpec limits,
            DeadlineScheduler scheduler,
            Executor callbacks,
            PauseListener pauseListener) {
        this.origin = origin;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.pauseListener = pauseListener;
        this.declared = limits;
        this.effective = limits;
        this.bucket = limits.rate() == null ? null : newBucket(limits.rate());
    }

    public Origin origin() {
        return origin;
    }

    // ---- asking for admission

    /**
     * Queues a call for admission. {@code onAdmitted} runs once, on the executor, when the call holds a token and a
     * slot; it owns the permit and must release it (a callback that throws has it released for it). If the limiter
     * is closed before (or is closed already), {@code onAbandoned} runs instead, on the closing (or calling) thread.
     * A retry is another call: it asks again, and takes a token like any call.
     *
     * @return the call's place in the queue: {@link Ticket#cancel()} when its deadline passes while it waits
     */
    public Ticket acquire(Consumer<Permit> onAdmitted, Runnable onAbandoned) {
        Waiter waiter = new Waiter(onAdmitted, onAbandoned);
        Handoff handoff;
        lock.lock();
        try {
            if (closed) {
                waiter.state = State.ABANDONED;
                handoff = new Handoff(List.of(), List.of(waiter));
            } else {
                queue.add(waiter);
                handoff = admitReady();
            }
        } finally {
            lock.unlock();
        }
        hand(handoff);
        return waiter;
    }

    /**
     * Admits waiters from the head of the queue while the origin is not paused, a slot is free and a token is there;
     * otherwise schedules the one wake-up the head needs (none when it waits for a slot or nobody waits).
     */
    private Handoff admitReady() {
        List<Waiter> admitted = null;
        long now = System.nanoTime();
        while (!queue.isEmpty()) {
            if (pausedUntil != null && pausedUntilNanos - now > 0) {
                if (!wakeAt(pausedUntilNanos)) {
                    return abandonAll(admitted);
                }
                break;
            }
            if (effective.maxConcurrent() > 0 && inFlight >= effective.maxConcurrent()) {
                cancelWakeUp(); // a release admits the head
                break;
            }
            if (bucket != null) {
                ConsumptionProbe probe = bucket.tryConsumeAndReturnRemaining(1);
                if (!probe.isConsumed()) {
                    if (!wakeAt(now + Math.max(1, probe.getNanosToWaitForRefill()))) {
                        return abandonAll(admitted);
                    }
                    break;
                }
            }
            Iterator<Waiter> head = queue.iterator();
            Waiter waiter = head.next();
            head.remove();
            waiter.state = State.ADMITTED;
            waiter.admittedNanos = now;
            waitedNanos += now - waiter.queuedNanos;
            admittedCount++;
            inFlight++;
            if (admitted == null) {
                admitted = new ArrayList<>();
            }
            admitted.add(waiter);
        }
        if (queue.isEmpty()) {
            cancelWakeUp();
        }
        return new Handoff(submit(admitted), List.of());
    }

    /**
     * Hands the admitted waiters' callbacks to the executor, under the lock, so that they reach its queue in the
     * order of admission whichever threads admitted them.
     *
     * @return those the executor refused (it is stopping), to run once the lock is let go
     */
    private List<Waiter> submit(List<Waiter> admitted) {
        if (admitted == null) {
            return List.of();
        }
        List<Waiter> refused = null;
        for (Waiter waiter : admitted) {
            try {
                callbacks.execute(waiter::deliver);
            } catch (RejectedExecutionException e) {
                if (refused == null) {
                    refused = new ArrayList<>();
                }
                refused.add(waiter);
            }
        }
        return refused == null ? List.of() : refused;
    }

    /** Keeps a wake-up due at {@code dueNanos} or before; false when the scheduler is closed (the component stops). */
    private boolean wakeAt(long dueNanos) {
        if (wakeUp != null) {
            if (wakeUpNanos - dueNanos <= 0) {
                return true; // it comes first and looks again then
            }
            wakeUp.cancel();
            wakeUp = null;
        }
        long generation = ++wakeUpGeneration;
        try {
            wakeUp = scheduler.schedule(() -> wokenUp(generation), dueNanos - System.nanoTime());
        } catch (RejectedExecutionException e) {
            return false;
        }
        wakeUpNanos = dueNanos;
        return true;
    }

    private void cancelWakeUp() {
        if (wakeUp != null) {
            wakeUp.cancel();
            wakeUp = null;
        }
    }

    /** On the scheduler's thread: the head's token or the pause's end is due. */
    private void wokenUp(long generation) {
        Handoff handoff;
        lock.lock();
        try {
            if (generation == wakeUpGeneration) {
                wakeUp = null;
            }
            if (closed) {
                return;
            }
            handoff = admitReady();
        } finally {
            lock.unlock();
        }
        hand(handoff);
    }

    /** The scheduler is closed: no waiter can be woken any more, so every one of them is abandoned. */
    private Handoff abandonAll(List<Waiter> admitted) {
        closed = true;
        wakeUp = null;
        List<Waiter> abandoned = abandonWaiters();
        return new Handoff(submit(admitted), abandoned);
    }

    private List<Waiter> abandonWaiters() {
        long now = System.nanoTime();
        List<Waiter> taken = new ArrayList<>(queue);
        queue.clear();
        for (Waiter waiter : taken) {
            waiter.state = State.ABANDONED;
            waiter.leftNanos = now;
            waitedNanos += now - waiter.queuedNanos;
        }
        return taken;
    }

    // ---- pauses

    /**
     * Stops admitting calls to this origin until {@code until} (a 429 or 503 with {@code Retry-After}, see
     * {@link RetryAfter}); calls already waiting keep their place. A later instant extends the pause, an earlier one
     * leaves it as it is. A pause that moved later is told to the {@link PauseListener}.
     *
     * @return whether this moved the pause later
     */
    public boolean pauseUntil(Instant until) {
        boolean extended = pause(until);
        if (extended && pauseListener != null) {
            try {
                pauseListener.paused(origin, until);
            } catch (RuntimeException e) {
                LOG.warn("The pause listener failed on the pause of {} until {}", origin, until, e);
            }
        }
        return extended;
    }

    /** As {@link #pauseUntil}, for a pause another instance learned: it is not told to the listener again. */
    public boolean applyRemotePause(Instant until) {
        return pause(until);
    }

    private boolean pause(Instant until) {
        Handoff handoff;
        lock.lock();
        try {
            // compared as instants: the same instant mapped twice onto nanoTime may differ by the clocks' reads
            if (closed || (pausedUntil != null && !until.isAfter(pausedUntil))) {
                return false;
            }
            long now = System.nanoTime();
            long untilNanos = now + saturatedNanos(Duration.between(Instant.now(), until));
            if (untilNanos - now <= 0) {
                return false;
            }
            if (pausedUntil != null && pausedUntilNanos - untilNanos > 0) {
                untilNanos = pausedUntilNanos; // a later instant never ends the pause sooner
            }
            pausedUntil = until;
            pausedUntilNanos = untilNanos;
            handoff = admitReady(); // nobody is admitted now; the head's wake-up moves to the pause's end
        } finally {
            lock.unlock();
        }
        hand(handoff);
        return true;
    }

    private static long saturatedNanos(Duration duration) {
        try {
            return Math.min(duration.toNanos(), Long.MAX_VALUE / 4);
        } catch (ArithmeticException e) {
            return duration.isNegative() ? 0 : Long.MAX_VALUE / 4;
        }
    }

    // ---- configuration at run time

    /**
     * Makes this instance hold its share of the limit when {@code liveMembers} instances share it (see
     * {@link LimitSpec#share(int)}). Waiters keep their place; the tokens in the bucket stay (cut to the new burst).
     */
    public void setShare(int liveMembers) {
        if (liveMembers < 1) {
            throw new IllegalArgumentException("A limit is shared by at least one member, not " + liveMembers);
        }
        reconfigure(declared, liveMembers);
    }

    /** Replaces the declared limits (they were withdrawn and declared again); waiters keep their place. */
    void redeclare(LimitSpec limits) {
        reconfigure(limits, -1);
    }

    private void reconfigure(LimitSpec limits, int liveMembers) {
        Handoff handoff;
        lock.lock();
        try {
            declared = limits;
            if (liveMembers > 0) {
                members = liveMembers;
            }
            effective = declared.share(members);
            if (effective.rate() == null) {
                bucket = null;
            } else if (bucket == null) {
                bucket = newBucket(effective.rate());
            } else {
                bucket.replaceConfiguration(configuration(effective.rate()), TokensInheritanceStrategy.AS_IS);
            }
            cancelWakeUp(); // the head may go sooner (or later) now
            handoff = closed ? Handoff.NONE : admitReady();
        } finally {
            lock.unlock();
        }
        hand(handoff);
    }

    private static LocalBucket newBucket(RateLimit rate) {
        return Bucket.builder()
                .addLimit(configuration(rate).getBandwidths()[0])
                .withNanosecondPrecision()
                // every use is under this limiter's lock
                .withSynchronizationStrategy(SynchronizationStrategy.NONE)
                .build();
    }

    private static BucketConfiguration configuration(RateLimit rate) {
        return BucketConfiguration.builder()
                .addLimit(limit -> limit.capacity(rate.burst()).refillGreedy(rate.count(), rate.unit()))
                .build();
    }

    /**
     * Abandons every waiter (their {@code onAbandoned} runs on this thread) and every later call; removes the
     * wake-up. Permits out stay valid and may still be released.
     */
    public void close() {
        List<Waiter> abandoned;
        lock.lock();
        try {
            closed = true;
            cancelWakeUp();
            abandoned = abandonWaiters();
        } finally {
            lock.unlock();
        }
        hand(new Handoff(List.of(), abandoned));
    }

    // ---- figures (plain values for meters and health)

    /** The limits declared for the origin (for all members together). */
    public LimitSpec declared() {
        return underLock(() -> declared);
    }

    /** The limits this instance applies: its share of the declared ones. */
    public LimitSpec effective() {
        return underLock(() -> effective);
    }

    /** Calls in the queue: 0 when idle. */
    public int waiting() {
        return underLock(() -> queue.size());
    }

    /** Calls admitted and not yet released: 0 when idle. */
    public int inFlight() {
        return underLock(() -> inFlight);
    }

    /** Wake-ups scheduled on the scheduler (0 or 1): 0 when nobody waits. */
    public int scheduledWakeUps() {
        return underLock(() -> wakeUp == null ? 0 : 1);
    }

    /** Until when the origin is paused, or null when it is not (any more). */
    public Instant pausedUntil() {
        return underLock(() -> pausedUntil != null && pausedUntilNanos - System.nanoTime() > 0 ? pausedUntil : null);
    }

    /** Tokens in the bucket now (the burst when idle long enough), or -1 without a rate. */
    public long availableTokens() {
        return underLock(() -> bucket == null ? -1 : bucket.getAvailableTokens());
    }

    /** Time waited in the queue by all calls so far (admitted, cancelled or abandoned); a counter, never lower. */
    public Duration totalWaited() {
        return underLock(() -> Duration.ofNanos(waitedNanos));
    }

    /** Calls admitted so far. */
    public long admitted() {
        return underLock(() -> admittedCount);
    }

    @Override
    public String toString() {
        return origin + " (" + effective() + ")";
    }

    /**
     * What a call waiting here waits behind, for the message of a deadline passing while it waits: the origin, its
     * limits, the calls waiting and in flight, the pause.
     */
    public String describeWait() {
        return underLock(() -> {
            StringBuilder text = new StringBuilder().append(origin).append(' ').append(effective);
            if (members > 1) {
                text.append(" (this instance's share of ")
                        .append(declared)
                        .append(" among ")
                        .append(members)
                        .append(')');
            }
            text.append(": ")
                    .append(queue.size())
                    .append(" call(s) waiting, ")
                    .append(inFlight)
                    .append(" in flight");
            if (pausedUntil != null && pausedUntilNanos - System.nanoTime() > 0) {
                text.append(", paused by the server until ").append(pausedUntil);
            }
            return text.toString();
        });
    }

    private <T> T underLock(Supplier<T> read) {
        lock.lock();
        try {
            return read.get();
        } finally {
            lock.unlock();
        }
    }

    // ---- the waiters

    /**
     * Whose callbacks to run on this thread once the lock is let go: admitted waiters the executor refused, and
     * abandoned ones.
     */
    private record Handoff(List<Waiter> refused, List<Waiter> abandoned) {
        static final Handoff NONE = new Handoff(List.of(), List.of());
    }

    private void hand(Handoff handoff) {
        for (Waiter waiter : handoff.refused()) {
            waiter.deliver(); // the component is stopping: go on here rather than lose the call
        }
        for (Waiter waiter : handoff.abandoned()) {
            try {
                waiter.onAbandoned.run();
            } catch (RuntimeException e) {
                LOG.warn("A call abandoned in the queue of {} failed to end", origin, e);
            }
        }
    }

    private final class Waiter implements Ticket, Permit {
        private final Consumer<Permit> onAdmitted;
        private final Runnable onAbandoned;
        private final long queuedNanos = System.nanoTime();
        // guarded by the limiter's lock
        private State state = State.WAITING;
        private long admittedNanos;
        private long leftNanos;

        Waiter(Consumer<Permit> onAdmitted, Runnable onAbandoned) {
            this.onAdmitted = onAdmitted;
            this.onAbandoned = onAbandoned;
        }

        void deliver() {
            try {
                onAdmitted.accept(this);
            } catch (RuntimeException | Error e) {
                release(); // never leave the origin's slot taken by a call that did not start
                LOG.warn("A call admitted to {} failed to start", origin, e);
            }
        }

        @Override
        public boolean cancel() {
            lock.lock();
            try {
                if (state != State.WAITING) {
                    return false;
                }
                queue.remove(this);
                state = State.CANCELLED;
                leftNanos = System.nanoTime();
                waitedNanos += leftNanos - queuedNanos;
                if (queue.isEmpty()) {
                    cancelWakeUp();
                }
                return true;
            } finally {
                lock.unlock();
            }
        }

        @Override
        public boolean release() {
            Handoff handoff;
            lock.lock();
            try {
                if (state != State.ADMITTED) {
                    return false;
                }
                state = State.RELEASED;
                inFlight--;
                handoff = closed ? Handoff.NONE : admitReady();
            } finally {
                lock.unlock();
            }
            hand(handoff);
            return true;
        }

        @Override
        public boolean isWaiting() {
            return underLock(() -> state == State.WAITING);
        }

        @Override
        public Duration waited() {
            lock.lock();
            try {
                long end = switch (state) {
                    case WAITING -> System.nanoTime();
                    case ADMITTED, RELEASED -> admittedNanos;
                    case CANCELLED, ABANDONED -> leftNanos;
                };
                return Duration.ofNanos(end - queuedNanos);
            } finally {
                lock.unlock();
            }
        }

        @Override
        public long admittedNanos() {
            return underLock(() -> admittedNanos);
        }

        @Override
        public Origin origin() {
            return origin;
        }
    }
}
