package dev.workflowhttp.bench;

import static dev.workflowhttp.bench.Stats.f;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedClass;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordedStackTrace;
import jdk.jfr.consumer.RecordedThread;
import jdk.jfr.consumer.RecordingFile;

/**
 * What one call costs: bytes allocated and CPU time, by every thread of the JVM (the server runs in a process of its
 * own), read from the JVM's
 * per-thread counters, the CPU time split by thread pool; then, in a second pass under a JFR recording of
 * {@code jdk.ObjectAllocationSample}, where the bytes come from: each sample is charged to the first frame of its
 * stack outside the JDK.
 */
final class CostBenchmark {

    private static final int BODY = 1024;
    private static final int CONCURRENCY = 16;
    private static final int TOP_SITES = 8;
    private static final int ROUNDS = 3;

    private record Sample(String site, String objectClass, String library, long weight) {}

    private record Result(
            Contender contender,
            double bytesPerCall,
            List<Double> bytesRounds,
            double cpuMicrosPerCall,
            List<Double> cpuRounds,
            Map<String, Double> cpuMicrosByThreads,
            Map<String, Long> byLibrary,
            Map<String, Long> bySite,
            long sampledWeight,
            Path recording) {}

    /** Allocated bytes and CPU nanoseconds of each live thread. */
    private record Counters(Map<Long, Long> allocated, Map<Long, Long> cpu, Map<Long, String> names) {}

    private final Settings settings;
    private final LoadRunner runner;
    private final Path recordings;
    private final List<Result> results = new ArrayList<>();

    CostBenchmark(Settings settings, LoadRunner runner, Path recordings) {
        this.settings = settings;
        this.runner = runner;
        this.recordings = recordings;
    }

    void run(List<Contender> contenders) throws Exception {
        Files.createDirectories(recordings);
        int calls = settings.allocationCalls();
        int rounds = rounds(settings);
        Map<String, List<Double>> bytes = new HashMap<>();
        Map<String, List<Double>> cpu = new HashMap<>();
        Map<String, Map<String, Double>> cpuByThreads = new HashMap<>();
        for (int round = 0; round < rounds; round++) {
            for (int i = 0; i < contenders.size(); i++) {
                Contender contender = contenders.get((i + round) % contenders.size());
                runner.counted(contender, BODY, CONCURRENCY, Math.max(1000, calls / 4), null);
                Counters before = counters();
                AtomicReference<Counters> after = new AtomicReference<>();
                runner.counted(contender, BODY, CONCURRENCY, calls, () -> after.set(counters()));
                long allocated = 0;
                long used = 0;
                for (Map.Entry<Long, Long> entry : after.get().allocated().entrySet()) {
                    allocated += entry.getValue() - before.allocated().getOrDefault(entry.getKey(), 0L);
                }
                Map<String, Double> byThreads = cpuByThreads.computeIfAbsent(contender.name(), k -> new HashMap<>());
                for (Map.Entry<Long, Long> entry : after.get().cpu().entrySet()) {
                    long thread = entry.getValue() - before.cpu().getOrDefault(entry.getKey(), 0L);
                    used += thread;
                    byThreads.merge(
                            threadGroup(after.get().names().get(entry.getKey())),
                            thread / 1e3 / calls / rounds,
                            Double::sum);
                }
                bytes.computeIfAbsent(contender.name(), k -> new ArrayList<>()).add(allocated / (double) calls);
                cpu.computeIfAbsent(contender.name(), k -> new ArrayList<>()).add(used / 1e3 / calls);
                BenchmarkMain.log(f(
                        "cost round %d/%d %-15s %8.0f bytes/call %6.1f µs CPU/call",
                        round + 1, rounds, contender.name(), allocated / (double) calls, used / 1e3 / calls));
            }
        }
        for (Contender contender : contenders) {
            Path file = recordings.resolve("alloc-" + contender.name() + ".jfr");
            try (Recording recording = new Recording()) {
                recording
                        .enable("jdk.ObjectAllocationSample")
                        .with("throttle", "5000/s")
                        .withStackTrace();
                recording.setToDisk(true);
                recording.setDestination(file);
                recording.start();
                runner.counted(contender, BODY, CONCURRENCY, calls, null);
                recording.stop();
            }
            Map<String, Long> byLibrary = new HashMap<>();
            Map<String, Long> bySite = new HashMap<>();
            long total = 0;
            for (Sample sample : samples(file)) {
                byLibrary.merge(sample.library, sample.weight, Long::sum);
                bySite.merge(sample.site + " → `" + sample.objectClass + "`", sample.weight, Long::sum);
                total += sample.weight;
            }
            String name = contender.name();
            results.add(new Result(
                    contender,
                    Stats.median(bytes.get(name)),
                    bytes.get(name),
                    Stats.median(cpu.get(name)),
                    cpu.get(name),
                    cpuByThreads.get(name),
                    byLibrary,
                    bySite,
                    total,
                    file));
        }
    }

