package dev.workflowhttp.bench;

import static dev.workflowhttp.bench.Stats.f;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The step as users deploy it: a YAML route in Camel Main, each contender in a JVM of its own started by the suite,
 * the same route file for every contender of a cell (only the {@code to:} URI, the property {@code bench.uri},
 * differs): workflow-http as the application's runnable jar ({@code java -jar target/camel-workflow-http.jar}, its
 * configuration file and defaults), stock Camel Main ({@code org.apache.camel.main.Main}, camel-yaml-dsl) with
 * camel-http and with camel-vertx-http on the classpaths that {@code src/bench/stock-main/pom.xml} resolves. Camel's
 * route metrics are off on every side.
 * <p>
 * Each lane is a timer route that fires once: a warm-up {@code loop}, then it logs {@code BENCH ready} and pauses,
 * records {@code System.nanoTime()}, runs the measured {@code loop} of calls one after the other, records the time
 * again and logs both ({@code BENCH done}). The harness reads the child's CPU time ({@code utime + stime} of
 * {@code /proc/<pid>/stat}) when every lane said it is ready, during the pause, and again when every lane is done:
 * start-up and warm-up are left out. Calls per second: the lanes' calls over the time from the first lane's first
 * call to the last lane's last call (both clocks are the machine's monotonic clock). A run whose CPU reading came
 * after its first call is flagged.
 */
final class AppRouteBenchmark {

    static final String WORKFLOW_HTTP = "workflow-http";
    static final String CAMEL_HTTP = "camel-http";
    static final String VERTX_HTTP = "camel-vertx-http";
    /** The component as a library in stock Camel Main: what the application adds around it is left out. */
    static final String WF_STOCK_MAIN = "wf-in-stock-main";

    /** The application's jar with {@code synchronous=true} on the step: the route's thread makes the call itself. */
    static final String WF_SYNCHRONOUS = "wf-synchronous";

    private static final List<String> CONTENDERS =
            List.of(WORKFLOW_HTTP, WF_SYNCHRONOUS, CAMEL_HTTP, VERTX_HTTP, WF_STOCK_MAIN);

    private static final Pattern READY = Pattern.compile("BENCH ready lane=(\\d+)");
    private static final Pattern DONE =
            Pattern.compile("BENCH done lane=(\\d+) first=(\\d+) last=(\\d+) status=(\\S*) bytes=(\\S*)");

    /** One cell: {@code lanes} timer routes, each a loop of {@code calls} calls of {@code size} bytes. */
    record Cell(String id, String label, int size, int lanes, boolean stream, int calls, int warmupCalls) {
        long totalCalls() {
            return (long) lanes * calls;
        }
    }

    /**
     * One child run; {@code threads}: what each group of the child's threads did in the window, {@code startSeconds}:
     * from the child's start to its lanes' warm-up done.
     */
    record Run(
            double callsPerSecond,
            double cpuMicrosPerCall,
            boolean lateCpuReading,
            double startSeconds,
            Map<String, ThreadTimes.Usage> threads,
            long calls) {
        double sleepsPerCall() {
            return ThreadTimes.total(threads).sleeps() / (double) calls;
        }
    }

    private final Settings settings;
    private final ServerProcesses servers;
    private final Path dir;
    private final int rounds;
    private final long pauseMillis;
    private final String childJvmArgs;
    private final Map<Cell, Map<String, List<Run>>> results = new LinkedHashMap<>();

    AppRouteBenchmark(Settings settings, ServerProcesses servers, Path dir) {
        this.settings = settings;
        this.servers = servers;
        this.dir = dir;
        this.rounds = settings.quick() ? 1 : Integer.getInteger("bench.routeRounds", 3);
        this.pauseMillis = Long.getLong("bench.routePauseMillis", 1000);
        this.childJvmArgs = System.getProperty("bench.childJvmArgs", "-Xms1g -Xmx1g -XX:+UseG1GC");
    }

