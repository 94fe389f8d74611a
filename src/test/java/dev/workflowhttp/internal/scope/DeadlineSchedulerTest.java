package dev.workflowhttp.internal.scope;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The deadline thread runs each task when it is due, wakes early for a task due before its planned look, and is not
 * woken by tasks due later nor by cancellations: calls made one after the other cost it no wake-up each.
 */
class DeadlineSchedulerTest {

    private final DeadlineScheduler scheduler = new DeadlineScheduler("scheduler-test");

    @AfterEach
    void close() throws Exception {
        scheduler.close();
        assertThat(scheduler.awaitTermination(10, TimeUnit.SECONDS))
                .as("thread ended")
                .isTrue();
    }

    private static long hours(int hours) {
        return TimeUnit.HOURS.toNanos(hours);
    }

    @Test
    void aTaskDueBeforeThePlannedLookRunsOnTimeAndTheLaterOneWaits() throws Exception {
        AtomicBoolean laterRan = new AtomicBoolean();
        scheduler.schedule(() -> laterRan.set(true), hours(1));
        CountDownLatch earlier = new CountDownLatch(1);
        long start = System.nanoTime();

        scheduler.schedule(earlier::countDown, TimeUnit.MILLISECONDS.toNanos(50));

        // slack: a shared 2-core machine may be slow to run any thread; 5 s is far below the other task's hour
        assertThat(earlier.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(laterRan).isFalse();
        assertThat(scheduler.pendingTimers()).isEqualTo(1);
    }

    @Test
    void callsOneAfterTheOtherWakeTheThreadOnceNotOncePerCall() {
        // an armed deadline an hour away: the thread waits for it, in a timed wait
        long first = hours(1);
        scheduler.schedule(() -> {}, first);
        await("the thread waiting for the first deadline")
                .atMost(Duration.ofSeconds(5))
                .until(() -> schedulerThread().getState() == Thread.State.TIMED_WAITING);
        long wakeUpsBefore = scheduler.wakeUps();

        // each "call" arms a deadline a little later than the one before and cancels it, as a loop of calls does
        for (int call = 1; call <= 10_000; call++) {
            DeadlineScheduler.Task deadline = scheduler.schedule(() -> {}, first + call);
            assertThat(deadline.cancel()).isTrue();
        }

        assertThat(scheduler.pendingTimers()).isEqualTo(1);
        // a spurious wake-up of a waiting thread is allowed by Java; 10,000 calls woke it at most that once
        assertThat(scheduler.wakeUps() - wakeUpsBefore).isLessThanOrEqualTo(1);
    }

    private static Thread schedulerThread() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("scheduler-test-1"))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void cancelledTasksLeaveTheQueueAtOnceAndNeverRun() throws Exception {
        AtomicBoolean ran = new AtomicBoolean();
        List<DeadlineScheduler.Task> tasks = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            tasks.add(scheduler.schedule(() -> ran.set(true), TimeUnit.MILLISECONDS.toNanos(200) + i));
        }
        assertThat(scheduler.pendingTimers()).isEqualTo(1000);

        assertThat(tasks.stream().filter(DeadlineScheduler.Task::cancel).count())
                .isEqualTo(1000);

        assertThat(scheduler.pendingTimers()).isZero();
        CountDownLatch after = new CountDownLatch(1);
        scheduler.schedule(after::countDown, TimeUnit.MILLISECONDS.toNanos(300));
        // the thread has passed the instant the cancelled tasks were due at
        assertThat(after.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(ran).isFalse();
    }

    @Test
    void aClosedSchedulerRefusesNewTasksAndDropsQueuedOnes() {
        scheduler.schedule(() -> {}, hours(1));

        scheduler.close();

        assertThat(scheduler.pendingTimers()).isZero();
        assertThatThrownBy(() -> scheduler.schedule(() -> {}, 0)).isInstanceOf(RejectedExecutionException.class);
    }
}
