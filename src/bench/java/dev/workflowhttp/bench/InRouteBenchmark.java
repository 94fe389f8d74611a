package dev.workflowhttp.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

import dev.workflowhttp.component.WorkflowHttpComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.http.HttpComponent;
import org.apache.camel.impl.DefaultCamelContext;

import static dev.workflowhttp.bench.Stats.f;

/**
 * The step where users run it: inside a route, in a {@code loop} of calls, one call after the other, as a timer or a
 * queue consumer runs it (the route's thread waits for the whole loop), side by side with stock camel-http in the
 * same route. {@code c} such routes run at once. Each call's latency is taken around the step, inside the route.
 */
final class InRouteBenchmark implements AutoCloseable {

    static final String WF_IO = "wf-io-thread";
    static final String WF_STREAM_BIG = "wf-stream-128k";
    private static final String[] CONTENDERS = {Contenders.WF_MATERIALIZE, Contenders.WF_STREAM, WF_STREAM_BIG, WF_IO,
        Contenders.CAMEL_HTTP};
    /** The baseline's place in {@link #CONTENDERS}. */
    private static final int BASELINE = 4;
    private static final String START = "benchCallStart";

    private final Settings settings;
    private final CamelContext camel;
    private final ProducerTemplate template;
    /** Latencies of the current run, by lane (route); each lane writes only its own array. */
    private final AtomicReference<long[][]> latencies = new AtomicReference<>();
    private final AtomicReference<int[]> counts = new AtomicReference<>();

    InRouteBenchmark(Settings settings, BenchServer server) throws Exception {
        this.settings = settings;
        camel = new DefaultCamelContext();
        camel.disableJMX();
        WorkflowHttpComponent workflowHttp = new WorkflowHttpComponent();
        workflowHttp.setMaxConnections(Settings.POOL_SIZE);
        workflowHttp.setMaxConnectionsPerRoute(Settings.POOL_SIZE);
        camel.addComponent("workflow-http", workflowHttp);
        // the same with 128 KiB connection buffers (ioBufferSize), for streamed bodies
        WorkflowHttpComponent bigBuffers = new WorkflowHttpComponent();
        bigBuffers.setMaxConnections(Settings.POOL_SIZE);
        bigBuffers.setMaxConnectionsPerRoute(Settings.POOL_SIZE);
        bigBuffers.setIoBufferSize(128 * 1024);
        camel.addComponent("workflow-http-128k", bigBuffers);
        HttpComponent http = new HttpComponent();
        http.setMaxTotalConnections(Settings.POOL_SIZE);
        http.setConnectionsPerRoute(Settings.POOL_SIZE);
        camel.addComponent("http", http);
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                for (int size : Settings.BODY_SIZES) {
                    String target = server.url("/bytes/" + size).substring("http://".length());
                    route(Contenders.WF_MATERIALIZE, size, "workflow-http:http://" + target + "?timeout=30s&method=GET",
                            false);
                    route(Contenders.WF_STREAM, size,
                            "workflow-http:http://" + target + "?timeout=30s&method=GET&bodyMode=stream", true);
                    route(WF_STREAM_BIG, size,
                            "workflow-http-128k:http://" + target + "?timeout=30s&method=GET&bodyMode=stream", true);
                    route(WF_IO, size, "workflow-http:http://" + target
                            + "?timeout=30s&method=GET&continueOnIoThread=true", false);
                    route(Contenders.CAMEL_HTTP, size, "http://" + target + "?httpMethod=GET", false);
                }
            }

            private void route(String name, int size, String step, boolean stream) {
                var loop = from("direct:loop-" + name + "-" + size)
                        .loop(header("calls"))
                        .process(exchange -> exchange.setProperty(START, System.nanoTime()))
                        .setBody(constant((Object) null))
                        .to(step);
                if (stream) {
                    loop.process(Contenders::readBodyWhole);
                }
                loop.process(InRouteBenchmark.this::record).end();
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
    }

    private void record(Exchange exchange) {
        long took = System.nanoTime() - exchange.getProperty(START, Long.class);
        if (Contenders.bodyBytes(exchange) < 0) {
            throw new IllegalStateException("no body");
        }
        int lane = exchange.getIn().getHeader("lane", Integer.class);
        long[][] all = latencies.get();
        int[] filled = counts.get();
        if (filled[lane] < all[lane].length) {
            all[lane][filled[lane]++] = took;
        }
    }

    /** One measured run: {@code lanes} routes at once, each a loop of {@code callsPerLane} calls. */
    private record Run(double callsPerSecond, double p50Millis, double p99Millis, double cpuMicrosPerCall,
                       Map<String, ThreadTimes.Usage> threads, long calls) {
    }

