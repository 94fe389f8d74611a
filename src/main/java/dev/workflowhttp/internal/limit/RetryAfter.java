package dev.workflowhttp.internal.limit;

import java.time.Duration;
import java.time.Instant;
import org.apache.hc.client5.http.utils.DateUtils;

/**
 * Reads a 429 or 503 response's {@code Retry-After} (RFC 9110, 10.2.3): a number of seconds or an HTTP date.
 */
public final class RetryAfter {

    /** Digits beyond this many are read as "longer than any deadline" rather than parsed. */
    private static final int MAX_DIGITS = 12;

    /** What more than {@link #MAX_DIGITS} digits of seconds stand for: a wait no deadline reaches. */
    public static final Duration LONGER_THAN_ANY_DEADLINE = Duration.ofSeconds(999_999_999_999L);

    private RetryAfter() {}

    /**
     * How long the server asks to wait from {@code now}: null when the header is absent or unreadable, zero for a date
     * already past, and {@link #LONGER_THAN_ANY_DEADLINE} for more seconds than can be read.
     */
    public static Duration delay(String value, Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            return text.length() > MAX_DIGITS ? LONGER_THAN_ANY_DEADLINE : Duration.ofSeconds(Long.parseLong(text));
        }
        Instant when = DateUtils.parseStandardDate(text);
        if (when == null) {
            return null;
        }
        Duration wait = Duration.between(now, when);
        return wait.isNegative() ? Duration.ZERO : wait;
    }

    /**
     * Until when the server asks its clients to wait, no later than {@code cap} (the deadline of the call that got
     * the answer; null: no cap).
     *
     * @param value the header's value, or null
     * @param now   the instant the answer arrived
     * @return the instant, or null when the header is absent, unreadable, or asks for no wait at all
     */
    public static Instant pauseUntil(String value, Instant now, Instant cap) {
        Duration wait = delay(value, now);
        if (wait == null) {
            return null;
        }
        Instant until = wait.equals(LONGER_THAN_ANY_DEADLINE) ? cap : now.plus(wait);
        if (until == null) {
            return null;
        }
        if (cap != null && until.isAfter(cap)) {
            until = cap;
        }
        return until.isAfter(now) ? until : null;
    }
}