    /** The cells to run: all, or those named by {@code -Dbench.routeCells=loop-1k,lanes16-1k,...}. */
    List<Cell> cells() {
        String wanted = System.getProperty("bench.routeCells", "all");
        List<Cell> all = allCells();
        if (wanted.isEmpty() || wanted.equals("all")) {
            return all;
        }
        List<String> names = List.of(wanted.split(","));
        List<Cell> chosen = all.stream().filter(c -> names.contains(c.id())).toList();
        if (chosen.size() != names.size()) {
            throw new IllegalArgumentException("-Dbench.routeCells=" + wanted + ": the cells are "
                    + String.join(", ", all.stream().map(Cell::id).toList()));
        }
        return chosen;
    }

    private List<Cell> allCells() {
        boolean quick = settings.quick();
        // -Dbench.routeCalls=N: a short run of N calls per cell (N/16 per lane with 16 lanes), while working on one
        Integer calls = Integer.getInteger("bench.routeCalls");
        int small = calls != null ? calls : quick ? 4_000 : 80_000;
        int large = calls != null ? calls : quick ? 200 : 4_000;
        // -Dbench.routeWarmupCalls=N: the warm-up of a short run (the JIT compiler is still busy after a quarter of a
        // few thousand calls, and its threads' CPU would count as the calls')
        int warmup = Integer.getInteger("bench.routeWarmupCalls", small / 4);
        return List.of(
                new Cell("loop-1k", "`loop` of GETs one at a time, 1 KiB", 1024, 1, false, small, warmup),
                new Cell(
                        "lanes16-1k", "16 timer routes, each a `loop`, 1 KiB", 1024, 16, false, small / 16, small / 64),
                new Cell("loop-1m", "`loop`, 1 MiB, materialize", 1024 * 1024, 1, false, large, large / 4),
                new Cell(
                        "loop-1m-stream",
                        "`loop`, 1 MiB, streamed, the next step reads it to `byte[]`",
                        1024 * 1024,
                        1,
                        true,
                        large,
                        large / 4));
    }

    /** The contenders to run: all, or those named by {@code -Dbench.routeContenders=workflow-http,camel-http}. */
    private static List<String> contenders() {
        String wanted = System.getProperty("bench.routeContenders", "all");
        if (wanted.isEmpty() || wanted.equals("all")) {
            return CONTENDERS;
        }
        List<String> names = List.of(wanted.split(","));
        if (!CONTENDERS.containsAll(names)) {
            throw new IllegalArgumentException(
                    "-Dbench.routeContenders=" + wanted + ": the contenders are " + String.join(", ", CONTENDERS));
        }
        return names;
    }

    /** The URI of the {@code to:} step, the one thing that differs between contenders; null when none fits. */
    String uri(String contender, Cell cell) {
        String url = servers.url("/bytes/" + cell.size());
        return switch (contender) {
            case WORKFLOW_HTTP, WF_STOCK_MAIN -> "workflow-http:" + url + workflowHttpOptions(cell, "");
            case WF_SYNCHRONOUS -> "workflow-http:" + url + workflowHttpOptions(cell, "synchronous=true");
            // without its stream cache camel-http hands on the response's own InputStream, as stream mode does
            case CAMEL_HTTP -> url + (cell.stream() ? "?disableStreamCache=true" : "");
            // the Vert.x web client reads every body whole: no streamed variant
            case VERTX_HTTP -> cell.stream() ? null : "vertx-http:" + url;
            default -> throw new IllegalArgumentException(contender);
        };
    }

    /**
     * The step's options in a cell: {@code bodyMode=stream} in the streamed one, and, while comparing a variant, those
     * of {@code -Dbench.workflowHttpOptions=synchronous=true} (empty in a full run: the component's defaults).
     */
    private static String workflowHttpOptions(Cell cell, String contenderOption) {
        List<String> options = new ArrayList<>();
        if (cell.stream()) {
            options.add("bodyMode=stream");
        }
        if (!contenderOption.isEmpty()) {
            options.add(contenderOption);
        }
        String extra = System.getProperty("bench.workflowHttpOptions", "");
        if (!extra.isBlank()) {
            options.add(extra.trim());
        }
        return options.isEmpty() ? "" : "?" + String.join("&", options);
    }

