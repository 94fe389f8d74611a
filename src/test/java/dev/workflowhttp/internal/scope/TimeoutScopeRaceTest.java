package dev.workflowhttp.internal.scope;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.Phase;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The scope's one state field under contention: the deadline, the body completing, a failure and the exchange's
 * release race on many threads at once; exactly one outcome wins, the release runs exactly once, the abort runs at
 * most once, and no timer is left queued.
 */
class TimeoutScopeRaceTest {

    private final ConcurrentHashMap<TimeoutScope, AtomicInteger> releases = new ConcurrentHashMap<>();
    private final TimeoutScopes scopes = new TimeoutScopes(
            "race-deadline",
            (scope, state) ->
                    releases.computeIfAbsent(scope, s -> new AtomicInteger()).incrementAndGet());

    @AfterEach
    void close() throws Exception {
        scopes.close();
        assertThat(scopes.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void everyRaceEndsWithOneOutcomeAndOneRelease() throws Exception {
        int rounds = 2000;
        ExecutorService racers = Executors.newFixedThreadPool(3);
        List<RealTimeoutScope> all = new ArrayList<>();
        AtomicInteger aborts = new AtomicInteger();
        try {
            for (int i = 0; i < rounds; i++) {
                // deadlines of 0-2 ms: the timer joins the race
                RealTimeoutScope scope = scopes.open(
                        Duration.ofNanos(1 + (i % 3) * 1_000_000L), Duration.ZERO, Duration.ZERO, "race " + i);
                AtomicInteger abortedHere = new AtomicInteger();
                scope.onAbort(failure -> {
                    abortedHere.incrementAndGet();
                    aborts.incrementAndGet();
                });
                all.add(scope);
                CyclicBarrier start = new CyclicBarrier(3);
                List<Future<?>> moves = List.of(
                        racers.submit(() -> {
                            start.await();
                            return scope.complete();
                        }),
                        racers.submit(() -> {
                            start.await();
                            return scope.fail(new WorkflowHttpException("failed", "u", Phase.BODY));
                        }),
                        racers.submit(() -> {
                            start.await();
                            return scope.release();
                        }));
                for (Future<?> move : moves) {
                    move.get(5, TimeUnit.SECONDS);
                }
                scope.release();
                assertThat(abortedHere.get()).as("aborts of scope %d", i).isLessThanOrEqualTo(1);
            }
        } finally {
            racers.shutdownNow();
        }
        for (RealTimeoutScope scope : all) {
            assertThat(scope.getState()).isEqualTo(RealTimeoutScope.State.RELEASED);
            assertThat(releases.get(scope)).as("releases of %s", scope).hasValue(1);
        }
        assertThat(scopes.openScopes()).isZero();
        assertThat(scopes.pendingTimers()).isZero();
    }

    @Test
    void aCancelledTimerLeavesTheQueueAtOnce() {
        List<RealTimeoutScope> opened = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            opened.add(scopes.open(Duration.ofHours(1), Duration.ofSeconds(10), Duration.ZERO, "long " + i));
        }
        assertThat(scopes.pendingTimers()).isEqualTo(1000);
        opened.forEach(RealTimeoutScope::complete);
        assertThat(scopes.pendingTimers())
                .as("timers queued after the calls completed")
                .isZero();
        opened.forEach(RealTimeoutScope::release);
        assertThat(scopes.openScopes()).isZero();
    }

    @Test
    void aDeadlineFiringAfterReleaseDoesNothing() throws Exception {
        CountDownLatch aborted = new CountDownLatch(1);
        RealTimeoutScope scope = scopes.open(Duration.ofMillis(50), Duration.ZERO, Duration.ZERO, "late timer");
        scope.onAbort(failure -> aborted.countDown());
        assertThat(scope.complete()).isTrue();
        assertThat(scope.release()).isTrue();
        assertThat(aborted.await(300, TimeUnit.MILLISECONDS))
                .as("an abort after the body completed")
                .isFalse();
        assertThat(scope.getOutcome()).isEqualTo(RealTimeoutScope.State.COMPLETED);
        assertThat(scope.getFailure()).isNull();
    }
}
