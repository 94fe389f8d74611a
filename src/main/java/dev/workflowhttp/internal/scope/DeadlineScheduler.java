package dev.workflowhttp.internal.scope;

import java.util.TreeSet;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one timer thread of a component. Every open scope has at most one task queued here, and a cancelled task
 * leaves the queue at once, so {@link #pendingTimers()} counts exactly the deadlines still armed.
 * <p>
 * Unlike a {@link java.util.concurrent.ScheduledThreadPoolExecutor}, which wakes its thread whenever a new task
 * becomes the head of its queue, this one wakes its thread only for a task due before the instant the thread already
 * plans to look at the queue. A cancelled task does not wake it either: it may then wake at a stale instant, find
 * nothing due, and sleep until the next task. Calls made one after the other, each arming a deadline seconds away
 * and cancelling it milliseconds later, so cost the thread one wake-up per deadline length rather than one (or more)
 * per call; a wake-up costs tens of microseconds on a busy machine, as much as a fast call on loopback.
 */
public final class DeadlineScheduler implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(DeadlineScheduler.class);

    /** A queued task; {@link #cancel()} takes it out of the queue at once. */
    public static final class Task implements Comparable<Task> {
        private final DeadlineScheduler owner;
        private final long dueNanos;
        private final long sequence;
        private final Runnable action;

        private Task(DeadlineScheduler owner, long dueNanos, long sequence, Runnable action) {
            this.owner = owner;
            this.dueNanos = dueNanos;
            this.sequence = sequence;
            this.action = action;
        }

        /** @return whether this took the task out of the queue (false once it ran or was cancelled) */
        public boolean cancel() {
            return owner.remove(this);
        }

        @Override
        public int compareTo(Task other) {
            long difference = dueNanos - other.dueNanos;
            if (difference != 0) {
                return difference < 0 ? -1 : 1;
            }
            return Long.compare(sequence, other.sequence);
        }
    }

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition wake = lock.newCondition();
    /** Guarded by {@code lock}, as are the fields below. */
    private final TreeSet<Task> queue = new TreeSet<>();

    private long sequence;
    /** Whether the thread waits for a signal with no instant of its own to look again. */
    private boolean waitingForSignal = true;
    /** When the thread looks at the queue next, unless signalled (meaningful while not {@code waitingForSignal}). */
    private long plannedNanos;

    private boolean closed;
    /** How often the thread came back from waiting (for tests and benchmarks). */
    private long wakeUps;

    private final Thread thread;

    public DeadlineScheduler(String threadName) {
        thread = new Thread(this::run, threadName + "-1");
        thread.setDaemon(true);
        thread.start();
    }

    /**
     * Runs {@code action} on the scheduler's thread once {@code delayNanos} have passed.
     *
     * @throws RejectedExecutionException once the scheduler is closed
     */
    public Task schedule(Runnable action, long delayNanos) {
        long due = System.nanoTime() + Math.max(0, delayNanos);
        lock.lock();
        try {
            if (closed) {
                throw new RejectedExecutionException("the deadline scheduler is closed");
            }
            Task task = new Task(this, due, sequence++, action);
            queue.add(task);
            if (waitingForSignal || due - plannedNanos < 0) {
                plannedNanos = due;
                waitingForSignal = false;
                wake.signal();
            }
            return task;
        } finally {
            lock.unlock();
        }
    }

    private boolean remove(Task task) {
        lock.lock();
        try {
            return queue.remove(task);
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        lock.lock();
        try {
            while (!closed) {
                if (queue.isEmpty()) {
                    waitingForSignal = true;
                    wake.await();
                    wakeUps++;
                    continue;
                }
                Task head = queue.first();
                long delay = head.dueNanos - System.nanoTime();
                if (delay > 0) {
                    waitingForSignal = false;
                    plannedNanos = head.dueNanos;
                    wake.awaitNanos(delay);
                    wakeUps++;
                    continue;
                }
                queue.pollFirst();
                lock.unlock();
                try {
                    head.action.run();
                } catch (RuntimeException | Error e) {
                    LOG.warn("A deadline task failed", e);
                } finally {
                    lock.lock();
                }
            }
        } catch (InterruptedException e) {
            // closed
        } finally {
            lock.unlock();
        }
    }

    /** Deadline tasks queued and not yet run. */
    public int pendingTimers() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    /** How many times the thread has come back from waiting so far. */
    long wakeUps() {
        lock.lock();
        try {
            return wakeUps;
        } finally {
            lock.unlock();
        }
    }

    /** Drops the queued tasks (they never run) and ends the thread. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            queue.clear();
            wake.signal();
        } finally {
            lock.unlock();
        }
        thread.interrupt();
    }

    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        thread.join(Math.max(1, unit.toMillis(timeout)));
        return !thread.isAlive();
    }
}
