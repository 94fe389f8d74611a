package dev.workflowhttp.internal.limit;

import dev.workflowhttp.internal.scope.DeadlineScheduler;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;

/**
 * The limiters of one component, one per origin: every endpoint naming an origin shares its limiter. An origin has
 * one limit: declaring another for it is refused, naming both declarations. Declarations are made at route start and
 * withdrawn at route stop; calls find their limiter with {@link #limiter(Origin)} (or keep the one
 * {@link #declare} returned).
 */
public final class OriginLimiters implements AutoCloseable {

    private static final class Entry {
        final OriginLimiter limiter;
        /** Who declared the limit (e.g. endpoint URIs with secrets masked), in order. */
        final Set<String> declaredBy = new LinkedHashSet<>();

        Entry(OriginLimiter limiter) {
            this.limiter = limiter;
        }
    }

    private final DeadlineScheduler scheduler;
    private final Executor callbacks;
    // guarded by this
    private final Map<Origin, Entry> entries = new HashMap<>();
    private int members = 1;
    private volatile PauseListener pauseListener;
    private boolean closed;

    /**
     * @param scheduler the component's deadline scheduler, for the wake-ups of waiting calls
     * @param callbacks where admission callbacks run (the component's continuation executor)
     */
    public OriginLimiters(DeadlineScheduler scheduler, Executor callbacks) {
        this.scheduler = scheduler;
        this.callbacks = callbacks;
    }

    /**
     * Declares {@code limits} for {@code origin}, on behalf of {@code declaredBy}.
     *
     * @return the origin's limiter, shared with every other declaration of the same limits
     * @throws IllegalArgumentException when the origin already has other limits, naming both declarations
     */
    public synchronized OriginLimiter declare(Origin origin, LimitSpec limits, String declaredBy) {
        if (closed) {
            throw new IllegalStateException("The limits of the workflow-http component are closed (it stopped)");
        }
        Entry entry = entries.get(origin);
        if (entry == null) {
            entry = new Entry(new OriginLimiter(origin, limits, scheduler, callbacks, this::publish));
            if (members > 1) {
                entry.limiter.setShare(members);
            }
            entries.put(origin, entry);
        } else if (!entry.limiter.declared().sameAs(limits)) {
            if (!entry.declaredBy.isEmpty()) {
                throw new IllegalArgumentException(String.format(
                        "Conflicting limits for origin %s: %s declared by %s, and %s declared by %s. An origin has "
                                + "one limit: declare the same on every endpoint of that origin, or once for the "
                                + "component",
                        origin, entry.limiter.declared(), String.join(", ", entry.declaredBy), limits, declaredBy));
            }
            entry.limiter.redeclare(limits); // every earlier declaration was withdrawn
        }
        entry.declaredBy.add(declaredBy);
        return entry.limiter;
    }

    /**
     * Withdraws a declaration (its route stopped). The limiter stays, with its waiters and pause; once nobody
     * declares it, the next declaration may set other limits.
     */
    public synchronized void withdraw(Origin origin, String declaredBy) {
        Entry entry = entries.get(origin);
        if (entry != null) {
            entry.declaredBy.remove(declaredBy);
        }
    }

    /** The origin's limiter, or null when no limit was declared for it. */
    public synchronized OriginLimiter limiter(Origin origin) {
        Entry entry = entries.get(origin);
        return entry == null ? null : entry.limiter;
    }

    /** Every limiter, for meters and health. */
    public synchronized List<OriginLimiter> limiters() {
        List<OriginLimiter> all = new ArrayList<>(entries.size());
        entries.values().forEach(entry -> all.add(entry.limiter));
        return all;
    }

    /** Calls waiting in every origin's queue: 0 when idle (a leak gauge). */
    public int waiting() {
        return limiters().stream().mapToInt(OriginLimiter::waiting).sum();
    }

    /** Calls admitted and not yet released, all origins together: 0 when idle (a leak gauge). */
    public int inFlight() {
        return limiters().stream().mapToInt(OriginLimiter::inFlight).sum();
    }

    /** Wake-ups scheduled by all origins' queues (they are among the scheduler's pending timers): 0 when idle. */
    public int scheduledWakeUps() {
        return limiters().stream().mapToInt(OriginLimiter::scheduledWakeUps).sum();
    }

    /** Makes every origin's limiter, present and future, hold its share among {@code liveMembers} instances. */
    public synchronized void setShare(int liveMembers) {
        if (liveMembers < 1) {
            throw new IllegalArgumentException("A limit is shared by at least one member, not " + liveMembers);
        }
        members = liveMembers;
        entries.values().forEach(entry -> entry.limiter.setShare(liveMembers));
    }

    public synchronized int share() {
        return members;
    }

    /** Where pauses learned here go (one listener; null: none). */
    public void setPauseListener(PauseListener listener) {
        this.pauseListener = listener;
    }

    /**
     * Pauses the origin until {@code until} (see {@link OriginLimiter#pauseUntil}). An origin nobody declared a limit
     * for gets a limiter of pauses only ({@link LimitSpec#pauseOnly()}) on its first pause, which stays while the
     * component runs (its calls then queue only while it is paused); a later declaration sets its limits.
     *
     * @return whether this moved the origin's pause later
     */
    public boolean pauseUntil(Origin origin, Instant until) {
        OriginLimiter limiter = limiterOrPauseOnly(origin);
        return limiter != null && limiter.pauseUntil(until);
    }

    /** Applies a pause another instance published, without publishing it again (to undeclared origins too). */
    public boolean applyRemotePause(Origin origin, Instant until) {
        OriginLimiter limiter = limiterOrPauseOnly(origin);
        return limiter != null && limiter.applyRemotePause(until);
    }

    /** The origin's limiter, one of pauses only when it has none; null once closed. */
    private synchronized OriginLimiter limiterOrPauseOnly(Origin origin) {
        Entry entry = entries.get(origin);
        if (entry == null) {
            if (closed) {
                return null;
            }
            entry = new Entry(new OriginLimiter(origin, LimitSpec.pauseOnly(), scheduler, callbacks, this::publish));
            entries.put(origin, entry);
        }
        return entry.limiter;
    }

    private void publish(Origin origin, Instant until) {
        PauseListener listener = pauseListener;
        if (listener != null) {
            listener.paused(origin, until);
        }
    }

    /** Abandons every waiting call (see {@link OriginLimiter#close()}); later declarations are refused. */
    @Override
    public void close() {
        List<OriginLimiter> all;
        synchronized (this) {
            closed = true;
            all = limiters();
        }
        all.forEach(OriginLimiter::close);
    }
}
