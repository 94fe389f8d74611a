package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.internal.scope.DeadlineScheduler;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * One origin's limiter on real time: rates kept in every window, arrival order, slots, pauses, cancellation and
 * release leaving nothing behind, the cluster share. Timing bounds carry slack for a shared, loaded 2-core machine:
 * lower bounds come from the bucket and are exact but for clock reads; upper bounds are generous.
 */
class OriginLimiterTest {

    private static final Origin ORIGIN = Origin.parse("http://127.0.0.1:8080");
    private static final Duration PATIENCE = Duration.ofSeconds(20);

    private final DeadlineScheduler scheduler = new DeadlineScheduler("limit-test");
    /** One thread: the callbacks run in the order of admission, so their order can be asserted. */
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();

    private final ScheduledExecutorService releases = Executors.newScheduledThreadPool(2);
    private final List<OriginLimiter> limiters = new ArrayList<>();

    @AfterEach
    void nothingLeftBehind() throws Exception {
        for (OriginLimiter limiter : limiters) {
            await("the queue of " + limiter + " to empty").atMost(PATIENCE).untilAsserted(() -> {
                assertThat(limiter.waiting()).as("waiting").isZero();
                assertThat(limiter.scheduledWakeUps()).as("wake-ups").isZero();
            });
        }
        assertThat(scheduler.pendingTimers()).as("scheduler queue").isZero();
        releases.shutdownNow();
        callbacks.shutdown();
        assertThat(callbacks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        scheduler.close();
    }

    /** Looks often: the race test waits hundreds of times, each for a few milliseconds. */
    private static ConditionFactory soon() {
        return await().atMost(PATIENCE).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(2));
    }

    private OriginLimiter limiter(String rateLimit, String maxConcurrent) {
        return limiter(rateLimit, maxConcurrent, null);
    }

    private OriginLimiter limiter(String rateLimit, String maxConcurrent, PauseListener listener) {
        OriginLimiter limiter =
                new OriginLimiter(ORIGIN, LimitSpec.parse(rateLimit, maxConcurrent), scheduler, callbacks, listener);
        limiters.add(limiter);
        return limiter;
    }

    /** The calls admitted, in the order their callbacks ran, each with the number it asked in. */
    private record Admission(int number, Permit permit) {}

    private static Ticket ask(OriginLimiter limiter, int number, ConcurrentLinkedQueue<Admission> admitted) {
        return limiter.acquire(permit -> admitted.add(new Admission(number, permit)), () -> {
            throw new AssertionError("call " + number + " abandoned");
        });
    }

    private static List<Integer> numbers(ConcurrentLinkedQueue<Admission> admitted) {
        return admitted.stream().map(Admission::number).toList();
    }

