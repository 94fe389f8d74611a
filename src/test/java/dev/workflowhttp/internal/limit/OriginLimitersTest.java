package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.internal.scope.DeadlineScheduler;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** One limiter per origin in a component: shared by its declarations, refused when they disagree. */
class OriginLimitersTest {

    private static final Origin API = Origin.parse("https://api.example.com");

    private final DeadlineScheduler scheduler = new DeadlineScheduler("limits-test");
    private final ExecutorService callbacks = Executors.newSingleThreadExecutor();
    private final OriginLimiters limits = new OriginLimiters(scheduler, callbacks);

    @AfterEach
    void close() throws Exception {
        limits.close();
        assertThat(scheduler.pendingTimers()).isZero();
        callbacks.shutdown();
        assertThat(callbacks.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
        scheduler.close();
    }

    @Test
    void endpointsOfOneOriginShareOneLimiter() {
        OriginLimiter first =
                limits.declare(API, LimitSpec.parse("10/s", "3"), "workflow-http:https://api.example.com/a");
        OriginLimiter second = limits.declare(
                Origin.parse("HTTPS://API.example.com:443/b"),
                LimitSpec.parse("600/m", "3"),
                "workflow-http:https://api.example.com/b");
        assertThat(second).isSameAs(first);
        assertThat(limits.limiter(API)).isSameAs(first);
        assertThat(limits.limiter(Origin.parse("http://api.example.com")))
                .as("another scheme")
                .isNull();
        assertThat(limits.limiters()).containsExactly(first);
    }

    @Test
    void aPauseOfAnUndeclaredOriginGivesItALimiterOfPausesOnlyThatALaterDeclarationSets() {
        assertThat(limits.limiter(API)).isNull();
        assertThat(limits.pauseUntil(API, Instant.now().plusSeconds(30))).isTrue();
        OriginLimiter pauses = limits.limiter(API);
        assertThat(pauses.declared().isPauseOnly()).isTrue();
        assertThat(pauses.pausedUntil()).isNotNull();
        List<Permit> admitted = new CopyOnWriteArrayList<>();
        Ticket waiting = pauses.acquire(admitted::add, () -> {});
        assertThat(waiting.isWaiting())
                .as("paused: even a call with no limit waits")
                .isTrue();
        assertThat(waiting.cancel()).isTrue();

        OriginLimiter declared =
                limits.declare(API, LimitSpec.parse("10/s", null), "workflow-http:https://api.example.com/a");
        assertThat(declared).isSameAs(pauses);
        assertThat(declared.declared()).hasToString("rateLimit=10/s");
        assertThat(declared.pausedUntil()).as("the pause stays").isNotNull();
    }

    @Test
    void aLimitWithNeitherOptionIsRefused() {
        assertThatThrownBy(() -> LimitSpec.parse(" ", null)).hasMessageContaining("needs rateLimit, maxConcurrent");
    }

    @Test
    void twoDifferentLimitsForOneOriginAreRefusedNamingBoth() {
        limits.declare(API, LimitSpec.parse("10/s", null), "workflow-http:https://api.example.com/a?key=xxxxxx");
        assertThatThrownBy(() ->
                        limits.declare(API, LimitSpec.parse("20/s", "3"), "workflow-http:https://api.example.com/b"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Conflicting limits for origin https://api.example.com:443")
                .hasMessageContaining("rateLimit=10/s declared by workflow-http:https://api.example.com/a?key=xxxxxx")
                .hasMessageContaining(
                        "rateLimit=20/s, maxConcurrent=3 declared by workflow-http:https://api.example.com/b");
        assertThat(limits.limiter(API).declared()).hasToString("rateLimit=10/s");
    }

    @Test
    void onceEveryDeclarationIsWithdrawnAnotherLimitMayReplaceIt() {
        OriginLimiter limiter = limits.declare(API, LimitSpec.parse("10/s", null), "route a");
        limits.declare(API, LimitSpec.parse("10/s", null), "route b");
        limits.withdraw(API, "route a");
        assertThatThrownBy(() -> limits.declare(API, LimitSpec.parse("5/s", null), "route c"))
                .hasMessageContaining("declared by route b");
        limits.withdraw(API, "route b");
        assertThat(limits.declare(API, LimitSpec.parse("5/s", null), "route c")).isSameAs(limiter);
        assertThat(limiter.declared()).hasToString("rateLimit=5/s");
    }

    @Test
    void theShareAppliesToLimitersPresentAndFuture() {
        OriginLimiter before = limits.declare(API, LimitSpec.parse("10/s burst 4", "4"), "a");
        limits.setShare(2);
        OriginLimiter after = limits.declare(Origin.parse("http://127.0.0.1:9"), LimitSpec.parse("10/s", null), "b");
        assertThat(before.effective()).hasToString("rateLimit=10/2s burst 2, maxConcurrent=2");
        assertThat(after.effective()).hasToString("rateLimit=10/2s");
        assertThat(before.declared()).hasToString("rateLimit=10/s burst 4, maxConcurrent=4");
        assertThatThrownBy(() -> limits.setShare(0)).hasMessageContaining("at least one member");
    }

    @Test
    void pausesLearnedHereArePublishedAndRemoteOnesAppliedWithoutEcho() {
        List<String> published = new CopyOnWriteArrayList<>();
        limits.setPauseListener((origin, until) -> published.add(origin + " until " + until));
        OriginLimiter limiter = limits.declare(API, LimitSpec.parse("10/s", null), "a");
        Instant until = Instant.now().plusSeconds(60);

        assertThat(limits.pauseUntil(API, until)).isTrue();
        assertThat(limits.pauseUntil(API, until)).as("the same again: no news").isFalse();
        assertThat(limits.applyRemotePause(API, until.plusSeconds(5))).isTrue();
        assertThat(limits.pauseUntil(Origin.parse("http://elsewhere.example.com"), until))
                .as("no limits there: paused all the same")
                .isTrue();

        assertThat(published)
                .containsExactly(
                        "https://api.example.com:443 until " + until, "http://elsewhere.example.com:80 until " + until);
        assertThat(limiter.pausedUntil()).isEqualTo(until.plusSeconds(5));
    }

    @Test
    void theLeakFiguresAddUpEveryOriginAndComeBackToZero() {
        OriginLimiter slow = limits.declare(API, LimitSpec.parse("1/h", null), "a");
        OriginLimiter narrow = limits.declare(Origin.parse("http://127.0.0.1:9"), LimitSpec.parse(null, "1"), "b");
        List<Permit> permits = new CopyOnWriteArrayList<>();
        List<Ticket> tickets = List.of(
                slow.acquire(permits::add, () -> {}),
                slow.acquire(permits::add, () -> {}),
                narrow.acquire(permits::add, () -> {}),
                narrow.acquire(permits::add, () -> {}));
        org.awaitility.Awaitility.await().until(() -> permits.size() == 2);
        assertThat(limits.waiting()).isEqualTo(2);
        assertThat(limits.inFlight()).isEqualTo(2);
        assertThat(limits.scheduledWakeUps())
                .as("the slow origin's head; a wait for a slot schedules nothing")
                .isEqualTo(1);
        assertThat(scheduler.pendingTimers()).isEqualTo(1);

        tickets.forEach(Ticket::cancel);
        permits.forEach(Permit::release);
        assertThat(limits.waiting()).isZero();
        assertThat(limits.inFlight()).isZero();
        assertThat(limits.scheduledWakeUps()).isZero();
        assertThat(scheduler.pendingTimers()).isZero();
    }

    @Test
    void closedLimitsRefuseNewDeclarations() {
        limits.close();
        assertThatThrownBy(() -> limits.declare(API, LimitSpec.parse("10/s", null), "a"))
                .isInstanceOf(IllegalStateException.class);
    }
}
