package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.WorkflowHttpStatusException;
import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckHelper;
import org.apache.camel.impl.health.DefaultHealthCheckRegistry;
import org.junit.jupiter.api.Test;

/**
 * One 429 with {@code Retry-After: 2} from an origin nobody declared a limit for pauses that origin for 2 s, for
 * every route calling it: no request reaches it before, and the calls made meanwhile wait and then go. The pause
 * shows in the origin's meters and in the component's readiness check, which stays UP.
 */
class ServerPauseTest extends WorkflowHttpTestSupport {

    private final MeterRegistry meters = new SimpleMeterRegistry();

    @Override
    protected void configure(WorkflowHttpComponent component) {
        context.getRegistry().bind("meters", meters);
        DefaultHealthCheckRegistry health = new DefaultHealthCheckRegistry();
        context.getCamelContextExtension().addContextPlugin(org.apache.camel.health.HealthCheckRegistry.class, health);
    }

    @Test
    void a429WithRetryAfterPausesTheOriginForEveryRoute() throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(
                n -> n == 1 ? new LimitTestServer.Answer(429, "2", 0) : LimitTestServer.Answer.ok(0)));
        String routeA = oneStepRoute("workflow-http:" + server.url("/a"));
        String routeB = oneStepRoute("workflow-http:" + server.url("/b") + "?timeout=10s");

        Exchange refused = template.request(routeA, e -> {});
        long pausedAt = System.nanoTime();
        assertThat(refused.getException()).isInstanceOf(WorkflowHttpStatusException.class);

        List<CompletableFuture<Exchange>> meanwhile = List.of(
                template.asyncSend(routeA, e -> {}),
                template.asyncSend(routeB, e -> {}),
                template.asyncSend(routeB, e -> {}));
        String origin = server.origin();
        await().atMost(Duration.ofSeconds(1)).until(() -> component.getLimitWaiting() == 3);
        assertThat(pausedGauge(origin)).as("paused until, epoch seconds").isPositive();
        HealthCheck.Result health = HealthCheckHelper.invoke(context, "workflow-http-limits", Map.of())
                .orElseThrow();
        assertThat(health.getState()).isEqualTo(HealthCheck.State.UP);
        assertThat(health.getDetails()).containsKey("paused." + origin).containsEntry("waiting." + origin, 3);

        for (CompletableFuture<Exchange> call : meanwhile) {
            assertThat(call.get().getException()).isNull();
        }
        List<Long> arrivals = server.arrivals();
        assertThat(arrivals).hasSize(4);
        // the pause runs from when the client read the 429, after the server sent it: every later request arrives
        // 2 s after the first one at least (the same clock, System.nanoTime, on both sides)
        assertThat(Duration.ofNanos(arrivals.get(1) - arrivals.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        // and not much later: the wake-up is due at the pause's end (slack for a loaded, shared machine)
        assertThat(Duration.ofNanos(arrivals.get(3) - pausedAt)).isLessThan(Duration.ofMillis(3500));
        assertThat(meters.get("workflow.http.origin.waited")
                        .tag("origin", origin)
                        .functionCounter()
                        .count())
                .as("seconds waited, three calls of about 2 s")
                .isGreaterThan(4.0);
    }

    private double pausedGauge(String origin) {
        return meters.get("workflow.http.origin.paused.until")
                .tag("origin", origin)
                .gauge()
                .value();
    }
}
