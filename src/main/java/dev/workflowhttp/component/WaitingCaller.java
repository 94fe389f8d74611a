package dev.workflowhttp.component;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * The thread of a caller that waits for the step anyway (a transacted exchange, {@code synchronous=true}, a caller of
 * {@code process(Exchange)}), to which a {@link StepRun} hands what comes after a call instead of to a continuation
 * thread: the client's I/O thread (or the deadline thread, for a timeout) wakes the caller's thread once, and that
 * thread binds the response and goes on with the route itself. Without it the outcome crossed to a continuation
 * thread first, which then woke the caller: two wake-ups for one call.
 * <p>
 * The wait holds the caller's thread, which waited anyway, and never outlasts the run: the run's deadline (or the
 * component's stop) settles every call, and each settling is handed over here.
 */
final class WaitingCaller {

    // ---- any thread hands over; only the waiting thread takes
    private final Queue<Runnable> handedOver = new ConcurrentLinkedQueue<>();
    private final Thread thread = Thread.currentThread();

    /** Has {@code next} run on the waiting thread; never runs it here, even when called on that thread. */
    void handOver(Runnable next) {
        handedOver.add(next);
        if (Thread.currentThread() != thread) {
            LockSupport.unpark(thread);
        }
    }

    /**
     * Runs what is handed over, on the calling thread (the one that made this object), until {@code done}. When the
     * thread is interrupted, {@code interrupted} runs once (it must lead to an outcome: it aborts the call) and the
     * wait goes on until the outcome is in; the interrupt is kept for the caller.
     */
    void runUntil(BooleanSupplier done, Runnable interrupted) {
        if (Thread.currentThread() != thread) {
            throw new IllegalStateException("only the thread that made the run waits for it");
        }
        boolean wasInterrupted = false;
        try {
            while (!done.getAsBoolean()) {
                Runnable next = handedOver.poll();
                if (next != null) {
                    next.run();
                    continue;
                }
                LockSupport.park(this);
                if (Thread.interrupted() && !wasInterrupted) {
                    wasInterrupted = true;
                    interrupted.run();
                }
            }
            // nothing should be left once the outcome is in; whatever is (a late no-op) runs rather than is lost
            for (Runnable late = handedOver.poll(); late != null; late = handedOver.poll()) {
                late.run();
            }
        } finally {
            if (wasInterrupted) {
                thread.interrupt();
            }
        }
    }
}