    static int rounds(Settings settings) {
        return settings.quick() ? 1 : ROUNDS;
    }

    void write(Report report) {
        double async = results.stream()
                .filter(r -> r.contender.name().equals(Contenders.ASYNC))
                .mapToDouble(Result::bytesPerCall)
                .findFirst()
                .orElse(Double.NaN);
        double camel = results.stream()
                .filter(r -> r.contender.name().equals(Contenders.CAMEL_HTTP))
                .mapToDouble(Result::bytesPerCall)
                .findFirst()
                .orElse(Double.NaN);
        double asyncCpu = results.stream()
                .filter(r -> r.contender.name().equals(Contenders.ASYNC))
                .mapToDouble(Result::cpuMicrosPerCall)
                .findFirst()
                .orElse(Double.NaN);
        List<List<String>> rows = new ArrayList<>();
        for (Result result : results) {
            rows.add(List.of(
                    "`" + result.contender.name() + "`",
                    Stats.spread(result.bytesRounds, "%,.0f"),
                    f("%.2f", result.bytesPerCall / camel),
                    f("%.2f", result.bytesPerCall / async),
                    shares(result.byLibrary, result.sampledWeight, 4)));
        }
        report.table(
                List.of(
                        "contender",
                        "bytes allocated per call",
                        "× camel-http",
                        "× raw async",
                        "sampled allocation by library (first frame outside the JDK)"),
                rows);
        List<List<String>> cpuRows = new ArrayList<>();
        for (Result result : results) {
            List<String> groups = new ArrayList<>();
            result.cpuMicrosByThreads.entrySet().stream()
                    .sorted(Map.Entry.<String, Double>comparingByValue(Comparator.reverseOrder()))
                    .filter(e -> e.getValue() >= 0.5)
                    .forEach(e -> groups.add(f("%s %.1f", e.getKey(), e.getValue())));
            cpuRows.add(List.of(
                    "`" + result.contender.name() + "`",
                    Stats.spread(result.cpuRounds, "%.1f"),
                    f("%.2f", result.cpuMicrosPerCall / asyncCpu),
                    String.join(", ", groups)));
        }
        report.paragraph("CPU time per call, split by thread (µs, every Java thread of the JVM: the server runs "
                + "outside it; the split is the mean "
                + "over the rounds; JIT and GC threads are not Java threads and are not counted):");
        report.table(List.of("contender", "CPU µs per call", "× raw async", "by thread (µs)"), cpuRows);
        for (Result result : results) {
            if (result.contender.name().equals(Contenders.CLASSIC)) {
                continue;
            }
            report.paragraph("Largest allocation sites of `" + result.contender.name() + "` (share of sampled bytes; "
                    + "`jfr print --events jdk.ObjectAllocationSample "
                    + result.recording.toString().replace('\\', '/') + "` shows every sample):");
            List<List<String>> sites = new ArrayList<>();
            top(result.bySite, TOP_SITES)
                    .forEach((site, weight) -> sites.add(List.of(
                            site,
                            f("%.1f%%", 100.0 * weight / result.sampledWeight),
                            f("%,.0f", result.bytesPerCall * weight / result.sampledWeight))));
            report.table(List.of("site → object", "share", "≈ bytes per call"), sites);
        }
    }

    private static String shares(Map<String, Long> weights, long total, int count) {
        List<String> parts = new ArrayList<>();
        top(weights, count).forEach((name, weight) -> parts.add(f("%s %.0f%%", name, 100.0 * weight / total)));
        return String.join(", ", parts);
    }

