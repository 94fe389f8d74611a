package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code idempotencyKey}: POST and PATCH carry an {@code Idempotency-Key} that stays the same on every attempt of the
 * same message, the step's own retries and Camel's redeliveries alike; the server here records what it received.
 */
class IdempotencyKeyTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    private void answer(int... statuses) {
        for (int status : statuses) {
            server.enqueue(
                    new MockResponse.Builder().code(status).body("s" + status).build());
        }
    }

    private List<String> receivedKeys(int requests) throws InterruptedException {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < requests; i++) {
            RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
            assertThat(request).as("request " + (i + 1)).isNotNull();
            keys.add(request.getHeaders().get("Idempotency-Key"));
        }
        return keys;
    }

    @Test
    void theStepsOwnRetriesSendTheSameKeyTheMessageId() throws Exception {
        answer(503, 503, 200);
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:post")
                        .to("workflow-http:" + server.url("/orders") + "?method=POST&retryAttempts=2"
                                + "&retryBackoff=10ms/1/10ms&retryNonIdempotent=true&idempotencyKey=messageId");
            }
        });

        Exchange result = template.request("direct:post", e -> e.getMessage().setBody("{\"order\":1}"));

        assertThat(result.getException()).isNull();
        List<String> keys = receivedKeys(3);
        assertThat(keys).containsOnly(result.getMessage().getMessageId()).doesNotContainNull();
    }

    @Test
    void camelsRedeliveriesSendTheSameKey() throws Exception {
        answer(503, 503, 200);
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(WorkflowHttpStatusException.class)
                        .maximumRedeliveries(2)
                        .redeliveryDelay(10);
                from("direct:redelivered")
                        .to("workflow-http:" + server.url("/orders") + "?method=POST&idempotencyKey=${header.orderId}");
            }
        });

        Exchange result = template.request("direct:redelivered", e -> {
            e.getMessage().setHeader("orderId", "order-42");
            e.getMessage().setBody("{}");
        });

        assertThat(result.getException()).isNull();
        assertThat(receivedKeys(3)).containsOnly("order-42");
    }

    @Test
    void eachMessageGetsItsOwnKeyAndAGetNone() throws Exception {
        answer(200, 200, 200);
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:each").to("workflow-http:" + server.url("/orders") + "?idempotencyKey=messageId");
            }
        });

        template.request("direct:each", e -> e.getMessage().setBody("a"));
        template.request("direct:each", e -> e.getMessage().setBody("b"));
        template.request(
                "direct:each", e -> e.getMessage().setHeader(WorkflowHttpConstants.overrideHeader("method"), "GET"));

        List<String> keys = receivedKeys(3);
        assertThat(keys.get(0)).isNotNull().isNotEqualTo(keys.get(1));
        assertThat(keys.get(1)).isNotNull();
        assertThat(keys.get(2)).as("a GET carries no key").isNull();
    }

    @Test
    void aKeyTheRouteSetsItselfWins() throws Exception {
        answer(200);
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:own").to("workflow-http:" + server.url("/orders") + "?idempotencyKey=messageId");
            }
        });

        template.request("direct:own", e -> {
            e.getMessage().setBody("a");
            e.getMessage().setHeader(WorkflowHttpConstants.HEADERS, Map.of("Idempotency-Key", "mine"));
        });

        assertThat(receivedKeys(1)).containsExactly("mine");
    }

    @Test
    void aValueThatIsNeitherMessageIdNorAnExpressionIsRefusedAtRouteStart() {
        Throwable failure = catchThrowable(() -> addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("workflow-http:" + server.url("/orders") + "?idempotencyKey=orderId");
            }
        }));

        assertThat(failure).hasStackTraceContaining("idempotencyKey").hasStackTraceContaining("'orderId'");
        assertThat(server.getRequestCount()).isZero();
    }
}
