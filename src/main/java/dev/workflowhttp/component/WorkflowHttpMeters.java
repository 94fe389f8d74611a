package dev.workflowhttp.component;

import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpIdleTimeoutException;
import dev.workflowhttp.internal.limit.Origin;
import dev.workflowhttp.internal.limit.OriginLimiter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelContext;

/**
 * The component's meters: the requests timer by outcome and phase, the gauges that must read 0 when the step is idle
 * (open scopes, pending deadline timers, leased connections, open streams, calls waiting for or holding an origin's
 * limits), and the meters of each limited origin, tagged {@code origin} ({@code scheme://host:port}: bounded by the
 * origins called, never a full URL).
 */
final class WorkflowHttpMeters {

    static final String REQUESTS = "workflow.http.requests";

    private final MeterRegistry registry;
    private final List<Meter> registered = new ArrayList<>();
    private final Set<Origin> meteredOrigins = ConcurrentHashMap.newKeySet();

    /** The meters in the context's registry, or null when it holds no MeterRegistry. */
    static WorkflowHttpMeters forRegistryIn(CamelContext context, WorkflowHttpRuntime runtime) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return registry == null ? null : new WorkflowHttpMeters(registry, runtime);
    }

    WorkflowHttpMeters(MeterRegistry registry, WorkflowHttpRuntime runtime) {
        this.registry = registry;
        registered.add(Gauge.builder("workflow.http.scopes.open", runtime, WorkflowHttpRuntime::openScopes)
                .description("Timeout scopes not yet released")
                .register(registry));
        registered.add(Gauge.builder("workflow.http.timers.pending", runtime, WorkflowHttpRuntime::pendingTimers)
                .description("Deadline timers still scheduled")
                .register(registry));
        registered.add(
                Gauge.builder("workflow.http.connections.leased", runtime, WorkflowHttpRuntime::leasedConnections)
                        .description("Pooled connections out on loan")
                        .register(registry));
        registered.add(Gauge.builder("workflow.http.streams.open", runtime, WorkflowHttpRuntime::openStreams)
                .description("Streamed bodies not yet read to their end, closed or released with their exchange")
                .register(registry));
        registered.add(
                FunctionCounter.builder("workflow.http.streams.dropped", runtime, WorkflowHttpRuntime::droppedStreams)
                        .description("Streamed bodies released because the route dropped them unread")
                        .register(registry));
        registered.add(Gauge.builder("workflow.http.limit.waiting", runtime, WorkflowHttpRuntime::limitWaiting)
                .description("Calls waiting for admission under their origin's limits, all origins")
                .register(registry));
        registered.add(Gauge.builder("workflow.http.limit.in.flight", runtime, WorkflowHttpRuntime::limitInFlight)
                .description("Calls holding a slot of their origin's limits, all origins")
                .register(registry));
    }

    /** Registers the meters of {@code limiter}'s origin, once per origin. */
    void meterOrigin(OriginLimiter limiter) {
        if (!meteredOrigins.add(limiter.origin())) {
            return;
        }
        String origin = limiter.origin().toString();
        synchronized (registered) {
            registered.add(Gauge.builder("workflow.http.origin.waiting", limiter, OriginLimiter::waiting)
                    .description("Calls waiting for admission to the origin")
                    .tag("origin", origin)
                    .register(registry));
            registered.add(FunctionCounter.builder(
                            "workflow.http.origin.waited",
                            limiter,
                            l -> l.totalWaited().toNanos() / 1e9)
                    .baseUnit("seconds")
                    .description("Time calls waited for admission to the origin, in all")
                    .tag("origin", origin)
                    .register(registry));
            registered.add(Gauge.builder(
                            "workflow.http.origin.paused.until", limiter, l -> pausedUntilEpochSeconds(l.pausedUntil()))
                    .description("Until when the origin's server paused it (epoch seconds), 0 when not paused")
                    .tag("origin", origin)
                    .register(registry));
            registered.add(Gauge.builder("workflow.http.origin.tokens", limiter, OriginLimiter::availableTokens)
                    .description("Tokens left in the origin's rate bucket, -1 without a rate")
                    .tag("origin", origin)
                    .register(registry));
            registered.add(Gauge.builder("workflow.http.origin.in.flight", limiter, OriginLimiter::inFlight)
                    .description("Calls to the origin holding a slot")
                    .tag("origin", origin)
                    .register(registry));
        }
    }

    private static double pausedUntilEpochSeconds(Instant until) {
        return until == null ? 0 : until.toEpochMilli() / 1000.0;
    }

    void record(TimeoutScope scope, TimeoutScope.State finalState) {
        String outcome = switch (finalState) {
            case COMPLETED -> scope.isHttpError() ? "http_error" : "success";
            case TIMED_OUT -> "timeout";
            case FAILED -> scope.getFailure() instanceof WorkflowHttpIdleTimeoutException ? "timeout" : "error";
            // released before the body was read whole: the workflow did not consume it
            default -> "abandoned";
        };
        Timer timer = Timer.builder(REQUESTS)
                .description("workflow-http calls, from the lease of a connection to the last byte of the body")
                .tag("outcome", outcome)
                .tag("phase", scope.getPhase().name())
                .register(registry);
        timer.record(scope.getCallDuration());
    }

    void close() {
        synchronized (registered) {
            for (Meter meter : registered) {
                registry.remove(meter);
            }
        }
        registry.getMeters().stream()
                .filter(meter -> meter.getId().getName().equals(REQUESTS))
                .forEach(registry::remove);
    }
}
