package dev.workflowhttp.eip;

import dev.workflowhttp.bench.BenchServer;
import dev.workflowhttp.component.WorkflowHttpComponent;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;

/**
 * Run in a JVM of its own with a small heap by {@link SmallHeapLoopsTest}: 16 timer routes, each a {@code loop} of
 * 40 calls to a 1 MiB body, and one route looping 400 times, all at once, in {@code materialize} mode. The counts are
 * what outgrows the 256 MiB heap if bodies stay reachable until their exchange ends: 16 × 40 MiB at once, or 400 MiB
 * in the one long loop. Prints one
 * {@code RESULT} line and exits 0 when every call succeeded and nothing was left open.
 */
public final class SmallHeapLoops {

    static final int ROUTES = 16;
    static final int CALLS_PER_ROUTE = 40;
    static final int LONG_LOOP = 400;

    private SmallHeapLoops() {}

    public static void main(String[] args) throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicInteger failures = new AtomicInteger();
        AtomicReference<String> firstFailure = new AtomicReference<>();
        CountDownLatch routesDone = new CountDownLatch(ROUTES + 1);
        long start = System.nanoTime();
        try (BenchServer server = BenchServer.start();
                DefaultCamelContext context = new DefaultCamelContext()) {
            WorkflowHttpComponent component = new WorkflowHttpComponent();
            context.addComponent("workflow-http", component);
            String step = "workflow-http:" + server.url("/bytes/1048576") + "?timeout=1m";
            context.addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(Exception.class).handled(true).process(exchange -> {
                        Exception e = exchange.getProperty(org.apache.camel.Exchange.EXCEPTION_CAUGHT, Exception.class);
                        failures.incrementAndGet();
                        firstFailure.compareAndSet(null, String.valueOf(e));
                        routesDone.countDown();
                    });
                    for (int i = 0; i < ROUTES + 1; i++) {
                        from("timer:loop-" + i + "?repeatCount=1&delay=-1")
                                .loop(i < ROUTES ? CALLS_PER_ROUTE : LONG_LOOP)
                                .to(step)
                                .process(exchange -> calls.incrementAndGet())
                                .end()
                                .process(exchange -> routesDone.countDown());
                    }
                }
            });
            context.start();
            boolean finished = routesDone.await(5, TimeUnit.MINUTES);
            long seconds = Math.max(1, TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - start));
            context.getRouteController().stopAllRoutes();
            System.out.printf(
                    "RESULT finished=%s calls=%d failures=%d openScopes=%d pendingTimers=%d leased=%d "
                            + "maxHeapMiB=%d seconds=%d firstFailure=%s%n",
                    finished,
                    calls.get(),
                    failures.get(),
                    component.getOpenScopes(),
                    component.getPendingTimers(),
                    component.getLeasedConnections(),
                    Runtime.getRuntime().maxMemory() >> 20,
                    seconds,
                    firstFailure.get());
            System.exit(finished && failures.get() == 0 ? 0 : 1);
        }
    }
}
