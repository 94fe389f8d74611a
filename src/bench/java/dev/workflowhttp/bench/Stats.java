package dev.workflowhttp.bench;

import java.util.List;
import java.util.Locale;

/** Medians, spreads and percentiles, and how the report prints them. */
final class Stats {

    private Stats() {}

    /** The value at percentile {@code p} (0..100) of sorted values, nearest rank. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double median(List<Double> values) {
        double[] sorted =
                values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
    }

    /**
     * A ratio against its target, as {@code 0.87x}; with three decimals when two would round a miss up to the target
     * ({@code 0.998x}, not {@code 1.00x}).
     */
    static String ratio(double ratio, double target) {
        String twoDecimals = String.format(Locale.ROOT, "%.2f", ratio);
        return ratio < target && Double.parseDouble(twoDecimals) >= target
                ? String.format(Locale.ROOT, "%.3fx", ratio)
                : twoDecimals + "x";
    }

    /** How far below its target a ratio is, as {@code 13%}, or {@code 0.2%} when under one percent. */
    static String shortfall(double ratio, double target) {
        double percent = (1 - ratio / target) * 100;
        return String.format(Locale.ROOT, percent < 1 ? "%.1f%%" : "%.0f%%", percent);
    }

    static double min(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).min().orElse(Double.NaN);
    }

    static double max(List<Double> values) {
        return values.stream().mapToDouble(Double::doubleValue).max().orElse(Double.NaN);
    }

    /** {@code median (min–max)}, or the one value alone. */
    static String spread(List<Double> values, String format) {
        String median = String.format(Locale.ROOT, format, median(values));
        if (values.size() < 2) {
            return median;
        }
        return median + " (" + String.format(Locale.ROOT, format, min(values)) + "–"
                + String.format(Locale.ROOT, format, max(values)) + ")";
    }

    static String f(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    static String mib(long bytes) {
        return f("%.1f MiB", bytes / (1024.0 * 1024.0));
    }

    static String kib(double bytes) {
        return f("%.1f KiB", bytes / 1024.0);
    }
}
