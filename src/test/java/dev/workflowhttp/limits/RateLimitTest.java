package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * {@code rateLimit=10/s}: a split firing calls in parallel at one origin, through two endpoints naming it, reaches the
 * server at no more than 10 requests in any second, and every call is answered.
 */
class RateLimitTest extends WorkflowHttpTestSupport {

    private static final int CALLS = 40;

    @Test
    void aSplitInParallelKeepsTheRateInEveryWindowAndLosesNothing() throws Exception {
        splitAtTenPerSecond(CALLS);
    }

    /**
     * The scenario, 500 calls at 10/s (about 50 s): {@code mvn -B -o verify -Dtest=RateLimitTest
     * -Dworkflow.limits.long=true -Dsurefire.failIfNoSpecifiedTests=false}.
     */
    @Test
    @EnabledIfSystemProperty(named = "workflow.limits.long", matches = "true")
    void fiveHundredCallsAtTenPerSecond() throws Exception {
        splitAtTenPerSecond(500);
    }

    private void splitAtTenPerSecond(int calls) throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(n -> LimitTestServer.Answer.ok(0)));
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split")
                        .split(body())
                        .parallelProcessing()
                        .executorService(
                                getContext().getExecutorServiceManager().newFixedThreadPool(this, "split", 20))
                        .choice()
                        .when(e -> e.getMessage().getBody(Integer.class) % 2 == 0)
                        .to("workflow-http:" + server.url("/a") + "?rateLimit=10/s")
                        .otherwise()
                        .to("workflow-http:" + server.url("/b") + "?rateLimit=600/m")
                        .end()
                        .to("mock:done");
            }
        });
        // warm up: the first call of a JVM loads the client's classes and opens the reactor's first connection, slow
        // enough on a loaded machine that the calls admitted meanwhile reach the server together
        assertThat(template.request("workflow-http:" + server.url("/warm-up"), e -> {})
                        .getException())
                .isNull();
        int warmUp = server.requests();
        getMockEndpoint("mock:done").expectedMessageCount(calls);
        List<Integer> items = IntStream.range(0, calls).boxed().toList();
        long start = System.nanoTime();
        Exchange result = template.request("direct:split", e -> e.getMessage().setBody(items));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.getException()).isNull();
        getMockEndpoint("mock:done").assertIsSatisfied();
        assertThat(server.requests() - warmUp).as("requests the server saw").isEqualTo(calls);
        // the bucket lets 10 through in any second (burst 1: evenly spaced); one more is allowed for the time between
        // admission and arrival, which differs from call to call on a shared machine
        assertThat(server.mostInAnyWindow(Duration.ofSeconds(1).toNanos()))
                .as("requests in any 1 s")
                .isLessThanOrEqualTo(11);
        // n calls at 10/s after the warm-up's token: (n - 1) / 10 s at least (100 ms of slack for the refill's first
        // token); at most 3 s more, for a loaded machine
        long least = (calls - 1) * 100L;
        assertThat(took).isBetween(Duration.ofMillis(least - 100), Duration.ofMillis(least + 3000));
    }
}
