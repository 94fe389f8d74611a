package dev.workflowhttp;

import java.time.Duration;
import java.util.Locale;
import java.util.regex.Pattern;
import org.apache.camel.util.TimeUtils;

/**
 * Durations as the step reads and writes them: Camel's duration syntax in (the {@code timeout} options, the
 * {@code CamelWorkflowHttpTimeout} header, {@link WorkflowDeadline#within}), and the short form its messages print.
 */
public final class Durations {

    /** What TimeUtils reads correctly; it reads other text leniently ("banana" or "5S" as 0, "1h30" as 1h). */
    private static final Pattern SYNTAX = Pattern.compile("\\d+|(\\d+(ms|d|h|m|s))+");

    private Durations() {}

    /**
     * Parses Camel's duration syntax ({@code 500ms}, {@code 30s}, {@code 1h}, {@code 1m30s}) or plain milliseconds.
     *
     * @throws IllegalArgumentException naming the option and the value when it is not a duration or is negative
     */
    public static Duration parse(String option, Object value) {
        if (value instanceof Duration duration) {
            return requireNotNegative(option, value, duration);
        }
        if (value instanceof Number number) {
            return requireNotNegative(option, value, Duration.ofMillis(number.longValue()));
        }
        String text = String.valueOf(value).trim();
        if (text.startsWith("-")) {
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' is negative", option, text));
        }
        long millis;
        try {
            String lower = text.toLowerCase(Locale.ROOT);
            if (!SYNTAX.matcher(lower).matches()) {
                throw new IllegalArgumentException("not a duration");
            }
            millis = TimeUtils.toMilliSeconds(lower);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    String.format(
                            "Invalid value for option %s: '%s' is not a duration (use e.g. 500ms, 30s, 5m, 1h, or milliseconds)",
                            option, text),
                    e);
        }
        return requireNotNegative(option, value, Duration.ofMillis(millis));
    }

    private static Duration requireNotNegative(String option, Object value, Duration duration) {
        if (duration.isNegative()) {
            throw new IllegalArgumentException(
                    String.format("Invalid value for option %s: '%s' is negative", option, value));
        }
        return duration;
    }

    /** A short human form: {@code 250ms}, {@code 1.5s}, {@code 2m5s}. */
    public static String format(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000) {
            return millis + "ms";
        }
        if (millis < 60_000) {
            return millis % 1000 == 0 ? (millis / 1000) + "s" : String.format(Locale.ROOT, "%.3fs", millis / 1000.0);
        }
        return TimeUtils.printDuration(millis, true);
    }
}
