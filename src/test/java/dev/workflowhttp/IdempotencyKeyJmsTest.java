package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.JmsTestSupport;
import java.net.InetAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A POST in a route consuming a transacted queue fails, the transaction rolls back and the broker delivers the message
 * again: the second delivery is a new exchange, and sends the same {@code Idempotency-Key} (the JMS message id).
 */
class IdempotencyKeyJmsTest extends JmsTestSupport {

    @Override
    protected String brokerName() {
        return "idempotency";
    }

    @Override
    protected boolean transacted() {
        return true;
    }

    private MockWebServer server;
    private final BlockingQueue<String> messageIds = new LinkedBlockingQueue<>();

    @BeforeEach
    void startServerAndRoute() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
        server.enqueue(new MockResponse.Builder().code(500).body("down").build());
        server.enqueue(new MockResponse.Builder().code(201).body("created").build());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:orders")
                        .routeId("orders")
                        .process(e -> messageIds.add(e.getMessage().getMessageId()))
                        .to("workflow-http:" + server.url("/orders") + "?method=POST&idempotencyKey=messageId");
            }
        });
    }

    @Test
    void aRedeliveryByTheBrokerSendsTheSameKey() throws Exception {
        template.sendBody("jms:queue:orders", "{\"order\":7}");

        RecordedRequest first = server.takeRequest(20, TimeUnit.SECONDS);
        RecordedRequest second = server.takeRequest(20, TimeUnit.SECONDS);

        assertThat(first).as("first delivery's call").isNotNull();
        assertThat(second).as("the redelivery's call").isNotNull();
        String firstId = messageIds.poll(5, TimeUnit.SECONDS);
        String secondId = messageIds.poll(5, TimeUnit.SECONDS);
        assertThat(firstId).startsWith("ID:").isEqualTo(secondId);
        assertThat(first.getHeaders().get("Idempotency-Key")).isEqualTo(firstId);
        assertThat(second.getHeaders().get("Idempotency-Key")).isEqualTo(firstId);
    }
}