    void run() throws Exception {
        Files.createDirectories(dir);
        Path stockLogging = dir.resolve("log4j2-stock.properties");
        Files.writeString(stockLogging, """
                # Written by the benchmark suite (AppRouteBenchmark): stock Camel Main's logging, with the BENCH lines
                status = warn
                appender.console.type = Console
                appender.console.name = console
                appender.console.layout.type = PatternLayout
                appender.console.layout.pattern = %d{HH:mm:ss.SSS} %-5level [%t] %c{1} - %msg%n
                rootLogger.level = warn
                rootLogger.appenderRef.console.ref = console
                logger.bench.name = bench
                logger.bench.level = info
                """, StandardCharsets.UTF_8);
        for (Cell cell : cells()) {
            Path routes = dir.resolve(cell.id() + ".yaml");
            Files.writeString(routes, yaml(cell), StandardCharsets.UTF_8);
            Map<String, List<Run>> byContender = new LinkedHashMap<>();
            results.put(cell, byContender);
            for (int round = 0; round < rounds; round++) {
                // A B C D A B C D: every round runs each contender once, in the same order
                for (String contender : contenders()) {
                    String uri = uri(contender, cell);
                    if (uri == null) {
                        continue;
                    }
                    Run run = runOnce(contender, cell, routes, uri, stockLogging, round);
                    byContender
                            .computeIfAbsent(contender, k -> new ArrayList<>())
                            .add(run);
                    BenchmarkMain.log(f(
                            "route %-15s %-17s round %d/%d %8.0f calls/s %7.1f µs CPU per call %5.2f "
                                    + "sleeps per call%s (start-up and warm-up %.1f s)",
                            cell.id(),
                            contender,
                            round + 1,
                            rounds,
                            run.callsPerSecond(),
                            run.cpuMicrosPerCall(),
                            run.sleepsPerCall(),
                            run.lateCpuReading() ? " (CPU read late)" : "",
                            run.startSeconds()));
                }
            }
        }
    }

    /** The route file of a cell: the same for every contender. */
    static String yaml(Cell cell) {
        StringBuilder out = new StringBuilder();
        out.append("# Written by the benchmark suite (AppRouteBenchmark) for the cell \"")
                .append(cell.id())
                .append("\": the same file for every contender;\n# the HTTP step is the property bench.uri, "
                        + "given to each contender's JVM with -Dbench.uri=...\n");
        for (int lane = 1; lane <= cell.lanes(); lane++) {
            out.append("- route:\n")
                    .append("    id: bench-lane-")
                    .append(lane)
                    .append('\n')
                    .append("    from:\n")
                    .append("      uri: timer:bench-lane-")
                    .append(lane)
                    .append('\n')
                    .append("      parameters:\n")
                    .append("        repeatCount: 1\n")
                    .append("      steps:\n");
            loop(out, "{{bench.warmupCalls}}", cell.stream());
            out.append("        - log:\n")
                    .append("            logName: bench\n")
                    .append("            message: \"BENCH ready lane=")
                    .append(lane)
                    .append("\"\n")
                    .append("        - delay:\n")
                    .append("            constant: \"{{bench.pauseMillis}}\"\n");
            nanoTime(out, "benchFirst");
            loop(out, "{{bench.calls}}", cell.stream());
            nanoTime(out, "benchLast");
            out.append("        - log:\n")
                    .append("            logName: bench\n")
                    .append("            message: \"BENCH done lane=")
                    .append(lane)
                    .append(" first=${exchangeProperty.benchFirst} last=${exchangeProperty.benchLast}")
                    .append(" status=${header.CamelHttpResponseCode} bytes=${bodyAs(String).length()}\"\n");
        }
        return out.toString();
    }

