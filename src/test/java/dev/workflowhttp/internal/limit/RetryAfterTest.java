package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;

/** Retry-After in seconds or as an HTTP date, never beyond the cap, nothing for what asks for no wait. */
class RetryAfterTest {

    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final Instant CAP = NOW.plusSeconds(30);

    @Test
    void secondsAndDatesUpToTheCap() {
        assertThat(RetryAfter.pauseUntil("2", NOW, CAP)).isEqualTo(NOW.plusSeconds(2));
        assertThat(RetryAfter.pauseUntil(" 120 ", NOW, CAP)).isEqualTo(CAP);
        assertThat(RetryAfter.pauseUntil("120", NOW, null)).isEqualTo(NOW.plusSeconds(120));
        assertThat(RetryAfter.pauseUntil("99999999999999999999999", NOW, CAP)).isEqualTo(CAP);
        assertThat(RetryAfter.pauseUntil("Sun, 01 Mar 2026 12:00:10 GMT", NOW, CAP))
                .isEqualTo(NOW.plusSeconds(10));
        assertThat(RetryAfter.pauseUntil("Sun, 01 Mar 2026 13:00:00 GMT", NOW, CAP))
                .isEqualTo(CAP);
    }

    @Test
    void nothingForNoWaitOrUnreadableText() {
        assertThat(RetryAfter.pauseUntil(null, NOW, CAP)).isNull();
        assertThat(RetryAfter.pauseUntil(" ", NOW, CAP)).isNull();
        assertThat(RetryAfter.pauseUntil("0", NOW, CAP)).isNull();
        assertThat(RetryAfter.pauseUntil("-5", NOW, CAP)).isNull();
        assertThat(RetryAfter.pauseUntil("soon", NOW, CAP)).isNull();
        assertThat(RetryAfter.pauseUntil("Sun, 01 Mar 2026 11:00:00 GMT", NOW, CAP))
                .as("a date gone by")
                .isNull();
        assertThat(RetryAfter.pauseUntil("5", NOW, NOW))
                .as("no time left before the cap")
                .isNull();
    }

    @Test
    void theDelayARetryWaits() {
        assertThat(RetryAfter.delay("5", NOW)).isEqualTo(Duration.ofSeconds(5));
        assertThat(RetryAfter.delay("Sun, 01 Mar 2026 12:00:10 GMT", NOW)).isEqualTo(Duration.ofSeconds(10));
        assertThat(RetryAfter.delay("Sun, 01 Mar 2026 11:00:00 GMT", NOW))
                .as("a date gone by")
                .isZero();
        assertThat(RetryAfter.delay("99999999999999999999999", NOW))
                .as("more digits than a long holds")
                .isEqualTo(RetryAfter.LONGER_THAN_ANY_DEADLINE);
        assertThat(RetryAfter.delay("soon", NOW)).isNull();
        assertThat(RetryAfter.delay(null, NOW)).isNull();
    }
}
