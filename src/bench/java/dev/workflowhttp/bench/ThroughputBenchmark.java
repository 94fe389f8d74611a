package dev.workflowhttp.bench;

import static dev.workflowhttp.bench.Stats.f;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Calls per second and latency for every contender, body size and concurrency. Contenders run interleaved: every
 * round visits each cell once and runs every contender there, in an order that rotates, so a slow spell of the
 * shared machine hits them alike. A ratio is taken within a round, then the median over rounds is reported.
 */
final class ThroughputBenchmark {

    record Cell(int bodySize, int concurrency) {
        String label() {
            return sizeLabel(bodySize) + ", c=" + concurrency;
        }
    }

    private final Settings settings;
    private final LoadRunner runner;
    private final List<Contender> contenders;
    private final Map<Cell, Map<String, List<LoadRunner.Timed>>> results = new LinkedHashMap<>();
    private double serverCeiling;
    private double serverCpuAtCeiling;
    private double processCpusAtCeiling;

    ThroughputBenchmark(Settings settings, LoadRunner runner, List<Contender> contenders) {
        this.settings = settings;
        this.runner = runner;
        this.contenders = contenders;
        for (int size : Settings.BODY_SIZES) {
            for (int concurrency : Settings.CONCURRENCIES) {
                Map<String, List<LoadRunner.Timed>> byContender = new LinkedHashMap<>();
                for (Contender contender : contenders) {
                    byContender.put(contender.name(), new ArrayList<>());
                }
                results.put(new Cell(size, concurrency), byContender);
            }
        }
    }

    static String sizeLabel(int bytes) {
        return bytes >= 1024 * 1024 ? (bytes / (1024 * 1024)) + " MiB" : (bytes / 1024) + " KiB";
    }

    void warmUp() throws Exception {
        for (Contender contender : contenders) {
            LoadRunner.Timed small = runner.timed(contender, 1024, 16, 0, settings.globalWarmupNanos());
            LoadRunner.Timed large = runner.timed(contender, 1024 * 1024, 16, 0, settings.globalWarmupNanos() / 2);
            BenchmarkMain.log(f(
                    "warm-up %-15s 1 KiB %8.0f calls/s, 1 MiB %6.0f calls/s",
                    contender.name(), small.callsPerSecond(), large.callsPerSecond()));
        }
    }

    void run() throws Exception {
        int cellIndex = 0;
        for (int round = 0; round < settings.rounds(); round++) {
            for (Map.Entry<Cell, Map<String, List<LoadRunner.Timed>>> cell : results.entrySet()) {
                int n = contenders.size();
                for (int i = 0; i < n; i++) {
                    Contender contender = contenders.get((i + round + cellIndex) % n);
                    LoadRunner.Timed timed = runner.timed(
                            contender,
                            cell.getKey().bodySize(),
                            cell.getKey().concurrency(),
                            settings.warmupNanos(),
                            settings.measureNanos());
                    cell.getValue().get(contender.name()).add(timed);
                    BenchmarkMain.log(f(
                            "round %d/%d %-12s %-15s %9.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  "
                                    + "servers %3.0f%% of a core, JVM %.2f cores",
                            round + 1,
                            settings.rounds(),
                            cell.getKey().label(),
                            contender.name(),
                            timed.callsPerSecond(),
                            timed.percentileMillis(50),
                            timed.percentileMillis(99),
                            timed.serverCpuShare() * 100,
                            timed.processCpus()));
                    if (contender.name().equals(Contenders.ASYNC)
                            && cell.getKey().bodySize() == 1024
                            && timed.callsPerSecond() > serverCeiling) {
                        serverCeiling = timed.callsPerSecond();
                        serverCpuAtCeiling = timed.serverCpuShare();
                        processCpusAtCeiling = timed.processCpus();
                    }
                }
                cellIndex++;
            }
        }
    }

