package dev.workflowhttp.internal.limit;

/**
 * The limits declared for one origin: a rate ({@code rateLimit}), calls in flight ({@code maxConcurrent}), or both.
 *
 * @param rate          the rate, or {@code null} for none
 * @param maxConcurrent calls in flight at most, or 0 for no limit
 */
public record LimitSpec(RateLimit rate, int maxConcurrent) {

    /**
     * No rate and no slots: what an origin nobody declared a limit for gets when its server first asks to pause
     * (429 or 503 with {@code Retry-After}), so that its pauses pause it too. Options never declare it:
     * {@link #parse} refuses a limit with neither option.
     */
    private static final LimitSpec PAUSE_ONLY = new LimitSpec(null, 0);

    public LimitSpec {
        if (maxConcurrent < 0) {
            throw new IllegalArgumentException("Invalid value for option maxConcurrent: '" + maxConcurrent
                    + "' (expected a positive whole number of calls in flight, e.g. 3)");
        }
    }

    /** Pauses only: every call goes at once unless the origin is paused. */
    public static LimitSpec pauseOnly() {
        return PAUSE_ONLY;
    }

    /** Whether this limits nothing but the server's pauses ({@link #pauseOnly()}). */
    public boolean isPauseOnly() {
        return rate == null && maxConcurrent == 0;
    }

    /**
     * Reads the two options' texts, either of which may be null or blank (not set), not both.
     *
     * @throws IllegalArgumentException naming the option, the value and the expected form
     */
    public static LimitSpec parse(String rateLimit, String maxConcurrent) {
        RateLimit rate = rateLimit == null || rateLimit.isBlank() ? null : RateLimit.parse("rateLimit", rateLimit);
        int concurrent = maxConcurrent == null || maxConcurrent.isBlank()
                ? 0
                : parseMaxConcurrent("maxConcurrent", maxConcurrent);
        if (rate == null && concurrent == 0) {
            throw new IllegalArgumentException("A limit needs rateLimit, maxConcurrent or both");
        }
        return new LimitSpec(rate, concurrent);
    }

    /** A positive whole number. */
    public static int parseMaxConcurrent(String option, String text) {
        int value;
        try {
            value = Integer.parseInt(text.trim());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 1) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected a positive "
                            + "whole number of calls in flight to the origin, e.g. 3)",
                    option, text));
        }
        return value;
    }

    /** This instance's part when {@code members} instances share the limit (see {@link RateLimit#share(int)}). */
    public LimitSpec share(int members) {
        return new LimitSpec(
                rate == null ? null : rate.share(members),
                maxConcurrent == 0 ? 0 : Math.max(1, maxConcurrent / members));
    }

    /** Whether both let the same calls through ({@code 10/s} is {@code 600/m}). */
    public boolean sameAs(LimitSpec other) {
        return other != null
                && maxConcurrent == other.maxConcurrent
                && (rate == null ? other.rate == null : rate.sameAs(other.rate));
    }

    /** As written in options: {@code rateLimit=10/s, maxConcurrent=3}. */
    @Override
    public String toString() {
        if (isPauseOnly()) {
            return "no limit (pauses only)";
        }
        StringBuilder text = new StringBuilder();
        if (rate != null) {
            text.append("rateLimit=").append(rate);
        }
        if (maxConcurrent > 0) {
            text.append(text.isEmpty() ? "" : ", ").append("maxConcurrent=").append(maxConcurrent);
        }
        return text.toString();
    }
}
