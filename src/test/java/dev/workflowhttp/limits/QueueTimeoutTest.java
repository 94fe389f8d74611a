package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.support.LeakChecks;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * A call whose deadline passes while it waits for its origin's limits fails in phase {@code QUEUE}, saying how long
 * it waited, sends nothing and leaves nothing behind: no waiter, no wake-up, no slot, no scope.
 */
class QueueTimeoutTest extends WorkflowHttpTestSupport {

    @Test
    void aDeadlinePassingInTheQueueFailsInPhaseQueueAndLeavesNothing() throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(n -> LimitTestServer.Answer.ok(1500)));
        String slow = oneStepRoute("workflow-http:" + server.url("/slow") + "?maxConcurrent=1");
        // connectTimeout shorter than the wait: it must not run while queued
        String hurried = oneStepRoute(
                "workflow-http:" + server.url("/hurried") + "?maxConcurrent=1&timeout=400ms&connectTimeout=100ms");

        var holder = template.asyncSend(slow, e -> {});
        await().atMost(Duration.ofSeconds(2)).until(() -> server.requests() == 1);
        Exchange late = template.request(hurried, e -> {});

        assertThat(late.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        WorkflowHttpTimeoutException timeout = (WorkflowHttpTimeoutException) late.getException();
        assertThat(timeout.getPhase()).isEqualTo(Phase.QUEUE);
        assertThat(timeout.getTimeout()).isEqualTo(Duration.ofMillis(400));
        assertThat(timeout.getMessage())
                .startsWith("QUEUE timeout")
                .contains("waited ")
                .contains("in the queue")
                .contains("maxConcurrent=1")
                .contains("1 in flight")
                .contains("nothing was sent");
        assertThat(component.getLimitWaiting())
                .as("waiting right after the timeout")
                .isZero();

        assertThat(holder.get().getException()).isNull();
        LeakChecks.assertNothingLeft(component, RELEASE_SLACK);
        assertThat(server.requests()).as("the hurried call was never sent").isEqualTo(1);
    }

    @Test
    void aPauseLongerThanTheDeadlineFailsTheWaitingCallInPhaseQueue() throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(
                n -> n == 1 ? new LimitTestServer.Answer(503, "30", 0) : LimitTestServer.Answer.ok(0)));
        // the pause is capped by the deadline of the call that was answered: a long one here
        String patient = oneStepRoute(
                "workflow-http:" + server.url("/p") + "?rateLimit=100/s&timeout=60s" + "&throwOnHttpError=false");
        String step = oneStepRoute("workflow-http:" + server.url("/p") + "?rateLimit=100/s&timeout=1s");
        assertThat(template.request(patient, e -> {}).getMessage().getHeader(Exchange.HTTP_RESPONSE_CODE))
                .isEqualTo(503);
        long start = System.nanoTime();
        Exchange late = template.request(step, e -> {});
        assertThat(late.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(((WorkflowHttpTimeoutException) late.getException()).getPhase())
                .isEqualTo(Phase.QUEUE);
        assertThat(late.getException().getMessage()).contains("paused by the server until");
        // the 1 s deadline, not the 30 s pause (slack for a loaded machine)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofMillis(2500));
        LeakChecks.assertNothingLeft(component, RELEASE_SLACK);
        assertThat(server.requests()).isEqualTo(1);
    }

    @Test
    void theLimitsCannotBeSetByAMessageHeader() throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(n -> LimitTestServer.Answer.ok(0)));
        String step = oneStepRoute("workflow-http:" + server.url("/h") + "?rateLimit=10/s");
        Exchange result = template.request(step, e -> e.getMessage().setHeader("CamelWorkflowHttpRateLimit", "1000/s"));
        assertThat(result.getException())
                .hasMessageContaining("CamelWorkflowHttpRateLimit")
                .hasMessageContaining("rateLimit")
                .hasMessageContaining("set it on the endpoint");
        result = template.request(step, e -> e.getMessage().setHeader("CamelWorkflowHttpMaxConcurrent", 50));
        assertThat(result.getException()).hasMessageContaining("maxConcurrent");
        assertThat(server.requests()).isZero();
    }
}
