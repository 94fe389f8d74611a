package dev.workflowhttp.eip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.bench.BenchServer;
import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.LeakChecks;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A call's resources belong to the call, not to the exchange: in one exchange that makes many calls (a {@code loop}
 * paging through an API), each call is released when its body is done, so neither the open scopes nor the heap grow
 * with the number of calls, and streams the route drops unread do not starve the pool.
 */
class LongExchangeTest extends CamelTestSupport {

    private static final int LONG_LOOP = 30_000;
    private static final int HEAP_SAMPLE_AT = 5_000;

    private final BenchServer server = start();
    private WorkflowHttpComponent component;
    private final AtomicInteger maxOpenScopes = new AtomicInteger();
    private final AtomicLong heapAtSample = new AtomicLong();

    private static BenchServer start() {
        try {
            return BenchServer.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        component = new WorkflowHttpComponent();
        // few connections, so that a stream held where it should not be shows at once
        component.setMaxConnectionsPerRoute(2);
        context.addComponent("workflow-http", component);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:long-loop")
                        .loop(LONG_LOOP)
                        .to("workflow-http:" + server.url("/bytes/1024") + "?timeout=1h")
                        .process(exchange -> {
                            // the scope of the call that just ended is released before the route goes on
                            maxOpenScopes.accumulateAndGet(component.getOpenScopes(), Math::max);
                            if (exchange.getProperty(Exchange.LOOP_INDEX, Integer.class) == HEAP_SAMPLE_AT) {
                                heapAtSample.set(usedHeapAfterGc());
                            }
                        })
                        .end();
                from("direct:dropped-streams")
                        .loop(1_000)
                        .to("workflow-http:" + server.url("/bytes/1048576") + "?timeout=1h&bodyMode=stream")
                        .setBody(constant(""))
                        .end();
                from("direct:kept-streams")
                        .loop(4)
                        .to("workflow-http:" + server.url("/bytes/1048576")
                                + "?timeout=1h&connectTimeout=500ms&bodyMode=stream")
                        .setProperty("page-${exchangeProperty.CamelLoopIndex}", body())
                        .setBody(constant(""))
                        .end();
            }
        };
    }

    @AfterEach
    void nothingLeft() throws Exception {
        LeakChecks.assertNothingLeft(component, Duration.ofSeconds(10));
        server.close();
    }

    /**
     * 30,000 materialized calls in one exchange: at most one scope open at any step of the loop, and the heap after
     * the loop (after GC) no larger than after its first 5,000 calls but for noise. Before calls were released with
     * their body, each call kept about 1.6 KiB (its scope, consumer, result and settings) until the exchange ended:
     * 25,000 more calls would have added about 40 MiB, so a bound of 16 MiB tells the two apart with room for the
     * collector's noise.
     */
    @Test
    void thirtyThousandCallsInOneExchangeKeepNothingButTheLastBody() {
        Exchange result = template.request("direct:long-loop", exchange -> {});
        long heapAfter = usedHeapAfterGc();

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(byte[].class)).hasSize(1024);
        assertThat(maxOpenScopes.get())
                .as("most scopes open at once during the loop")
                .isLessThanOrEqualTo(1);
        long growth = heapAfter - heapAtSample.get();
        System.out.printf(
                "heap after GC: %.1f MiB after %d calls, %.1f MiB after %d calls (growth %.1f MiB)%n",
                heapAtSample.get() / 1048576.0, HEAP_SAMPLE_AT, heapAfter / 1048576.0, LONG_LOOP, growth / 1048576.0);
        assertThat(growth)
                .as("heap growth over %d calls, bytes", LONG_LOOP - HEAP_SAMPLE_AT)
                .isLessThan(16L * 1024 * 1024);
    }

    /**
     * 1,000 streamed 1 MiB bodies replaced unread, in one exchange, with two connections allowed: each next call
     * releases the stream the route dropped, so the loop never waits for the pool.
     */
    @Test
    void aThousandStreamsDroppedUnreadDoNotStarveThePool() {
        Exchange result = template.request("direct:dropped-streams", exchange -> {});

        assertThat(result.getException()).isNull();
        // every stream but the last was dropped before a next call; the last goes with the exchange
        assertThat(component.getDroppedStreams()).isEqualTo(999);
    }

    /**
     * Streams the route keeps (in properties) hold their connections: with two allowed, the third call cannot get
     * one, and its CONNECT timeout says why instead of a bare timeout.
     */
    @Test
    void aPoolHeldByKeptStreamsIsNamedInTheTimeout() {
        Exchange result = template.request("direct:kept-streams", exchange -> {});

        assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        WorkflowHttpTimeoutException timeout = (WorkflowHttpTimeoutException) result.getException();
        assertThat(timeout.getPhase()).isEqualTo(Phase.CONNECT);
        assertThat(timeout.getMessage())
                .contains("no pooled connection came free: 2 of 2 connections to 127.0.0.1:")
                .contains("2 of them held by streamed bodies not yet read to their end or closed")
                .contains("GET " + server.url("/bytes/1048576"));
        assertThat(component.getDroppedStreams()).isZero();
    }

    private static long usedHeapAfterGc() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
