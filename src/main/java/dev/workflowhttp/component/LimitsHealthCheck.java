package dev.workflowhttp.component;

import dev.workflowhttp.internal.limit.OriginLimiter;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.health.HealthCheck;
import org.apache.camel.health.HealthCheckResultBuilder;

/**
 * Readiness check {@code workflow-http-limits} (group {@code components}): always UP while the component runs (an
 * origin that asked to be left alone is no fault of this app); the origins paused now are its details,
 * {@code paused.<origin>} = until when, and {@code waiting.<origin>} = calls waiting for them. Needs no module beyond
 * camel-api: Camel's health registry, when present, calls it.
 */
final class LimitsHealthCheck implements HealthCheck {

    static final String ID = "workflow-http-limits";

    private final WorkflowHttpComponent component;
    private volatile boolean enabled = true;

    LimitsHealthCheck(WorkflowHttpComponent component) {
        this.component = component;
    }

    @Override
    public String getGroup() {
        return "components";
    }

    @Override
    public String getId() {
        return ID;
    }

    @Override
    public boolean isEnabled() {
        return enabled;
    }

    @Override
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    @Override
    public boolean isLiveness() {
        return false;
    }

    @Override
    public Result call(Map<String, Object> options) {
        HealthCheckResultBuilder builder = HealthCheckResultBuilder.on(this);
        WorkflowHttpRuntime runtime = component.currentRuntime();
        if (runtime == null) {
            return builder.unknown()
                    .message("workflow-http component not started")
                    .build();
        }
        Map<String, Object> details = new TreeMap<>();
        List<OriginLimiter> paused = runtime.pausedOrigins();
        for (OriginLimiter limiter : paused) {
            details.put("paused." + limiter.origin(), String.valueOf(limiter.pausedUntil()));
            details.put("waiting." + limiter.origin(), limiter.waiting());
        }
        builder.details(details);
        builder.message(
                paused.isEmpty()
                        ? "no origin paused"
                        : paused.size() + " origin(s) paused by their servers (Retry-After): calls to them wait");
        return builder.up().build();
    }
}