    private static void loop(StringBuilder out, String count, boolean stream) {
        out.append("        - loop:\n")
                .append("            constant: \"")
                .append(count)
                .append("\"\n")
                .append("            steps:\n")
                // a GET with no body and none of the last response's headers, on every side
                .append("              - removeHeaders:\n")
                .append("                  pattern: \"*\"\n")
                .append("              - setBody:\n")
                .append("                  simple: \"${null}\"\n")
                .append("              - to:\n")
                .append("                  uri: \"{{bench.uri}}\"\n");
        if (stream) {
            out.append("              - convertBodyTo:\n").append("                  type: \"byte[]\"\n");
        }
    }

    private static void nanoTime(StringBuilder out, String property) {
        out.append("        - setProperty:\n")
                .append("            name: ")
                .append(property)
                .append('\n')
                .append("            method:\n")
                .append("              beanType: java.lang.System\n")
                .append("              method: nanoTime\n");
    }

    private List<String> command(String contender, Cell cell, Path routes, String uri, Path stockLogging)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ServerProcesses.javaBinary());
        command.addAll(List.of(childJvmArgs.trim().split("\\s+")));
        command.add("-Dcamel.main.routesIncludePattern=file:" + routes.toAbsolutePath());
        command.add("-Dbench.uri=" + uri);
        command.add("-Dbench.calls=" + cell.calls());
        command.add("-Dbench.warmupCalls=" + cell.warmupCalls());
        command.add("-Dbench.pauseMillis=" + pauseMillis);
        if (contender.equals(WORKFLOW_HTTP) || contender.equals(WF_SYNCHRONOUS)) {
            Path jar = Path.of("target", "camel-workflow-http.jar");
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(jar + " is missing: the route part runs the application's jar, "
                        + "which `mvn -B -Pbench verify` builds first");
            }
            // the application as shipped (config/application.properties), with its route metrics off, no demo
            // endpoints, and its management server and broker journal where they meet no other run
            command.add("-Dcamel.metrics.enableRoutePolicy=false");
            command.add("-Dcamel.metrics.enableExchangeEventNotifier=false");
            command.add("-Dcamel.metrics.enableRouteEventNotifier=false");
            command.add("-Dcamel.management.port=" + ServerProcesses.freePort());
            command.add("-Dworkflow.demo.enabled=false");
            command.add("-Dworkflow.broker.data-dir=" + dir.resolve("broker").toAbsolutePath());
            command.add("-jar");
            command.add(jar.toString());
        } else {
            String profile = switch (contender) {
                case CAMEL_HTTP -> "camel-http";
                case VERTX_HTTP -> "vertx-http";
                default -> "workflow-http";
            };
            Path classpath = Path.of("target", "bench", "stock-" + profile + ".classpath");
            if (!Files.isRegularFile(classpath)) {
                throw new IllegalStateException(classpath + " is missing: the bench profile writes it "
                        + "(mvn -B -Pbench verify) from src/bench/stock-main/pom.xml, profile " + profile);
            }
            command.add("-Dlog4j2.configurationFile=" + stockLogging.toAbsolutePath());
            command.add("-cp");
            // the component's classes and Camel metadata, not its jar: the jar's manifest would bring the app's lib/
            command.add(Files.readString(classpath).trim()
                    + (contender.equals(WF_STOCK_MAIN)
                            ? File.pathSeparator + Path.of("target", "classes").toAbsolutePath()
                            : ""));
            command.add("org.apache.camel.main.Main");
        }
        return command;
    }

    private Run runOnce(String contender, Cell cell, Path routes, String uri, Path stockLogging, int round)
            throws Exception {
        Path log = dir.resolve(f("%s-%s-r%d.log", cell.id(), contender, round + 1));
        long started = System.nanoTime();
        Process child = new ProcessBuilder(command(contender, cell, routes, uri, stockLogging))
                .redirectErrorStream(true)
                .start();
        // a JVM that ends without stopping it (Ctrl-C) stops it still
        Thread stopOnExit = new Thread(child::destroyForcibly, "bench-child-stop");
        Runtime.getRuntime().addShutdownHook(stopOnExit);
        LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
        Thread reader = new Thread(() -> copyLines(child, log, lines), "bench-child-output");
        reader.setDaemon(true);
        reader.start();
        try {
            // generous: a loaded machine, a slow contender
            long timeoutNanos = TimeUnit.SECONDS.toNanos(180)
                    + cell.totalCalls() * TimeUnit.MILLISECONDS.toNanos(cell.size() > 64 * 1024 ? 20 : 2);
            long deadline = System.nanoTime() + timeoutNanos;
            int ready = 0;
            while (ready < cell.lanes()) {
                if (READY.matcher(next(lines, deadline, child, log)).find()) {
                    ready++;
                }
            }
            long cpuFromAt = System.nanoTime();
            long cpuFrom = ProcStat.cpuNanos(child.pid());
            ThreadTimes threads = ThreadTimes.start(child.pid());
            double startup = (cpuFromAt - started) / 1e9;
            long first = Long.MAX_VALUE;
            long last = Long.MIN_VALUE;
            int done = 0;
            while (done < cell.lanes()) {
                Matcher matcher = DONE.matcher(next(lines, deadline, child, log));
                if (matcher.find()) {
                    done++;
                    first = Math.min(first, Long.parseLong(matcher.group(2)));
                    last = Math.max(last, Long.parseLong(matcher.group(3)));
                    if (!matcher.group(4).equals("200") || !matcher.group(5).equals(String.valueOf(cell.size()))) {
                        throw new IllegalStateException(f(
                                "%s in %s: the last call of lane %s answered %s with %s "
                                        + "bytes, expected 200 with %d (see %s)",
                                contender,
                                cell.id(),
                                matcher.group(1),
                                matcher.group(4),
                                matcher.group(5),
                                cell.size(),
                                log));
                    }
                }
            }
            long cpuTo = ProcStat.cpuNanos(child.pid());
            Map<String, ThreadTimes.Usage> byThreads = threads.sinceStart();
            if (cpuFrom < 0 || cpuTo < 0) {
                throw new IllegalStateException("cannot read /proc/" + child.pid() + "/stat");
            }
            return new Run(
                    cell.totalCalls() / ((last - first) / 1e9),
                    (cpuTo - cpuFrom) / 1e3 / cell.totalCalls(),
                    cpuFromAt > first,
                    startup,
                    byThreads,
                    cell.totalCalls());
        } finally {
            stop(child);
            reader.join(TimeUnit.SECONDS.toMillis(10));
            try {
                Runtime.getRuntime().removeShutdownHook(stopOnExit);
            } catch (IllegalStateException e) {
                // the JVM is shutting down: the hook runs, harmlessly
            }
        }
    }

    private static String next(LinkedBlockingQueue<String> lines, long deadline, Process child, Path log)
            throws InterruptedException, IOException {
        while (true) {
            String line = lines.poll(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            if (line != null) {
                if (line == END) {
                    throw new IllegalStateException("the route's JVM ended before its loops did (exit code "
                            + child.waitFor() + "); its output: " + log + "\n" + tail(log));
                }
                return line;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw new IllegalStateException(
                        "the route's JVM did not finish in time; its output: " + log + "\n" + tail(log));
            }
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> all = Files.readAllLines(log);
        return String.join("\n", all.subList(Math.max(0, all.size() - 20), all.size()));
    }

    /** Marks the end of a child's output in the queue of its lines. */
    private static final String END = new String("end of output");

    private static void copyLines(Process child, Path log, LinkedBlockingQueue<String> lines) {
        try (BufferedReader in =
                        new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                BufferedWriter out = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            String line;
            while ((line = in.readLine()) != null) {
                out.write(line);
                out.newLine();
                if (line.contains("BENCH ")) {
                    out.flush();
                    lines.add(line);
                }
            }
        } catch (IOException e) {
            // the child was stopped
        } finally {
            lines.add(END);
        }
    }

    private static void stop(Process child) throws InterruptedException {
        // SIGTERM: Camel Main stops its routes and exits
        child.destroy();
        if (!child.waitFor(30, TimeUnit.SECONDS)) {
            child.destroyForcibly();
            child.waitFor(10, TimeUnit.SECONDS);
        }
    }

    /** The busiest thread groups of the median run (by calls/s): CPU µs and sleeps per call. */
    private static String threadSplit(List<Run> runs) {
        List<Run> sorted = runs.stream()
                .sorted(Comparator.comparingDouble(Run::callsPerSecond))
                .toList();
        Run median = sorted.get(sorted.size() / 2);
        List<String> parts = new ArrayList<>();
        median.threads().entrySet().stream()
                .sorted(Map.Entry.<String, ThreadTimes.Usage>comparingByValue(
                                Comparator.comparingDouble(ThreadTimes.Usage::cpuSeconds))
                        .reversed())
                .limit(5)
                .filter(e -> e.getValue().cpuSeconds() > 0)
                .forEach(e -> parts.add(f(
                        "`%s` %.1f / %.2f",
                        e.getKey(),
                        e.getValue().cpuSeconds() * 1e6 / median.calls(),
                        e.getValue().sleeps() / (double) median.calls())));
        return String.join(", ", parts);
    }

    /** The table: each contender's calls/s and CPU per call side by side, both as ratios to camel-http. */
    List<String> write(Report body) {
        List<String> misses = new ArrayList<>();
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> threadRows = new ArrayList<>();
        int late = 0;
        for (Map.Entry<Cell, Map<String, List<Run>>> entry : results.entrySet()) {
            Cell cell = entry.getKey();
            List<Run> baseline = entry.getValue().get(CAMEL_HTTP);
            for (String contender : CONTENDERS) {
                List<Run> runs = entry.getValue().get(contender);
                if (runs == null) {
                    rows.add(List.of(cell.label(), "`" + contender + "`", "–", "–", "–", "–", "–"));
                    continue;
                }
                late += (int) runs.stream().filter(Run::lateCpuReading).count();
                List<Double> rates = runs.stream().map(Run::callsPerSecond).toList();
                List<Double> cpu = runs.stream().map(Run::cpuMicrosPerCall).toList();
                List<Double> rateRatios = new ArrayList<>();
                List<Double> cpuRatios = new ArrayList<>();
                for (int i = 0; i < Math.min(runs.size(), baseline.size()); i++) {
                    rateRatios.add(
                            runs.get(i).callsPerSecond() / baseline.get(i).callsPerSecond());
                    cpuRatios.add(
                            runs.get(i).cpuMicrosPerCall() / baseline.get(i).cpuMicrosPerCall());
                }
                boolean isBaseline = contender.equals(CAMEL_HTTP);
                String rateMark = "";
                String cpuMark = "";
                if (contender.equals(WORKFLOW_HTTP) || contender.equals(WF_SYNCHRONOUS)) {
                    double rate = Stats.median(rateRatios);
                    double perCall = Stats.median(cpuRatios);
                    rateMark = rate >= Settings.TARGET_VS_CAMEL_HTTP ? " ✅" : " ❌";
                    cpuMark = perCall <= Settings.TARGET_VS_CAMEL_HTTP ? " ✅" : " ❌";
                    if (rate < Settings.TARGET_VS_CAMEL_HTTP) {
                        misses.add(f(
                                "in Camel Main, %s, `%s`: %s camel-http's calls/s (target >= 1.0x, short by %s)",
                                cell.label(),
                                contender,
                                Stats.ratio(rate, Settings.TARGET_VS_CAMEL_HTTP),
                                Stats.shortfall(rate, Settings.TARGET_VS_CAMEL_HTTP)));
                    }
                    if (perCall > Settings.TARGET_VS_CAMEL_HTTP) {
                        misses.add(f(
                                "in Camel Main, %s, `%s`: %.2fx camel-http's CPU per call (target <= 1.0x)",
                                cell.label(), contender, perCall));
                    }
                }
                rows.add(List.of(
                        cell.label(),
                        "`" + contender + "`",
                        Stats.spread(rates, "%.0f"),
                        isBaseline ? "1" : Stats.spread(rateRatios, "%.2fx") + rateMark,
                        Stats.spread(cpu, "%.1f"),
                        isBaseline ? "1" : Stats.spread(cpuRatios, "%.2fx") + cpuMark,
                        f(
                                "%.2f",
                                Stats.median(
                                        runs.stream().map(Run::sleepsPerCall).toList()))));
                if (cell.lanes() == 1) {
                    threadRows.add(List.of(cell.label(), "`" + contender + "`", threadSplit(runs)));
                }
            }
        }
        body.heading(2, "In a route, in Camel Main");
        body.paragraph(f(
                "As users deploy it: one YAML route file per cell, the same for every contender but the "
                        + "`to:` URI, each contender in a JVM of its own (`%s`): `%s` is the application's runnable jar "
                        + "(`java -jar target/camel-workflow-http.jar`, `config/application.properties`, the component's "
                        + "defaults, `bodyMode=stream` in the streamed cell; `" + WF_SYNCHRONOUS
                        + "`: the same jar with `synchronous=true` on the step, so that the route's thread makes the "
                        + "call itself (README \"Which thread goes on with the route\"); `" + WF_STOCK_MAIN
                        + "`: the same step with "
                        + "the component as a library in stock Camel Main, without the application around it), `%s` and "
                        + "`%s` are stock Camel Main "
                        + "(`org.apache.camel.main.Main` with camel-yaml-dsl, the classpaths `src/bench/stock-main/pom.xml` "
                        + "resolves from the Camel %s BOM; camel-http with `disableStreamCache=true` in the streamed cell, "
                        + "the Vert.x web client has no streamed variant), each component with its defaults (pooled "
                        + "connections per host: workflow-http 50, camel-http 20, camel-vertx-http 5). Camel's route metrics "
                        + "are off on every side. "
                        + "Each lane is a timer route that fires once: a warm-up `loop` of a quarter of its calls, a pause "
                        + "of %d ms, then the measured `loop`; every call is a GET with no body and no headers of the last "
                        + "answer. *calls/s*: the lanes' calls from the first call to the last, timed inside the route "
                        + "(`System.nanoTime()` before and after the loop); *CPU µs per call*: the child's process CPU "
                        + "(`utime + stime` of `/proc/<pid>/stat`, read when every lane is ready and again when every lane "
                        + "is done: start-up and warm-up left out) over the calls. Contenders alternate (A B C D A B C D), "
                        + "%d round(s); median (min–max), ratios taken within a round against camel-http. Calls per lane: "
                        + "%s.",
                childJvmArgs,
                WORKFLOW_HTTP,
                CAMEL_HTTP,
                VERTX_HTTP,
                "4.18.0",
                pauseMillis,
                rounds,
                String.join(
                        ", ",
                        cells().stream()
                                .map(c ->
                                        c.id() + " " + c.calls() + (c.lanes() > 1 ? " × " + c.lanes() + " lanes" : ""))
                                .toList())));
        body.table(
                List.of(
                        "route",
                        "contender",
                        "calls/s",
                        "× camel-http calls/s (target ≥ 1.0)",
                        "CPU µs per call",
                        "× camel-http CPU per call (target ≤ 1.0)",
                        "sleeps per call"),
                rows);
        body.paragraph("*sleeps per call*: the voluntary context switches of all the child's threads (a park, a "
                + "blocking read, an empty epoll wait: each a wake-up some thread or the kernel pays for) over the "
                + "calls, from `/proc/<pid>/task/*/status`. By thread, one lane (CPU µs per call / sleeps per call of "
                + "the child's busiest thread groups, named by their native name without digits, Linux cuts it at "
                + "15 characters; the median run's):");
        body.table(List.of("route", "contender", "threads"), threadRows);
        if (late > 0) {
            body.paragraph(f(
                    "%d run(s) read the CPU counter after their first call (the machine was too busy for "
                            + "the pause): their CPU per call is a little low.",
                    late));
        }
        return misses;
    }
}
