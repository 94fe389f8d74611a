package dev.workflowhttp.internal.limit;

import java.time.Instant;
import org.apache.hc.client5.http.utils.DateUtils;

/**
 * Reads a 429 or 503 response's {@code Retry-After} (RFC 9110, 10.2.3): a number of seconds or an HTTP date.
 */
public final class RetryAfter {

    /** Digits beyond this many are read as "longer than any deadline" rather than parsed. */
    private static final int MAX_DIGITS = 12;

    private RetryAfter() {}

    /**
     * Until when the server asks its clients to wait, no later than {@code cap} (the deadline of the call that got
     * the answer; null: no cap).
     *
     * @param value the header's value, or null
     * @param now   the instant the answer arrived
     * @return the instant, or null when the header is absent, unreadable, or asks for no wait at all
     */
    public static Instant pauseUntil(String value, Instant now, Instant cap) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String text = value.trim();
        Instant until;
        if (text.chars().allMatch(c -> c >= '0' && c <= '9')) {
            if (text.length() > MAX_DIGITS) {
                until = cap; // more seconds than anyone waits: as long as allowed
            } else {
                until = now.plusSeconds(Long.parseLong(text));
            }
        } else {
            until = DateUtils.parseStandardDate(text);
        }
        if (until == null) {
            return null;
        }
        if (cap != null && until.isAfter(cap)) {
            until = cap;
        }
        return until.isAfter(now) ? until : null;
    }
}