    private static Map<String, Long> top(Map<String, Long> weights, int count) {
        Map<String, Long> top = new LinkedHashMap<>();
        weights.entrySet().stream()
                .sorted(Map.Entry.<String, Long>comparingByValue(Comparator.reverseOrder()))
                .limit(count)
                .forEach(e -> top.put(e.getKey(), e.getValue()));
        return top;
    }

    private List<Sample> samples(Path file) throws IOException {
        List<Sample> samples = new ArrayList<>();
        for (RecordedEvent event : RecordingFile.readAllEvents(file)) {
            if (!event.getEventType().getName().equals("jdk.ObjectAllocationSample")) {
                continue;
            }
            RecordedThread thread = event.getThread("eventThread");
            // this thread only starts the recording and waits
            if (thread != null
                    && thread.getJavaThreadId() == Thread.currentThread().getId()) {
                continue;
            }
            RecordedClass type = event.getClass("objectClass");
            String site = "(JDK only)";
            String library = "JDK only";
            RecordedStackTrace stack = event.getStackTrace();
            if (stack != null) {
                for (RecordedFrame frame : stack.getFrames()) {
                    if (!frame.isJavaFrame()) {
                        continue;
                    }
                    String owner = frame.getMethod().getType().getName();
                    if (!isJdk(owner)) {
                        site = "`" + owner.substring(owner.lastIndexOf('.') + 1) + "."
                                + frame.getMethod().getName() + "`";
                        library = library(owner);
                        break;
                    }
                }
            }
            samples.add(new Sample(
                    site, type == null ? "?" : simpleName(type.getName()), library, event.getLong("weight")));
        }
        return samples;
    }

    private static String simpleName(String className) {
        return className.substring(className.lastIndexOf('.') + 1);
    }

    private static boolean isJdk(String owner) {
        return owner.startsWith("java.")
                || owner.startsWith("jdk.")
                || owner.startsWith("sun.")
                || owner.startsWith("com.sun.");
    }

    private static String library(String owner) {
        if (owner.startsWith("dev.workflowhttp.bench.")) {
            return "benchmark harness";
        }
        if (owner.startsWith("dev.workflowhttp.")) {
            return "workflow-http";
        }
        if (owner.startsWith("org.apache.camel.")) {
            return "Camel";
        }
        if (owner.startsWith("org.apache.hc.client5.")) {
            return "HttpClient 5";
        }
        if (owner.startsWith("org.apache.hc.core5.")) {
            return "HttpCore 5";
        }
        String[] parts = owner.split("\\.");
        return parts.length > 2 ? parts[0] + "." + parts[1] + "." + parts[2] : owner;
    }

    /** Live threads by name with numbers stripped: {@code workflow-http-io-2} is {@code workflow-http-io}. */
    private static String threadGroup(String name) {
        if (name == null) {
            return "(ended)";
        }
        String group = name.replaceAll("[-# ]*\\d+", "").trim();
        if (group.startsWith("Camel (")) {
            group = group.substring(group.indexOf(')') + 1)
                    .replace("thread", "")
                    .replace(" - ", "")
                    .trim();
        }
        return group.isEmpty() ? name : group;
    }

    /** Bytes allocated and CPU time of each live thread so far. */
    private Counters counters() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long[] ids = threads.getAllThreadIds();
        long[] bytes = threads.getThreadAllocatedBytes(ids);
        Map<Long, Long> allocated = new HashMap<>();
        Map<Long, Long> cpu = new HashMap<>();
        Map<Long, String> names = new HashMap<>();
        java.lang.management.ThreadInfo[] infos = threads.getThreadInfo(ids);
        for (int i = 0; i < ids.length; i++) {
            if (bytes[i] >= 0) {
                allocated.put(ids[i], bytes[i]);
            }
            long time = threads.getThreadCpuTime(ids[i]);
            if (time >= 0) {
                cpu.put(ids[i], time);
            }
            if (infos[i] != null) {
                names.put(ids[i], infos[i].getThreadName());
            }
        }
        return new Counters(allocated, cpu, names);
    }
}