    /** Per-round ratios of one contender's CPU per call to another's in one cell. */
    private List<Double> cpuRatios(Cell cell, String contender, String baseline) {
        List<LoadRunner.Timed> mine = results.get(cell).get(contender);
        List<LoadRunner.Timed> theirs = results.get(cell).get(baseline);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            ratios.add(cpuPerCall(mine.get(i)) / cpuPerCall(theirs.get(i)));
        }
        return ratios;
    }

    /** The benchmark JVM's CPU µs per call (the server runs outside it). */
    private static double cpuPerCall(LoadRunner.Timed timed) {
        return timed.processCpus() * 1e6 / timed.callsPerSecond();
    }

    /** Per-round ratios of one contender's rate to another's in one cell. */
    private List<Double> ratios(Cell cell, String contender, String baseline) {
        List<LoadRunner.Timed> mine = results.get(cell).get(contender);
        List<LoadRunner.Timed> theirs = results.get(cell).get(baseline);
        List<Double> ratios = new ArrayList<>();
        for (int i = 0; i < Math.min(mine.size(), theirs.size()); i++) {
            ratios.add(mine.get(i).callsPerSecond() / theirs.get(i).callsPerSecond());
        }
        return ratios;
    }

    private static List<Double> rates(List<LoadRunner.Timed> runs) {
        return runs.stream().map(LoadRunner.Timed::callsPerSecond).toList();
    }

    private static List<Double> percentiles(List<LoadRunner.Timed> runs, double p) {
        return runs.stream().map(t -> t.percentileMillis(p)).toList();
    }

    /** The headline: workflow-http's ratios against the two baselines, cell by cell, and whether the targets hold. */
    List<String> writeHeadline(Report report) {
        List<String> misses = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        for (Cell cell : results.keySet()) {
            for (String mode : List.of(Contenders.WF_MATERIALIZE, Contenders.WF_STREAM)) {
                double vsCamel = Stats.median(ratios(cell, mode, Contenders.CAMEL_HTTP));
                double vsAsync = Stats.median(ratios(cell, mode, Contenders.ASYNC));
                boolean camelOk = vsCamel >= Settings.TARGET_VS_CAMEL_HTTP;
                boolean asyncOk = vsAsync >= Settings.TARGET_VS_RAW_ASYNC;
                if (!camelOk) {
                    misses.add(f(
                            "%s %s: %s camel-http (target >= %.1fx, short by %s)",
                            mode,
                            cell.label(),
                            Stats.ratio(vsCamel, Settings.TARGET_VS_CAMEL_HTTP),
                            Settings.TARGET_VS_CAMEL_HTTP,
                            Stats.shortfall(vsCamel, Settings.TARGET_VS_CAMEL_HTTP)));
                }
                if (!asyncOk) {
                    misses.add(f(
                            "%s %s: %s raw async (target >= %.1fx, short by %s)",
                            mode,
                            cell.label(),
                            Stats.ratio(vsAsync, Settings.TARGET_VS_RAW_ASYNC),
                            Settings.TARGET_VS_RAW_ASYNC,
                            Stats.shortfall(vsAsync, Settings.TARGET_VS_RAW_ASYNC)));
                }
                rows.add(List.of(
                        cell.label(),
                        "`" + mode + "`",
                        Stats.spread(rates(results.get(cell).get(mode)), "%.0f"),
                        Stats.spread(ratios(cell, mode, Contenders.CAMEL_HTTP), "%.2fx") + (camelOk ? " ✅" : " ❌"),
                        Stats.spread(ratios(cell, mode, Contenders.ASYNC), "%.2fx") + (asyncOk ? " ✅" : " ❌"),
                        Stats.spread(
                                results.get(cell).get(mode).stream()
                                        .map(ThroughputBenchmark::cpuPerCall)
                                        .toList(),
                                "%.1f"),
                        Stats.spread(cpuRatios(cell, mode, Contenders.CAMEL_HTTP), "%.2fx")));
            }
        }
        report.table(
                List.of(
                        "cell",
                        "workflow-http",
                        "calls/s",
                        "× camel-http (target ≥ 1.0)",
                        "× raw async (target ≥ 0.9)",
                        "CPU µs per call",
                        "× camel-http CPU per call"),
                rows);
        return misses;
    }

    void writeDetails(Report report) {
        for (int size : Settings.BODY_SIZES) {
            report.heading(3, "Body " + sizeLabel(size));
            List<List<String>> rows = new ArrayList<>();
            for (int concurrency : Settings.CONCURRENCIES) {
                Cell cell = new Cell(size, concurrency);
                for (Contender contender : contenders) {
                    List<LoadRunner.Timed> runs = results.get(cell).get(contender.name());
                    boolean isCamel = contender.name().equals(Contenders.CAMEL_HTTP);
                    boolean isAsync = contender.name().equals(Contenders.ASYNC);
                    rows.add(List.of(
                            String.valueOf(concurrency),
                            "`" + contender.name() + "`",
                            Stats.spread(rates(runs), "%.0f"),
                            Stats.spread(percentiles(runs, 50), "%.2f"),
                            Stats.spread(percentiles(runs, 99), "%.2f"),
                            isCamel ? "1" : Stats.spread(ratios(cell, contender.name(), Contenders.CAMEL_HTTP), "%.2f"),
                            isAsync ? "1" : Stats.spread(ratios(cell, contender.name(), Contenders.ASYNC), "%.2f"),
                            Stats.spread(
                                    runs.stream()
                                            .map(ThroughputBenchmark::cpuPerCall)
                                            .toList(),
                                    "%.1f"),
                            isCamel
                                    ? "1"
                                    : Stats.spread(cpuRatios(cell, contender.name(), Contenders.CAMEL_HTTP), "%.2f"),
                            f(
                                    "%.2f",
                                    Stats.median(runs.stream()
                                            .map(LoadRunner.Timed::serverCpuShare)
                                            .toList()))));
                }
            }
            report.table(
                    List.of(
                            "c",
                            "contender",
                            "calls/s",
                            "p50 ms",
                            "p99 ms",
                            "× camel-http",
                            "× raw async",
                            "CPU µs per call",
                            "× camel-http CPU",
                            "server (cores)"),
                    rows);
        }
    }

    double serverCeiling() {
        return serverCeiling;
    }

    double serverCpuAtCeiling() {
        return serverCpuAtCeiling;
    }

    double processCpusAtCeiling() {
        return processCpusAtCeiling;
    }
}
