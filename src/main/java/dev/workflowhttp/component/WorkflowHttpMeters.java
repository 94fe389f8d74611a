package dev.workflowhttp.component;

import java.util.ArrayList;
import java.util.List;

import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpIdleTimeoutException;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.apache.camel.CamelContext;

/**
 * The component's meters: the requests timer by outcome and phase, and the three gauges that must read 0 when the
 * step is idle (open scopes, pending deadline timers, leased connections).
 */
final class WorkflowHttpMeters {

    static final String REQUESTS = "workflow.http.requests";

    private final MeterRegistry registry;
    private final List<Meter> registered = new ArrayList<>();

    /** The meters in the context's registry, or null when it holds no MeterRegistry. */
    static WorkflowHttpMeters forRegistryIn(CamelContext context, WorkflowHttpRuntime runtime) {
        MeterRegistry registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        return registry == null ? null : new WorkflowHttpMeters(registry, runtime);
    }

    WorkflowHttpMeters(MeterRegistry registry, WorkflowHttpRuntime runtime) {
        this.registry = registry;
        registered.add(Gauge.builder("workflow.http.scopes.open", runtime, WorkflowHttpRuntime::openScopes)
                .description("Timeout scopes not yet released").register(registry));
        registered.add(Gauge.builder("workflow.http.timers.pending", runtime, WorkflowHttpRuntime::pendingTimers)
                .description("Deadline timers still scheduled").register(registry));
        registered.add(Gauge.builder("workflow.http.connections.leased", runtime,
                        WorkflowHttpRuntime::leasedConnections)
                .description("Pooled connections out on loan").register(registry));
        registered.add(Gauge.builder("workflow.http.streams.open", runtime, WorkflowHttpRuntime::openStreams)
                .description("Streamed bodies not yet read to their end, closed or released with their exchange")
                .register(registry));
        registered.add(FunctionCounter.builder("workflow.http.streams.dropped",
                        runtime, WorkflowHttpRuntime::droppedStreams)
                .description("Streamed bodies released because the route dropped them unread").register(registry));
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
        for (Meter meter : registered) {
            registry.remove(meter);
        }
        registry.getMeters().stream().filter(meter -> meter.getId().getName().equals(REQUESTS))
                .forEach(registry::remove);
    }
}
