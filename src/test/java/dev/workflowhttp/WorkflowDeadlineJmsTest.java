package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.JmsTestSupport;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A workflow deadline set before a JMS hop is honoured by the consumer on the other side: it travels as the
 * {@code WorkflowDeadline} header in epoch milliseconds (Camel's JMS binding drops {@code Camel*} headers).
 */
class WorkflowDeadlineJmsTest extends JmsTestSupport {

    @Override
    protected String brokerName() {
        return "workflow-deadline-jms";
    }

    /** Shared, noisy 2-core machines: how much later than the deadline the failure may come. */
    private static final long SLACK_MILLIS = 1500;

    private HostileServer stalling;

    @BeforeEach
    void startStallingServer() throws Exception {
        stalling = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.awaitClosedByClient(Duration.ofSeconds(30));
        }));
    }

    @Test
    void consumerAcrossTheQueueHonoursTheDeadline() throws Exception {
        BlockingQueue<Exchange> failed = new LinkedBlockingQueue<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:start")
                        .bean(WorkflowDeadline.class, "within(*, '800ms')")
                        .to("jms:queue:deadline-hop");
                from("jms:queue:deadline-hop")
                        .onException(WorkflowHttpException.class)
                        .handled(true)
                        .process(failed::add)
                        .end()
                        .to("workflow-http:" + stalling.url("/stall") + "?timeout=1h");
            }
        });
        long start = System.nanoTime();
        template.sendBody("direct:start", "job");
        Exchange failure = failed.poll(20, TimeUnit.SECONDS);
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(failure)
                .as("the consumer's call failed on the workflow deadline")
                .isNotNull();
        Exception caught = failure.getProperty(Exchange.EXCEPTION_CAUGHT, Exception.class);
        assertThat(caught).isInstanceOf(WorkflowHttpTimeoutException.class).hasMessageContaining("workflow deadline");
        assertThat(failure.getMessage().getHeader(WorkflowDeadline.HEADER)).isNotNull();
        assertThat(took).isBetween(700L, 800 + SLACK_MILLIS);
    }
}
