package dev.workflowhttp.bench;

import static dev.workflowhttp.bench.Stats.f;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.component.WorkflowHttpComponent;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntSupplier;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.client5.http.impl.async.CloseableHttpAsyncClient;
import org.apache.hc.client5.http.impl.async.HttpAsyncClients;
import org.apache.hc.client5.http.impl.nio.PoolingAsyncClientConnectionManagerBuilder;
import org.apache.hc.core5.concurrent.FutureCallback;

/**
 * What only workflow-http promises, on a component whose pool holds every call at once: thousands of slow calls in
 * flight on a few threads, a deadline that fires on time in the middle of a body, and a timer per call that leaves
 * nothing behind.
 */
final class ScaleBenchmarks implements AutoCloseable {

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final Settings settings;
    private final ServerProcesses servers;
    private final CamelContext camel;
    private final WorkflowHttpComponent component;
    private final ProducerTemplate template;
    private final List<String> misses = new ArrayList<>();
    private final String inFlightUrl;

    ScaleBenchmarks(Settings settings, ServerProcesses servers) throws Exception {
        this.settings = settings;
        this.servers = servers;
        camel = new DefaultCamelContext();
        camel.disableJMX();
        component = new WorkflowHttpComponent();
        int pool = Math.max(settings.inFlightCalls(), settings.deadlineCalls()) + 100;
        component.setMaxConnections(pool);
        component.setMaxConnectionsPerRoute(pool);
        camel.addComponent("workflow-http", component);
        inFlightUrl = servers.url(f("/trickle/%d/%d/10", Settings.IN_FLIGHT_BODY, settings.inFlightTrickleMillis()));
        String deadline = servers.url(f(
                "/trickle/%d/%d/%d",
                Settings.DEADLINE_BODY, settings.deadlineTrickleMillis(), settings.deadlineTrickleMillis() / 100));
        String fast = servers.url("/bytes/1024");
        camel.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the failures these routes expect are counted by the benchmark, not logged
                errorHandler(noErrorHandler());
                from("direct:in-flight-" + Settings.IN_FLIGHT_BODY).to("workflow-http:" + inFlightUrl + "?timeout=60s");
                from("direct:deadline-materialize-" + Settings.DEADLINE_BODY)
                        .to("workflow-http:" + deadline + "?timeout=" + Settings.DEADLINE_MILLIS + "ms");
                from("direct:deadline-stream-" + Settings.DEADLINE_BODY)
                        .to("workflow-http:" + deadline + "?timeout=" + Settings.DEADLINE_MILLIS + "ms&bodyMode=stream")
                        .process(Contenders::readBodyWhole);
                from("direct:timers-1024").to("workflow-http:" + fast + "?timeout=1h");
            }
        });
        camel.start();
        template = camel.createProducerTemplate();
        template.setThreadedAsyncMode(false);
    }

    List<String> misses() {
        return misses;
    }

    private RouteContender route(String name, int bodySize) {
        return new RouteContender(name, false, template, RouteContender.endpoints(camel, name, bodySize));
    }

    // ---- in-flight scale

    void inFlight(Report report) throws Exception {
        int calls = settings.inFlightCalls();
        RouteContender route = route("in-flight", Settings.IN_FLIGHT_BODY);
        awaitIdle();
        long heapBefore = Heap.usedAfterGc();
        int threadsBefore = THREADS.getThreadCount();
        THREADS.resetPeakThreadCount();
        servers.takePeakConnections();
        Sampler sampler =
                new Sampler(component::getLeasedConnections, component::getOpenScopes, THREADS::getThreadCount);
        sampler.start();

        CountDownLatch done = new CountDownLatch(calls);
        long[] latencies = new long[calls];
        AtomicInteger whole = new AtomicInteger();
        List<Throwable> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        long start = System.nanoTime();
        for (int i = 0; i < calls; i++) {
            int index = i;
            long issued = System.nanoTime();
            route.send(Settings.IN_FLIGHT_BODY).whenComplete((exchange, error) -> {
                latencies[index] = System.nanoTime() - issued;
                Throwable failure = error != null ? error : exchange.getException();
                if (failure != null) {
                    failures.add(failure);
                } else if (Contenders.bodyBytes(exchange) == Settings.IN_FLIGHT_BODY) {
                    whole.incrementAndGet();
                }
                done.countDown();
            });
        }
        long issuedIn = System.nanoTime() - start;
        // half-way through the trickle every call is in flight: what the heap holds for them now is their cost
        sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(settings.inFlightTrickleMillis() / 2));
        int openAtMiddle = component.getOpenScopes();
        Map<String, Integer> threadGroups = threadGroups();
        long heapInFlight = Heap.usedAfterGc();
        boolean finished = done.await(settings.inFlightTrickleMillis() + 120_000L, TimeUnit.MILLISECONDS);
        long took = System.nanoTime() - start;
        sampler.stop();
        int peakThreads = THREADS.getPeakThreadCount();
        // less the connection that asks
        int serverPeak = servers.takePeakConnections() - 1;
        Arrays.sort(latencies);
        awaitIdle();

        boolean allWhole = finished && whole.get() == calls;
        boolean threadsOk = peakThreads <= Settings.THREAD_LIMIT;
        if (!allWhole) {
            misses.add(f(
                    "in-flight scale: %d of %d calls completed whole (%d failed%s)",
                    whole.get(), calls, failures.size(), failures.isEmpty() ? "" : ", first: " + failures.get(0)));
        }
        if (!threadsOk) {
            misses.add(f(
                    "in-flight scale: %d live JVM threads at peak (target <= %d)", peakThreads, Settings.THREAD_LIMIT));
        }
        long retained = heapInFlight - heapBefore;
        double rawAsyncPerCall = rawAsyncRetainedPerCall(calls);
        report.table(
                List.of("measure", "value"),
                List.of(
                        List.of(
                                "calls, each a 16 KiB body trickled over "
                                        + Duration.ofMillis(settings.inFlightTrickleMillis())
                                                .toSeconds() + " s (10 slices), "
                                        + "`bodyMode=materialize`, `timeout=60s`",
                                String.valueOf(calls)),
                        List.of("completed whole", f("%d of %d %s", whole.get(), calls, allWhole ? "✅" : "❌")),
                        List.of("all issued from one thread in", f("%.0f ms", issuedIn / 1e6)),
                        List.of(
                                "in flight at once (peak open scopes / leased connections / server connections)",
                                f("%d / %d / %d", sampler.peak(1), sampler.peak(0), serverPeak)),
                        List.of(
                                "call duration min / p50 / max",
                                f(
                                        "%.2f / %.2f / %.2f s",
                                        latencies[0] / 1e9,
                                        Stats.percentile(latencies, 50) / 1e9,
                                        latencies[calls - 1] / 1e9)),
                        List.of("all done after", f("%.2f s", took / 1e9)),
                        List.of(
                                "live JVM threads: before / peak (target ≤ " + Settings.THREAD_LIMIT + ")",
                                f("%d / %d %s", threadsBefore, peakThreads, threadsOk ? "✅" : "❌")),
                        List.of(
                                "heap after GC: before / with all in flight / retained per call (the client's end of each "
                                        + "connection: the server runs in a process of its own)",
                                f(
                                        "%s / %s / %s",
                                        Stats.mib(heapBefore),
                                        Stats.mib(heapInFlight),
                                        Stats.kib(retained / (double) Math.max(1, openAtMiddle)))),
                        List.of("open scopes when the heap was measured", String.valueOf(openAtMiddle)),
                        List.of(
                                "the same calls with raw HttpClient 5 async (same pool, no Camel): retained per call",
                                Stats.kib(rawAsyncPerCall))));
        List<String> groups = new ArrayList<>();
        threadGroups.forEach((name, count) -> groups.add(count > 1 ? name + " ×" + count : name));
        report.paragraph("Live threads half-way (whole JVM, "
                + threadGroups.values().stream().mapToInt(Integer::intValue).sum() + "): " + String.join(", ", groups)
                + ".");
    }

    /** Heap held per call when the same calls run on HttpClient 5 async alone: the client's own share. */
    private double rawAsyncRetainedPerCall(int calls) throws Exception {
        int pool = calls + 100;
        try (CloseableHttpAsyncClient client = HttpAsyncClients.custom()
                .setConnectionManager(PoolingAsyncClientConnectionManagerBuilder.create()
                        .setMaxConnTotal(pool)
                        .setMaxConnPerRoute(pool)
                        .build())
                .disableAutomaticRetries()
                .build()) {
            client.start();
            long heapBefore = Heap.usedAfterGc();
            CountDownLatch done = new CountDownLatch(calls);
            long start = System.nanoTime();
            for (int i = 0; i < calls; i++) {
                client.execute(
                        SimpleRequestProducer.create(
                                SimpleRequestBuilder.get(inFlightUrl).build()),
                        new LeanBodyConsumer(),
                        new FutureCallback<byte[]>() {
                            @Override
                            public void completed(byte[] body) {
                                done.countDown();
                            }

                            @Override
                            public void failed(Exception cause) {
                                done.countDown();
                            }

                            @Override
                            public void cancelled() {
                                done.countDown();
                            }
                        });
            }
            sleepUntil(start + TimeUnit.MILLISECONDS.toNanos(settings.inFlightTrickleMillis() / 2));
            long heapInFlight = Heap.usedAfterGc();
            done.await(settings.inFlightTrickleMillis() + 60_000L, TimeUnit.MILLISECONDS);
            return (heapInFlight - heapBefore) / (double) calls;
        }
    }

    // ---- deadline precision

    void deadline(Report report) throws Exception {
        List<List<String>> rows = new ArrayList<>();
        for (String mode : List.of("materialize", "stream")) {
            rows.add(deadlineRun(mode));
        }
        report.table(
                List.of(
                        "mode",
                        "calls",
                        "timed out in phase",
                        "caller saw it late by p50 / p99 / max ms",
                        "timer fired late by p50 / p99 / max ms",
                        "p99 target ≤ 50 ms",
                        "left after (scopes / timers / " + "leased)"),
                rows);
    }

    private List<String> deadlineRun(String mode) throws Exception {
        int calls = settings.deadlineCalls();
        RouteContender route = route("deadline-" + mode, Settings.DEADLINE_BODY);
        awaitIdle();
        CountDownLatch done = new CountDownLatch(calls);
        long[] seenLate = new long[calls];
        long[] timerLate = new long[calls];
        Phase expected = mode.equals("stream") ? Phase.STREAM : Phase.BODY;
        AtomicInteger rightPhase = new AtomicInteger();
        List<Throwable> unexpected = java.util.Collections.synchronizedList(new ArrayList<>());
        long deadlineNanos = TimeUnit.MILLISECONDS.toNanos(Settings.DEADLINE_MILLIS);
        for (int i = 0; i < calls; i++) {
            int index = i;
            long issued = System.nanoTime();
            route.send(Settings.DEADLINE_BODY).whenComplete((exchange, error) -> {
                seenLate[index] = System.nanoTime() - issued - deadlineNanos;
                Throwable failure = error != null ? error : exchange.getException();
                WorkflowHttpTimeoutException timeout = timeoutIn(failure);
                if (timeout != null) {
                    timerLate[index] = timeout.getElapsed().toNanos()
                            - timeout.getTimeout().toNanos();
                    if (timeout.getPhase() == expected) {
                        rightPhase.incrementAndGet();
                    }
                } else {
                    unexpected.add(failure != null ? failure : new IllegalStateException("no timeout"));
                }
                done.countDown();
            });
        }
        boolean finished = done.await(settings.deadlineTrickleMillis() + 60_000L, TimeUnit.MILLISECONDS);
        long[] leftOver = awaitIdle();
        Arrays.sort(seenLate);
        Arrays.sort(timerLate);
        double p99 = Stats.percentile(seenLate, 99) / 1e6;
        boolean ok = finished && unexpected.isEmpty() && p99 <= Settings.TARGET_DEADLINE_P99_MILLIS;
        if (!ok) {
            misses.add(f(
                    "deadline precision (%s): p99 lateness %.1f ms (target <= %.0f ms)%s",
                    mode,
                    p99,
                    Settings.TARGET_DEADLINE_P99_MILLIS,
                    unexpected.isEmpty()
                            ? ""
                            : f("; %d calls did not time out, first: %s", unexpected.size(), unexpected.get(0))));
        }
        return List.of(
                "`" + mode + "`",
                String.valueOf(calls),
                f("%s: %d of %d", expected, rightPhase.get(), calls),
                f("%.1f / %.1f / %.1f", Stats.percentile(seenLate, 50) / 1e6, p99, seenLate[calls - 1] / 1e6),
                f(
                        "%.1f / %.1f / %.1f",
                        Stats.percentile(timerLate, 50) / 1e6,
                        Stats.percentile(timerLate, 99) / 1e6,
                        timerLate[calls - 1] / 1e6),
                ok ? "✅" : "❌",
                f("%d / %d / %d", leftOver[0], leftOver[1], leftOver[2]));
    }

    private static WorkflowHttpTimeoutException timeoutIn(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof WorkflowHttpTimeoutException timeout) {
                return timeout;
            }
        }
        return null;
    }

    // ---- timer cost

    void timers(Report report, LoadRunner runner) throws Exception {
        RouteContender route = route("timers", 1024);
        int calls = settings.timerCalls();
        int concurrency = 32;
        runner.counted(route, 1024, concurrency, Math.max(2_000, calls / 10), null);
        awaitIdle();
        long heapBefore = Heap.usedAfterGc();
        Sampler sampler = new Sampler(component::getPendingTimers, component::getOpenScopes);
        sampler.start();
        long took = runner.counted(route, 1024, concurrency, calls, null);
        sampler.stop();
        long idleFrom = System.nanoTime();
        long[] leftOver = awaitIdle();
        long toIdle = System.nanoTime() - idleFrom;
        long heapAfter = Heap.usedAfterGc();
        long retained = heapAfter - heapBefore;
        boolean clean = leftOver[0] == 0 && leftOver[1] == 0 && leftOver[2] == 0;
        boolean heapOk = retained <= Settings.RETAINED_HEAP_LIMIT;
        if (!clean) {
            misses.add(f(
                    "timer cost: %d open scopes, %d pending timers, %d leased connections left",
                    leftOver[0], leftOver[1], leftOver[2]));
        }
        if (!heapOk) {
            misses.add(f("timer cost: %s retained after %d calls (target <= 5 MiB)", Stats.mib(retained), calls));
        }
        report.table(
                List.of("measure", "value"),
                List.of(
                        List.of(
                                "calls (1 KiB, `timeout=1h`, " + concurrency + " at a time)",
                                f("%,d in %.1f s (%.0f calls/s)", calls, took / 1e9, calls / (took / 1e9))),
                        List.of(
                                "pending timers / open scopes at most, during the run",
                                f("%d / %d", sampler.peak(0), sampler.peak(1))),
                        List.of(
                                "open scopes / pending timers / leased connections after",
                                f(
                                        "%d / %d / %d (after %.0f ms) %s",
                                        leftOver[0], leftOver[1], leftOver[2], toIdle / 1e6, clean ? "✅" : "❌")),
                        List.of(
                                "heap after GC: before / after / retained (target ≤ 5 MiB)",
                                f(
                                        "%s / %s / %+.2f MiB %s",
                                        Stats.mib(heapBefore),
                                        Stats.mib(heapAfter),
                                        retained / (1024.0 * 1024.0),
                                        heapOk ? "✅" : "❌"))));
    }

    // ---- plumbing

    /** Waits (at most 10 s) until no scope is open, no timer pending and no connection leased; returns what is left. */
    private long[] awaitIdle() throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < until) {
            if (component.getOpenScopes() == 0
                    && component.getPendingTimers() == 0
                    && component.getLeasedConnections() == 0) {
                break;
            }
            Thread.sleep(5);
        }
        return new long[] {component.getOpenScopes(), component.getPendingTimers(), component.getLeasedConnections()};
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long left;
        while ((left = nanoTime - System.nanoTime()) > 0) {
            TimeUnit.NANOSECONDS.sleep(left);
        }
    }

    /** Live threads by name, numbers stripped: {@code workflow-http-io ×2}. */
    private static Map<String, Integer> threadGroups() {
        Map<String, Integer> groups = new TreeMap<>();
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            String name = thread.getName().replaceAll("[-# ]*\\d+", "").replaceAll("\\s+$", "");
            groups.merge(name.isEmpty() ? "(unnamed)" : name, 1, Integer::sum);
        }
        return groups;
    }

    @Override
    public void close() throws Exception {
        template.close();
        camel.close();
    }

    /** Polls a few gauges every 5 ms and keeps their peaks. */
    private static final class Sampler {
        private final IntSupplier[] gauges;
        private final int[] peaks;
        private final Thread thread;
        private volatile boolean running = true;

        Sampler(IntSupplier... gauges) {
            this.gauges = gauges;
            this.peaks = new int[gauges.length];
            this.thread = new Thread(this::sample, "bench-sampler");
            thread.setDaemon(true);
        }

        void start() {
            thread.start();
        }

        private void sample() {
            while (running) {
                for (int i = 0; i < gauges.length; i++) {
                    peaks[i] = Math.max(peaks[i], gauges[i].getAsInt());
                }
                try {
                    Thread.sleep(5);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }

        void stop() throws InterruptedException {
            running = false;
            thread.join();
        }

        int peak(int gauge) {
            return peaks[gauge];
        }
    }
}
