package dev.workflowhttp.bench;

import java.util.List;
import java.util.Locale;

/** Medians, spreads and percentiles, and how the report prints them. */
final class Stats {

    private Stats() {
    }

    /** The value at percentile {@code p} (0..100) of sorted values, nearest rank. */
    static long percentile(long[] sorted, double p) {
        if (sorted.length == 0) {
            return 0;
        }
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
    }

    static double median(List<Double> values) {
        double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        if (sorted.length == 0) {
            return Double.NaN;
        }
        int middle = sorted.length / 2;
        return sorted.length % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
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
