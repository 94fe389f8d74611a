package dev.workflowhttp;

import java.util.Locale;

/**
 * How the step hands on the response body.
 */
public enum BodyMode {
    /** The body is read whole, inside the deadline, before the route goes on: a {@code byte[]}. */
    MATERIALIZE,
    /** The route goes on at the headers with an {@code InputStream} still bound to the deadline. */
    STREAM;

    public static BodyMode parse(String option, Object value) {
        String text = String.valueOf(value).trim();
        for (BodyMode mode : values()) {
            if (mode.name().equalsIgnoreCase(text)) {
                return mode;
            }
        }
        throw new IllegalArgumentException(
                String.format("Invalid value for option %s: '%s' (expected materialize or stream)", option, text));
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
