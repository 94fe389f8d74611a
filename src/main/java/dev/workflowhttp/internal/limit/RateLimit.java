package dev.workflowhttp.internal.limit;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A rate written {@code <count>/<unit>}, unit {@code s}, {@code m}, {@code h} or {@code d} ({@code 10/s},
 * {@code 600/m}, {@code 5000/h}), optionally followed by {@code burst <n>} ({@code 10/s burst 20}).
 * <p>
 * It is a token bucket: {@code count} tokens come back per {@code unit}, one at a time, evenly spaced (one every
 * 100 ms for {@code 10/s}), and the bucket holds at most {@code burst} of them; a call takes one.
 * <b>The burst is 1 unless written</b>: calls are then evenly spaced, and no window of one unit's length sees more
 * than {@code count} calls, so a server that counts in sliding windows of that length is never over its limit. With
 * {@code burst b}, up to {@code b} calls go at once after a quiet spell, and a window of length {@code t} sees at most
 * {@code b + count × t / unit} calls (at most {@code b − 1} above {@code count} in one unit's length).
 *
 * @param count  tokens per unit, at least 1
 * @param unit   the unit's length: 1 s, 1 min, 1 h or 1 day
 * @param burst  the bucket's capacity, at least 1
 */
public record RateLimit(long count, Duration unit, long burst) {

    private static final Pattern SYNTAX =
            Pattern.compile("(\\d{1,12})\\s*/\\s*([smhd])(?:\\s+burst\\s+(\\d{1,12}))?", Pattern.CASE_INSENSITIVE);
    private static final String EXPECTED = "expected <count>/<unit> with unit s, m, h or d, e.g. 10/s, 600/m, "
            + "5000/h, optionally followed by 'burst <n>', e.g. 10/s burst 20";

    public RateLimit {
        if (count < 1 || burst < 1 || unit == null || unit.isNegative() || unit.isZero()) {
            throw new IllegalArgumentException(String.format(
                    "Invalid rate: %d per %s with burst %d (the count and the burst must be at least 1)",
                    count, unit, burst));
        }
    }

    /**
     * Reads the option's text.
     *
     * @throws IllegalArgumentException naming the option, the value and the expected form
     */
    public static RateLimit parse(String option, String text) {
        Matcher m = SYNTAX.matcher(text == null ? "" : text.trim());
        if (!m.matches()) {
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' (%s)", option, text, EXPECTED));
        }
        long count = Long.parseLong(m.group(1));
        long burst = m.group(3) == null ? 1 : Long.parseLong(m.group(3));
        if (count < 1 || burst < 1) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (the count and the burst must be at least 1; %s)",
                    option, text, EXPECTED));
        }
        Duration unit = switch (m.group(2).toLowerCase(Locale.ROOT)) {
            case "s" -> Duration.ofSeconds(1);
            case "m" -> Duration.ofMinutes(1);
            case "h" -> Duration.ofHours(1);
            default -> Duration.ofDays(1);
        };
        return new RateLimit(count, unit, burst);
    }

    /**
     * This instance's part of a rate shared by {@code members} instances: the same count over {@code members} units
     * (so the members' rates add up to this rate exactly, never more), and {@code burst / members} rounded down, at
     * least 1 (the bursts add up to at most this burst while there are no more members than the burst; beyond that
     * each member still holds one token).
     */
    public RateLimit share(int members) {
        if (members < 1) {
            throw new IllegalArgumentException("A limit is shared by at least one member, not " + members);
        }
        if (members == 1) {
            return this;
        }
        return new RateLimit(count, unit.multipliedBy(members), Math.max(1, burst / members));
    }

    /** Whether both let the same calls through: the same tokens per second and the same burst. */
    public boolean sameAs(RateLimit other) {
        return other != null
                && burst == other.burst
                && count * other.unit.toSeconds() == other.count * unit.toSeconds();
    }

    /** Calls per second, for figures and messages. */
    public double perSecond() {
        return count / (unit.toNanos() / 1e9);
    }

    /** The form it is written in: {@code 10/s}, {@code 10/s burst 20}; a share reads {@code 10/3s}. */
    @Override
    public String toString() {
        long seconds = unit.toSeconds();
        String written = seconds == 1
                ? "s"
                : seconds == 60 ? "m" : seconds == 3600 ? "h" : seconds == 86400 ? "d" : seconds + "s";
        return count + "/" + written + (burst == 1 ? "" : " burst " + burst);
    }
}
