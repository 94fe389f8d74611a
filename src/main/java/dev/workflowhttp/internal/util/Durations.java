package dev.workflowhttp.internal.util;

import java.time.Duration;

/**
 * The component package's name for {@link dev.workflowhttp.Durations}, which holds the code: the public package
 * reads and prints durations itself and may not import {@code internal}. New code imports the public class.
 */
public final class Durations {

    private Durations() {
    }

    /** See {@link dev.workflowhttp.Durations#parse(String, Object)}. */
    public static Duration parse(String option, Object value) {
        return dev.workflowhttp.Durations.parse(option, value);
    }

    /** See {@link dev.workflowhttp.Durations#format(Duration)}. */
    public static String format(Duration duration) {
        return dev.workflowhttp.Durations.format(duration);
    }
}