    private static List<Integer> upTo(int count) {
        List<Integer> all = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            all.add(i);
        }
        return all;
    }

    /** The most admissions in any window {@code [t, t + window)} starting at an admission. */
    private static int mostInAnyWindow(ConcurrentLinkedQueue<Admission> admitted, Duration window) {
        List<Long> times = new ArrayList<>(
                admitted.stream().map(a -> a.permit().admittedNanos()).toList());
        Collections.sort(times);
        int most = 0;
        int end = 0;
        for (int start = 0; start < times.size(); start++) {
            while (end < times.size() && times.get(end) - times.get(start) < window.toNanos()) {
                end++;
            }
            most = Math.max(most, end - start);
        }
        return most;
    }

    private static Duration span(ConcurrentLinkedQueue<Admission> admitted) {
        List<Long> times =
                admitted.stream().map(a -> a.permit().admittedNanos()).sorted().toList();
        return Duration.ofNanos(times.get(times.size() - 1) - times.get(0));
    }

    // ---- the rate

    @Test
    void tenPerSecondAdmitsNoMoreThanTenInAnySecondInArrivalOrder() {
        OriginLimiter limiter = limiter("10/s", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        int calls = 25; // 2.4 s at 10/s
        for (int i = 0; i < calls; i++) {
            ask(limiter, i, admitted);
        }
        assertThat(limiter.waiting())
                .as("all but the first wait, none on a thread")
                .isEqualTo(calls - 1);
        assertThat(scheduler.pendingTimers())
                .as("one wake-up for the whole queue")
                .isEqualTo(1);

        soon().until(() -> admitted.size() == calls);
        assertThat(numbers(admitted)).as("arrival order").isEqualTo(upTo(calls));
        admitted.forEach(a -> a.permit().release());
        // burst 1: one token every 100 ms, so a window [t, t + 1 s) holds 10 admissions; the documented bound for a
        // window of one second, closed at both ends, is burst + 10 = 11, which also absorbs clock reads
        assertThat(mostInAnyWindow(admitted, Duration.ofSeconds(1))).isBetween(10, 11);
        // 24 tokens after the first, one per 100 ms: the bucket cannot go faster (clock reads: 20 ms of slack)
        assertThat(span(admitted)).isGreaterThanOrEqualTo(Duration.ofMillis(2380));
        assertThat(limiter.admitted()).isEqualTo(calls);
    }

    @Test
    void aHundredAndFiftyQueuedCallsKeepTheRateInEveryWindow() {
        // the shape of 150 calls at 10/s (15 s: the test below, on demand), at 50/s to keep the suite fast: 3 s
        hundredAndFiftyQueuedCalls(50);
    }

    /** The 15-second run: {@code -Dlimits.long=true}. */
    @Test
    @EnabledIfSystemProperty(named = "limits.long", matches = "true")
    void aHundredAndFiftyQueuedCallsAtTenPerSecond() {
        hundredAndFiftyQueuedCalls(10);
    }

    private void hundredAndFiftyQueuedCalls(int perSecond) {
        OriginLimiter limiter = limiter(perSecond + "/s", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        int calls = 150;
        for (int i = 0; i < calls; i++) {
            ask(limiter, i, admitted);
        }
        soon().until(() -> admitted.size() == calls);
        admitted.forEach(a -> a.permit().release());
        assertThat(numbers(admitted)).as("arrival order, none lost").isEqualTo(upTo(calls));
        assertThat(mostInAnyWindow(admitted, Duration.ofSeconds(1)))
                .as("burst 1 + the rate per second")
                .isLessThanOrEqualTo(perSecond + 1);
        assertThat(mostInAnyWindow(admitted, Duration.ofMillis(200)))
                .as("burst 1 + the rate × 0.2")
                .isLessThanOrEqualTo(perSecond / 5 + 1);
        Duration ideal = Duration.ofSeconds(calls - 1).dividedBy(perSecond);
        // the bucket cannot go faster than one token per 1/rate (20 ms for the clock reads)
        assertThat(span(admitted)).isGreaterThanOrEqualTo(ideal.minusMillis(20));
        // late wake-ups of a loaded scheduler thread cost tokens (the bucket holds one): 60% more time allowed
        assertThat(span(admitted)).isLessThan(ideal.multipliedBy(8).dividedBy(5));
        System.out.printf(
                "150 calls at %d/s: first to last admission %d ms (ideal %d ms), most in a 1 s window %d%n",
                perSecond,
                span(admitted).toMillis(),
                ideal.toMillis(),
                mostInAnyWindow(admitted, Duration.ofSeconds(1)));
    }

    @Test
    void aWrittenBurstLetsThatManyGoAtOnceThenTheRate() {
        OriginLimiter limiter = limiter("10/s burst 5", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        long start = System.nanoTime();
        for (int i = 0; i < 15; i++) {
            ask(limiter, i, admitted);
        }
        assertThat(limiter.waiting())
                .as("five admitted at once, from a full bucket")
                .isEqualTo(10);
        assertThat(limiter.availableTokens()).isZero();
        soon().until(() -> admitted.size() == 15);
        admitted.forEach(a -> a.permit().release());
        assertThat(numbers(admitted)).isEqualTo(upTo(15));
        admitted.stream()
                .limit(5)
                .forEach(a ->
                        assertThat(a.permit().admittedNanos() - start).isLessThan(TimeUnit.MILLISECONDS.toNanos(500)));
        // documented: a window of t holds at most burst + 10 × t; for one second, 15 (14 half-open, plus clock reads)
        assertThat(mostInAnyWindow(admitted, Duration.ofSeconds(1))).isBetween(14, 15);
    }

    // ---- the slots

    @Test
    void maxConcurrentThreeNeverHasMoreThanThreePermitsOut() {
        OriginLimiter limiter = limiter(null, "3");
        AtomicInteger out = new AtomicInteger();
        AtomicInteger mostOut = new AtomicInteger();
        List<Integer> order = new CopyOnWriteArrayList<>();
        int calls = 60;
        for (int i = 0; i < calls; i++) {
            int number = i;
            limiter.acquire(
                    permit -> {
                        order.add(number);
                        mostOut.accumulateAndGet(out.incrementAndGet(), Math::max);
                        // the call takes 2 to 15 ms, and then its permit goes back (from another thread, as from an I/O
                        // one)
                        releases.schedule(
                                () -> {
                                    out.decrementAndGet();
                                    permit.release();
                                },
                                ThreadLocalRandom.current().nextLong(2, 15),
                                TimeUnit.MILLISECONDS);
                    },
                    () -> {});
        }
        assertThat(scheduler.pendingTimers())
                .as("waiting for a slot schedules nothing")
                .isZero();
        soon().until(() -> order.size() == calls && out.get() == 0);
        assertThat(mostOut.get()).isEqualTo(3);
        assertThat(order).isEqualTo(upTo(calls));
        assertThat(limiter.inFlight()).isZero();
    }

    @Test
    void aPermitIsReleasedOnceAndFreesOneSlot() {
        OriginLimiter limiter = limiter(null, "1");
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 3; i++) {
            ask(limiter, i, admitted);
        }
        soon().until(() -> admitted.size() == 1);
        Permit first = admitted.peek().permit();

        assertThat(first.release()).isTrue();
        assertThat(first.release()).as("a second release").isFalse();
        assertThat(first.release()).isFalse();

        soon().until(() -> admitted.size() == 2);
        assertThat(limiter.inFlight())
                .as("the double release freed one slot, not three")
                .isEqualTo(1);
        assertThat(limiter.waiting()).isEqualTo(1);
        admitted.forEach(a -> a.permit().release());
        soon().until(() -> admitted.size() == 3);
        admitted.forEach(a -> a.permit().release());
        assertThat(limiter.inFlight()).isZero();
        assertThat(numbers(admitted)).containsExactly(0, 1, 2);
    }

    @Test
    void aCallbackThatThrowsGivesItsSlotBack() {
        OriginLimiter limiter = limiter(null, "1");
        limiter.acquire(
                permit -> {
                    throw new IllegalStateException("could not start");
                },
                () -> {});
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        ask(limiter, 1, admitted);
        soon().until(() -> admitted.size() == 1);
        admitted.peek().permit().release();
        assertThat(limiter.inFlight()).isZero();
    }

    // ---- pauses

    @Test
    void aPauseOfTwoSecondsAdmitsNobodyForTwoSeconds() {
        OriginLimiter limiter = limiter("100/s burst 10", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        long pausedAt = System.nanoTime();
        Instant until = Instant.now().plusSeconds(2);
        assertThat(limiter.pauseUntil(until)).isTrue();
        for (int i = 0; i < 5; i++) {
            ask(limiter, i, admitted);
        }
        assertThat(limiter.pausedUntil()).isEqualTo(until);
        assertThat(limiter.waiting()).isEqualTo(5);
        assertThat(scheduler.pendingTimers())
                .as("one wake-up, at the pause's end")
                .isEqualTo(1);

        soon().until(() -> admitted.size() == 5);
        admitted.forEach(a -> a.permit().release());
        // the pause's end in nanoTime comes from a wall-clock instant read just after pausedAt: 20 ms for the reads
        admitted.forEach(a -> assertThat(Duration.ofNanos(a.permit().admittedNanos() - pausedAt))
                .isGreaterThanOrEqualTo(Duration.ofMillis(1980)));
        assertThat(numbers(admitted)).containsExactly(0, 1, 2, 3, 4);
        assertThat(limiter.pausedUntil()).as("over").isNull();
    }

    @Test
    void callsWaitingKeepTheirPlaceAcrossAPauseAndLaterCallsQueueBehindThem() {
        OriginLimiter limiter = limiter("20/s", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 10; i++) {
            ask(limiter, i, admitted);
        }
        soon().until(() -> admitted.size() >= 2);
        long pausedAt = System.nanoTime();
        limiter.pauseUntil(Instant.now().plusMillis(600));
        int beforePause = admitted.size();
        for (int i = 10; i < 15; i++) {
            ask(limiter, i, admitted);
        }
        soon().until(() -> admitted.size() == 15);
        admitted.forEach(a -> a.permit().release());
        assertThat(numbers(admitted)).isEqualTo(upTo(15));
        // none admitted inside the pause (20 ms for the clock reads on either side)
        long pauseStart = pausedAt + TimeUnit.MILLISECONDS.toNanos(20);
        long pauseEnd = pausedAt + TimeUnit.MILLISECONDS.toNanos(580);
        assertThat(admitted)
                .noneMatch(a ->
                        a.permit().admittedNanos() > pauseStart && a.permit().admittedNanos() < pauseEnd);
        assertThat(admitted.stream()
                        .skip(beforePause + 1)
                        .findFirst()
                        .orElseThrow()
                        .permit()
                        .admittedNanos())
                .as("the head waited out the pause")
                .isGreaterThanOrEqualTo(pauseEnd);
    }

    @Test
    void laterPausesExtendEarlierOnesDoNotShortenAndOnlyLocalOnesArePublished() {
        List<Instant> published = new CopyOnWriteArrayList<>();
        OriginLimiter limiter = limiter("10/s", null, (origin, until) -> {
            assertThat(origin).isEqualTo(ORIGIN);
            published.add(until);
        });
        Instant now = Instant.now();
        assertThat(limiter.pauseUntil(now.plusSeconds(30))).isTrue();
        assertThat(limiter.pauseUntil(now.plusSeconds(10)))
                .as("earlier: no change")
                .isFalse();
        assertThat(limiter.pausedUntil()).isEqualTo(now.plusSeconds(30));
        assertThat(limiter.pauseUntil(now.plusSeconds(60))).isTrue();
        for (int i = 0; i < 20_000; i++) {
            // the same instant again, as every call answered by the same 429 reports it: never news (the instant is
            // mapped onto nanoTime afresh each time, which once made it look later by the clocks' jitter)
            assertThat(limiter.pauseUntil(now.plusSeconds(60))).isFalse();
        }
        assertThat(limiter.applyRemotePause(now.plusSeconds(90)))
                .as("a remote pause extends too")
                .isTrue();
        assertThat(limiter.applyRemotePause(now.plusSeconds(45))).isFalse();
        assertThat(limiter.pauseUntil(now.minusSeconds(1)))
                .as("a pause gone by")
                .isFalse();
        assertThat(limiter.pausedUntil()).isEqualTo(now.plusSeconds(90));
        assertThat(published)
                .as("local pauses that extended, never the remote one")
                .containsExactly(now.plusSeconds(30), now.plusSeconds(60));
        assertThat(scheduler.pendingTimers())
                .as("nobody waits: nothing scheduled")
                .isZero();
    }

    // ---- cancellation

    @Test
    void aCancelledWaiterLeavesNoWakeUpAndTakesNoToken() {
        OriginLimiter limiter = limiter("1/h burst 2", "1");
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        ask(limiter, 0, admitted);
        soon().until(() -> admitted.size() == 1);
        assertThat(limiter.availableTokens()).isEqualTo(1);

        Ticket waitingForASlot = ask(limiter, 1, admitted);
        assertThat(waitingForASlot.isWaiting()).isTrue();
        assertThat(waitingForASlot.cancel()).isTrue();
        assertThat(waitingForASlot.cancel()).as("once").isFalse();
        assertThat(waitingForASlot.isWaiting()).isFalse();
        assertThat(limiter.waiting()).isZero();
        assertThat(limiter.availableTokens()).as("no token taken").isEqualTo(1);

        admitted.peek().permit().release();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.availableTokens())
                .as("nobody was admitted in its place")
                .isEqualTo(1);
        ask(limiter, 2, admitted); // takes the last token
        soon().until(() -> admitted.size() == 2);
        admitted.forEach(a -> a.permit().release());

        Ticket waitingForAToken = ask(limiter, 3, admitted); // the next token is an hour away
        assertThat(scheduler.pendingTimers()).as("its wake-up").isEqualTo(1);
        assertThat(waitingForAToken.cancel()).isTrue();
        assertThat(scheduler.pendingTimers()).as("the scheduler queue, at once").isZero();
        assertThat(limiter.scheduledWakeUps()).isZero();
        assertThat(waitingForAToken.waited()).isPositive();
        assertThat(numbers(admitted)).containsExactly(0, 2);
    }

    @Test
    void aCancelledWaiterInAPauseLeavesNoWakeUpAndTheOthersKeepTheirs() {
        OriginLimiter limiter = limiter("10/s", null);
        limiter.pauseUntil(Instant.now().plusSeconds(3600));
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        Ticket first = ask(limiter, 0, admitted);
        Ticket second = ask(limiter, 1, admitted);
        assertThat(first.cancel()).isTrue();
        assertThat(scheduler.pendingTimers())
                .as("the second still waits for the pause's end")
                .isEqualTo(1);
        assertThat(second.cancel()).isTrue();
        assertThat(scheduler.pendingTimers()).isZero();
        assertThat(limiter.waiting()).isZero();
        assertThat(admitted).isEmpty();
    }

    @Test
    void cancelAndAdmissionRacingSettleOneWayOnly() throws Exception {
        OriginLimiter limiter = limiter(null, "1");
        ExecutorService racer = Executors.newSingleThreadExecutor();
        try {
            for (int round = 0; round < 300; round++) {
                ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
                ask(limiter, 0, admitted);
                soon().until(() -> admitted.size() == 1);
                Ticket waiter = ask(limiter, 1, admitted);
                Permit holder = admitted.peek().permit();
                var release = racer.submit(holder::release);
                boolean cancelled = waiter.cancel();
                release.get(10, TimeUnit.SECONDS);
                if (cancelled) {
                    assertThat(limiter.inFlight()).isZero();
                } else {
                    soon().until(() -> admitted.size() == 2);
                }
                // the callback delivers a permit only to a waiter that was not cancelled
                assertThat(admitted).hasSize(cancelled ? 1 : 2);
                admitted.forEach(a -> a.permit().release());
                assertThat(limiter.inFlight()).isZero();
                assertThat(limiter.waiting()).isZero();
            }
        } finally {
            racer.shutdownNow();
        }
    }

    // ---- the cluster share

    @Test
    void aShareOfTwoHalvesTheRate() {
        OriginLimiter limiter = limiter("20/s", null);
        limiter.setShare(2);
        assertThat(limiter.effective()).hasToString("rateLimit=20/2s");
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 11; i++) {
            ask(limiter, i, admitted);
        }
        soon().until(() -> admitted.size() == 11);
        admitted.forEach(a -> a.permit().release());
        // 10 tokens after the first at 10/s, not 20/s: 1 s rather than 0.5 s (20 ms for clock reads)
        assertThat(span(admitted)).isGreaterThanOrEqualTo(Duration.ofMillis(980));
        assertThat(mostInAnyWindow(admitted, Duration.ofSeconds(1))).isLessThanOrEqualTo(11);
        assertThat(numbers(admitted)).isEqualTo(upTo(11));
    }

    @Test
    void aShareChangedWhileCallsWaitKeepsThemAndTheirOrder() {
        OriginLimiter limiter = limiter("20/s", "4");
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 20; i++) {
            int number = i;
            limiter.acquire(
                    permit -> {
                        admitted.add(new Admission(number, permit));
                        releases.schedule(permit::release, 5, TimeUnit.MILLISECONDS);
                    },
                    () -> {
                        throw new AssertionError("abandoned");
                    });
        }
        soon().until(() -> admitted.size() >= 3);
        limiter.setShare(4);
        assertThat(limiter.effective()).hasToString("rateLimit=20/4s, maxConcurrent=1");
        soon().until(() -> admitted.size() >= 6);
        limiter.setShare(1);
        soon().until(() -> admitted.size() == 20);
        assertThat(numbers(admitted)).isEqualTo(upTo(20));
        soon().until(() -> limiter.inFlight() == 0);
    }

    // ---- figures and stop

    @Test
    void idleFiguresAreZeroAndTheBucketFull() {
        OriginLimiter limiter = limiter("50/s burst 3", "2");
        assertThat(limiter.waiting()).isZero();
        assertThat(limiter.inFlight()).isZero();
        assertThat(limiter.scheduledWakeUps()).isZero();
        assertThat(limiter.totalWaited()).isZero();
        assertThat(limiter.pausedUntil()).isNull();
        assertThat(limiter.availableTokens()).isEqualTo(3);

        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        for (int i = 0; i < 10; i++) {
            limiter.acquire(
                    permit -> {
                        admitted.add(new Admission(admitted.size(), permit));
                        releases.schedule(permit::release, 3, TimeUnit.MILLISECONDS);
                    },
                    () -> {});
        }
        soon().until(() -> admitted.size() == 10);
        soon().untilAsserted(() -> {
            assertThat(limiter.waiting()).isZero();
            assertThat(limiter.inFlight()).isZero();
            assertThat(limiter.scheduledWakeUps()).isZero();
            assertThat(scheduler.pendingTimers()).isZero();
            assertThat(limiter.pausedUntil()).isNull();
            assertThat(limiter.availableTokens()).as("refilled to the burst").isEqualTo(3);
        });
        assertThat(limiter.totalWaited()).as("a counter: what the calls waited").isPositive();
        assertThat(limiter.admitted()).isEqualTo(10);
    }

    @Test
    void closingAbandonsTheWaitersAndEveryLaterCall() {
        OriginLimiter limiter = limiter("1/h", null);
        ConcurrentLinkedQueue<Admission> admitted = new ConcurrentLinkedQueue<>();
        List<Integer> abandoned = new CopyOnWriteArrayList<>();
        for (int i = 0; i < 3; i++) {
            int number = i;
            limiter.acquire(permit -> admitted.add(new Admission(number, permit)), () -> abandoned.add(number));
        }
        soon().until(() -> admitted.size() == 1);
        limiter.close();
        assertThat(abandoned).containsExactly(1, 2);
        assertThat(scheduler.pendingTimers()).isZero();
        limiter.acquire(permit -> admitted.add(new Admission(3, permit)), () -> abandoned.add(3));
        assertThat(abandoned).containsExactly(1, 2, 3);
        assertThat(admitted.peek().permit().release())
                .as("a permit out still goes back")
                .isTrue();
        assertThat(limiter.inFlight()).isZero();
    }
}
