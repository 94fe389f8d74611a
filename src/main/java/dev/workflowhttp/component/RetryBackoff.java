package dev.workflowhttp.component;

import dev.workflowhttp.Durations;
import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff between attempts, written {@code initial/multiplier/max} ({@code 500ms/2/10s}). Each wait is
 * jittered down by up to half, so that many workflows failing together do not retry together.
 */
public record RetryBackoff(Duration initial, double multiplier, Duration max) {

    public static RetryBackoff parse(String option, String text) {
        String[] parts = text.trim().split("/");
        if (parts.length != 3) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected initial/multiplier/max, e.g. 500ms/2/10s)",
                    option, text));
        }
        Duration initial = Durations.parse(option, parts[0]);
        Duration max = Durations.parse(option, parts[2]);
        double multiplier;
        try {
            multiplier = Double.parseDouble(parts[1].trim());
        } catch (NumberFormatException e) {
            multiplier = -1;
        }
        if (multiplier < 1 || max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (the multiplier must be at least 1 and max at least initial)",
                    option, text));
        }
        return new RetryBackoff(initial, multiplier, max);
    }

    /** The wait before retry number {@code retry} (1 for the first retry), jitter included. */
    public Duration delayBefore(int retry) {
        double millis = initial.toMillis() * Math.pow(multiplier, retry - 1);
        long capped = (long) Math.min(millis, max.toMillis());
        return Duration.ofMillis(capped / 2 + ThreadLocalRandom.current().nextLong(capped / 2 + 1));
    }

    @Override
    public String toString() {
        return Durations.format(initial) + "/" + multiplier + "/" + Durations.format(max);
    }
}
