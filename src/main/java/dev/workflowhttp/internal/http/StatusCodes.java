package dev.workflowhttp.internal.http;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * A set of HTTP status codes written as ranges and single codes: {@code 200-299,304}.
 */
public final class StatusCodes {

    private final String text;
    private final int[] ranges;

    private StatusCodes(String text, int[] ranges) {
        this.text = text;
        this.ranges = ranges;
    }

    /**
     * @throws IllegalArgumentException naming the option and the value when the text is not a list of codes
     */
    public static StatusCodes parse(String option, String text) {
        List<int[]> parsed = new ArrayList<>();
        String trimmed = text == null ? "" : text.trim();
        if (trimmed.isEmpty()) {
            throw invalid(option, text);
        }
        // -1: an empty item at the end is refused like one in the middle, not dropped
        for (String part : trimmed.split(",", -1)) {
            String item = part.trim();
            int dash = item.indexOf('-');
            try {
                int low = Integer.parseInt((dash < 0 ? item : item.substring(0, dash)).trim());
                int high = dash < 0
                        ? low
                        : Integer.parseInt(item.substring(dash + 1).trim());
                if (low < 100 || high > 599 || low > high) {
                    throw invalid(option, text);
                }
                parsed.add(new int[] {low, high});
            } catch (NumberFormatException e) {
                throw invalid(option, text);
            }
        }
        int[] flat = new int[parsed.size() * 2];
        for (int i = 0; i < parsed.size(); i++) {
            flat[2 * i] = parsed.get(i)[0];
            flat[2 * i + 1] = parsed.get(i)[1];
        }
        return new StatusCodes(trimmed, flat);
    }

    private static IllegalArgumentException invalid(String option, String text) {
        return new IllegalArgumentException(String.format(
                "Invalid value for option %s: '%s' (expected codes and ranges between 100 and 599, e.g. 200-299,304)",
                option, text));
    }

    /** These codes and {@code code}. */
    public StatusCodes with(int code) {
        if (contains(code)) {
            return this;
        }
        int[] more = Arrays.copyOf(ranges, ranges.length + 2);
        more[ranges.length] = code;
        more[ranges.length + 1] = code;
        return new StatusCodes(text + "," + code, more);
    }

    public boolean contains(int code) {
        for (int i = 0; i < ranges.length; i += 2) {
            if (code >= ranges[i] && code <= ranges[i + 1]) {
                return true;
            }
        }
        return false;
    }

    @Override
    public String toString() {
        return text;
    }
}
