package dev.workflowhttp.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.component.WorkflowHttpComponent;
import java.time.Duration;

/** The leak gauges a test reads after its calls: each must come back to zero. */
public final class LeakChecks {

    private LeakChecks() {}

    /**
     * Waits (bounded by {@code slack}: releases run on other threads) until no scope is open, no timer queued, no
     * stream open, no connection leased, and no call waiting for or holding its origin's limits (a wake-up of the
     * limits' queue is a pending timer).
     */
    public static void assertNothingLeft(WorkflowHttpComponent component, Duration slack) {
        await("scopes, timers, streams, connections and limit slots to be released")
                .atMost(slack)
                .untilAsserted(() -> {
                    assertThat(component.getLimitWaiting())
                            .as("calls waiting for their origin's limits")
                            .isZero();
                    assertThat(component.getLimitInFlight())
                            .as("limit slots held")
                            .isZero();
                    assertThat(component.getOpenScopes()).as("open scopes").isZero();
                    assertThat(component.getPendingTimers())
                            .as("pending timers")
                            .isZero();
                    assertThat(component.getOpenStreams()).as("open streams").isZero();
                    assertThat(component.getLeasedConnections())
                            .as("leased connections")
                            .isZero();
                });
    }
}