    private Run run(String contender, int size, int lanes, int callsPerLane) throws Exception {
        latencies.set(new long[lanes][callsPerLane]);
        counts.set(new int[lanes]);
        CountDownLatch ready = new CountDownLatch(lanes);
        CountDownLatch go = new CountDownLatch(1);
        // the lanes stay alive until their threads' counters are read: an ended thread is no longer in /proc
        CountDownLatch done = new CountDownLatch(lanes);
        CountDownLatch counted = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        for (int lane = 0; lane < lanes; lane++) {
            int index = lane;
            Thread thread = new Thread(() -> {
                ready.countDown();
                try {
                    go.await();
                    Exchange result = template.send("direct:loop-" + contender + "-" + size, exchange -> {
                        exchange.getIn().setHeader("calls", callsPerLane);
                        exchange.getIn().setHeader("lane", index);
                    });
                    if (result.getException() != null) {
                        failure.compareAndSet(null, result.getException());
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (RuntimeException e) {
                    failure.compareAndSet(null, e);
                } finally {
                    done.countDown();
                }
                try {
                    counted.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }, "bench-route-" + lane);
            thread.setDaemon(true); // a lane stuck in its loop does not keep the benchmark's JVM alive
            threads.add(thread);
            thread.start();
        }
        ready.await();
        ThreadTimes threadTimes = ThreadTimes.start();
        long cpuFrom = LoadRunner.Cpu.processCpuNanos();
        long start = System.nanoTime();
        go.countDown();
        long took;
        long cpu;
        Map<String, ThreadTimes.Usage> byThread;
        try {
            if (!done.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException(contender + " did not finish its loops in 10 minutes");
            }
            took = System.nanoTime() - start;
            cpu = LoadRunner.Cpu.processCpuNanos() - cpuFrom;
            byThread = threadTimes.sinceStart();
        } finally {
            counted.countDown();
        }
        for (Thread thread : threads) {
            thread.join(TimeUnit.MINUTES.toMillis(1));
        }
        if (failure.get() != null) {
            throw new IllegalStateException(contender + " failed in a route", failure.get());
        }
        long calls = (long) lanes * callsPerLane;
        long[] all = Arrays.stream(latencies.get()).flatMapToLong(Arrays::stream).filter(n -> n > 0).sorted()
                .toArray();
        return new Run(calls / (took / 1e9), Stats.percentile(all, 50) / 1e6, Stats.percentile(all, 99) / 1e6,
                cpu / 1e3 / calls, byThread, calls);
    }

    /** Runs every cell, contenders interleaved within each round, and writes the table with ratios. */
    void runAndWrite(Report body, List<String> misses) throws Exception {
        int[] concurrencies = {1, 16};
        List<List<String>> rows = new ArrayList<>();
        List<List<String>> threadRows = new ArrayList<>();
        for (int size : Settings.BODY_SIZES) {
            int callsPerRound = size > 64 * 1024 ? (settings.quick() ? 400 : 4_000)
                    : (settings.quick() ? 4_000 : 40_000);
            for (int lanes : concurrencies) {
                // warm-up: a short loop per contender
                for (String contender : CONTENDERS) {
                    run(contender, size, lanes, Math.max(1, callsPerRound / 10 / lanes));
                }
                List<List<Run>> rounds = new ArrayList<>();
                for (int round = 0; round < settings.rounds(); round++) {
                    List<Run> perContender = new ArrayList<>();
                    for (int i = 0; i < CONTENDERS.length; i++) {
                        // rotate the order within each round, so no contender always runs first
                        String contender = CONTENDERS[(i + round) % CONTENDERS.length];
                        Run run = run(contender, size, lanes, callsPerRound / lanes);
                        BenchmarkMain.log(f("in route %s, c=%-3d %-16s %8.0f calls/s  p50 %7.2f ms  p99 %7.2f ms  "
                                        + "%6.1f µs CPU per call", sizeName(size), lanes, contender,
                                run.callsPerSecond(), run.p50Millis(), run.p99Millis(), run.cpuMicrosPerCall()));
                        perContender.add(run);
                    }
                    // back into the fixed order
                    List<Run> ordered = new ArrayList<>(perContender);
                    for (int i = 0; i < CONTENDERS.length; i++) {
                        ordered.set((i + round) % CONTENDERS.length, perContender.get(i));
                    }
                    rounds.add(ordered);
                }
                for (int c = 0; c < CONTENDERS.length; c++) {
                    int index = c;
                    List<Double> rates = rounds.stream().map(r -> r.get(index).callsPerSecond()).toList();
                    List<Double> ratios = rounds.stream().map(r -> r.get(index).callsPerSecond()
                            / r.get(BASELINE).callsPerSecond()).toList();
                    double ratio = Stats.median(ratios);
                    String mark = CONTENDERS[c].equals(Contenders.CAMEL_HTTP) ? "" : ratio >= 1.0 ? " ✅" : " ❌";
                    rows.add(List.of(sizeName(size) + ", c=" + lanes, "`" + CONTENDERS[c] + "`",
                            f("%.0f", Stats.median(rates)),
                            f("%.2f", Stats.median(rounds.stream().map(r -> r.get(index).p50Millis()).toList())),
                            f("%.2f", Stats.median(rounds.stream().map(r -> r.get(index).p99Millis()).toList())),
                            f("%.1f", Stats.median(rounds.stream().map(r -> r.get(index).cpuMicrosPerCall())
                                    .toList())),
                            Stats.ratio(ratio, Settings.TARGET_VS_CAMEL_HTTP) + mark));
                    if (lanes == 1) {
                        threadRows.add(threadRow(sizeName(size) + ", c=1", CONTENDERS[c],
                                rounds.stream().map(r -> r.get(index)).toList()));
                    }
                    if (!mark.isEmpty() && ratio < 1.0) {
                        misses.add(f("in route, %s %s, c=%d: %s camel-http (target >= 1.0x, short by %s)",
                                CONTENDERS[c], sizeName(size), lanes, Stats.ratio(ratio, Settings.TARGET_VS_CAMEL_HTTP),
                                Stats.shortfall(ratio, Settings.TARGET_VS_CAMEL_HTTP)));
                    }
                }
            }
        }
        body.heading(2, "In a route");
        body.paragraph("The step where users run it: `c` routes at once, each one exchange running a `loop` of calls, "
                + "one after the other (as a timer or a queue consumer runs it: the route's thread waits for its "
                + "loop), against stock camel-http in the same route. Latency is taken around the step inside the "
                + "route; *CPU µs per call*: the whole process's CPU time over the calls (the server's thread "
                + "included). Medians over " + settings.rounds() + " round(s), contenders interleaved. `" + WF_IO
                + "`: `wf-materialize` with `continueOnIoThread=true`, the opt-in that runs the rest of the route on "
                + "the I/O thread that completed the call. `" + WF_STREAM_BIG + "`: `wf-stream` on a component with "
                + "`ioBufferSize=131072` (connection buffers of 128 KiB instead of 32 KiB).");
        body.table(List.of("cell", "contender", "calls/s", "p50 ms", "p99 ms", "CPU µs per call",
                "× camel-http (target ≥ 1.0)"), rows);
        if (ThreadTimes.available()) {
            body.heading(3, "Where a call's time goes, one call at a time");
            body.paragraph("The c=1 runs above, split by thread (Linux's per-thread counters in `/proc/self/task`, "
                    + "`ThreadTimes`). Each cell: CPU µs per call / of it in the kernel / times per call the thread "
                    + "went to sleep (a voluntary context switch: a park, a blocking read, an empty epoll wait; each "
                    + "one a wake-up that another thread or the kernel pays for, and on a virtual machine one that "
                    + "costs tens of µs when it crosses to an idle core). *route*: the thread that sent the exchange "
                    + "(it runs camel-http's whole loop; for workflow-http it waits for the loop's end); "
                    + "*continuation*: the threads that run the route after each call; *I/O*: the client's I/O "
                    + "reactor threads; *server*: the benchmark server's one thread. Medians over the rounds.");
            body.table(List.of("cell", "contender", "calls/s", "route", "continuation", "I/O", "server",
                    "client threads together"), threadRows);
        }
    }

    /** One contender's c=1 runs as CPU, kernel CPU and sleeps per call, by thread group. */
    private static List<String> threadRow(String cell, String contender, List<Run> runs) {
        List<String> row = new ArrayList<>(List.of(cell, "`" + contender + "`",
                f("%.0f", Stats.median(runs.stream().map(Run::callsPerSecond).toList()))));
        for (String group : List.of("route", "continuation", "I/O", "server")) {
            row.add(usage(runs, run -> run.threads().getOrDefault(group, new ThreadTimes.Usage(0, 0, 0))));
        }
        // the client: every thread but the server's and the JVM's own (GC, compiler)
        row.add(usage(runs, run -> run.threads().entrySet().stream()
                .filter(e -> !e.getKey().equals("server") && !e.getKey().equals("other"))
                .map(Map.Entry::getValue).reduce(new ThreadTimes.Usage(0, 0, 0), ThreadTimes.Usage::plus)));
        return row;
    }

    private static String usage(List<Run> runs, Function<Run, ThreadTimes.Usage> pick) {
        double cpu = Stats.median(runs.stream().map(r -> pick.apply(r).cpuSeconds() * 1e6 / r.calls()).toList());
        double kernel = Stats.median(runs.stream().map(r -> pick.apply(r).systemSeconds() * 1e6 / r.calls())
                .toList());
        double sleeps = Stats.median(runs.stream().map(r -> (double) pick.apply(r).sleeps() / r.calls()).toList());
        return f("%.1f / %.1f / %.2f", cpu, kernel, sleeps);
    }

    private static String sizeName(int size) {
        return size >= 1024 * 1024 ? (size / (1024 * 1024)) + " MiB" : (size / 1024) + " KiB";
    }

    @Override
    public void close() throws Exception {
        template.close();
        camel.close();
    }
}
