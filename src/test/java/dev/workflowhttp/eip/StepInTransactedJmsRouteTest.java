package dev.workflowhttp.eip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.bench.BenchServer;
import dev.workflowhttp.support.JmsTestSupport;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The step in a route consuming a transacted JMS queue, as the app configures it (a local JMS transaction, committed
 * when the route completed; the consumer's thread waits for the call, and the outcome is handed straight to it): a
 * call that succeeds, one whose deadline passes mid-body and one whose deadline passes while a later step reads the
 * stream. The base class checks that nothing is left.
 */
class StepInTransactedJmsRouteTest extends JmsTestSupport {

    @Override
    protected String brokerName() {
        return "eip-jms";
    }

    @Override
    protected boolean transacted() {
        return true;
    }

    private BenchServer server;
    private final BlockingQueue<Exchange> outcomes = new LinkedBlockingQueue<>();

    @BeforeEach
    void startServerAndRoute() throws Exception {
        server = closeAfterLeakCheck(BenchServer.start());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).process(outcomes::add);
                from("jms:queue:calls")
                        .routeId("transacted-calls")
                        .process(e ->
                                e.setProperty("before", Thread.currentThread().getName()))
                        .toD("workflow-http:" + server.url("${body}"))
                        .process(e ->
                                e.setProperty("after", Thread.currentThread().getName()))
                        .convertBodyTo(String.class)
                        .process(outcomes::add);
            }
        });
    }

    @Override
    protected boolean isForeignThread(String name) {
        return super.isForeignThread(name) || name.startsWith("bench-server");
    }

    @Test
    void callSucceeds() throws Exception {
        template.sendBody("jms:queue:calls", "/bytes/5?timeout=10s");

        Exchange outcome = outcomes.poll(20, TimeUnit.SECONDS);
        assertThat(outcome).isNotNull();
        assertThat(outcome.getException()).isNull();
        assertThat(outcome.getMessage().getBody(String.class)).isEqualTo("abcde");
        // the consumer's thread waits for the call: the outcome is handed straight to it, no continuation thread
        assertThat(outcome.getProperty("after", String.class)).isEqualTo(outcome.getProperty("before", String.class));
        // (only this context's threads: those of earlier tests' contexts may linger a moment)
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName))
                .noneMatch(name -> name.startsWith("Camel (" + context.getName() + ") ")
                        && name.contains("WorkflowHttpContinuation"));
    }

    @Test
    void deadlinePassesMidBody() throws Exception {
        template.sendBody("jms:queue:calls", "/trickle/1000000/60000/1200?timeout=300ms");

        assertThat(caughtTimeout().getPhase()).isEqualTo(Phase.BODY);
    }

    @Test
    void deadlinePassesWhileTheStreamIsRead() throws Exception {
        template.sendBody("jms:queue:calls", "/trickle/1000000/60000/1200?timeout=300ms&bodyMode=stream");

        assertThat(caughtTimeout().getPhase()).isEqualTo(Phase.STREAM);
    }

    private WorkflowHttpTimeoutException caughtTimeout() throws InterruptedException {
        Exchange outcome = outcomes.poll(20, TimeUnit.SECONDS);
        assertThat(outcome).isNotNull();
        Throwable caught = outcome.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = caught; t != null; t = t.getCause()) {
            if (t instanceof WorkflowHttpTimeoutException timeout) {
                return timeout;
            }
        }
        throw new AssertionError("no timeout among the causes of " + caught);
    }
}
