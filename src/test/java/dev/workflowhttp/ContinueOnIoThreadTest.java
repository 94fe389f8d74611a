package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code continueOnIoThread=true}, the opt-in that runs the rest of the route on the I/O thread that completed the
 * call: taken in {@code materialize} mode, never for a timeout (delivered by the deadline thread, which must stay
 * free) and never by default; refused with {@code bodyMode=stream} and as a message header.
 */
class ContinueOnIoThreadTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            return new MockResponse.Builder().body("ok").build();
        });
    }

    private String threadOfTheNextStep(String options, Map<String, Object> headers) throws Exception {
        String routeId = "r" + System.nanoTime();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId)
                        .to("workflow-http:" + server.url("/x") + "?timeout=5s" + options)
                        .process(e -> e.getMessage()
                                .setHeader("thread", Thread.currentThread().getName()));
            }
        });
        Exchange result =
                template.request("direct:" + routeId, e -> e.getMessage().setHeaders(headers));
        if (result.getException() != null) {
            throw result.getException();
        }
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
        return result.getMessage().getHeader("thread", String.class);
    }

    @Test
    void optedInTheRouteGoesOnOnTheIoThread() throws Exception {
        assertThat(threadOfTheNextStep("&continueOnIoThread=true", Map.of())).startsWith("workflow-http-io");
    }

    @Test
    void byDefaultTheRouteGoesOnOnAContinuationThread() throws Exception {
        assertThat(threadOfTheNextStep("", Map.of())).contains("WorkflowHttpContinuation");
    }

    @Test
    void aTimeoutIsNeverHandedOnOnTheDeadlineThread() throws Exception {
        CountDownLatch testDone = new CountDownLatch(1);
        try (HostileServer silent = HostileServer.start(connection -> {
                    connection.readRequest();
                    testDone.await(10, TimeUnit.SECONDS);
                });
                AutoCloseable answerNow = testDone::countDown) {
            addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    onException(WorkflowHttpTimeoutException.class)
                            .handled(true)
                            .process(e -> e.getMessage()
                                    .setHeader("thread", Thread.currentThread().getName()));
                    from("direct:late")
                            .to("workflow-http:" + silent.url("/x") + "?timeout=200ms&continueOnIoThread=true");
                }
            });

            Exchange result = template.request("direct:late", e -> {});

            assertThat(result.getMessage().getHeader("thread", String.class))
                    .contains("WorkflowHttpContinuation")
                    .doesNotContain("deadline");
            assertReleased();
        }
    }

    @Test
    void itCannotBeCombinedWithStreamMode() {
        Throwable failure = catchThrowable(() -> addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:both")
                        .to("workflow-http:" + server.url("/x") + "?continueOnIoThread=true&bodyMode=stream");
            }
        }));

        assertThat(failure).hasStackTraceContaining("continueOnIoThread cannot be combined with bodyMode=stream");
    }

    @Test
    void aMessageHeaderCannotTurnItOn() {
        Throwable failure = catchThrowable(() ->
                threadOfTheNextStep("", Map.of(WorkflowHttpConstants.overrideHeader("continueOnIoThread"), "true")));

        assertThat(failure)
                .hasMessageContaining("continueOnIoThread")
                .hasMessageContaining("cannot be set per exchange");
    }
}
