package dev.workflowhttp.component;

import dev.workflowhttp.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Locale;

/** The range checks the option setters share; each refusal names the option and the value. */
final class OptionChecks {

    private OptionChecks() {}

    static Duration notNegative(String option, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' is negative", option, Durations.format(value)));
        }
        return value;
    }

    /** {@code value}, case ignored, when it is one of {@code allowed}. */
    static String oneOf(String option, String value, String... allowed) {
        String lower = required(option, value).trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(lower)) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected %s)", option, value, String.join(" or ", allowed)));
        }
        return lower;
    }

    static <T> T required(String option, T value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        return value;
    }

    static long inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%d' (expected a whole number from %d to %d)",
                    option, value, min, max));
        }
        return value;
    }

    /** The text trimmed, or null when there is none. */
    static String trimmed(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
