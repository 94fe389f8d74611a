package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.TestBroker;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.component.jms.JmsConsumer;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.jms.listener.DefaultMessageListenerContainer;

/**
 * Two instances (two Camel contexts, each with its own workflow-http component) on one broker: a 429 with
 * {@code Retry-After: 2} that one of them gets pauses the origin in the other too, over the topic of pauses.
 */
class LimitPauseTopicTest {

    private TestBroker broker;
    private HttpServer server;
    private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
    private final AtomicInteger number = new AtomicInteger();
    private CamelContext first;
    private CamelContext second;

    @BeforeEach
    void start() throws Exception {
        broker = TestBroker.start("limit-pauses");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 50);
        server.createContext("/", this::answer);
        server.start();
        first = instance();
        second = instance();
    }

    private void answer(HttpExchange exchange) throws IOException {
        arrivals.add(System.nanoTime());
        boolean firstRequest = number.incrementAndGet() == 1;
        if (firstRequest) {
            exchange.getResponseHeaders().add("Retry-After", "2");
        }
        byte[] body = "ok".getBytes();
        exchange.sendResponseHeaders(firstRequest ? 429 : 200, body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    private CamelContext instance() throws Exception {
        CamelContext context = new DefaultCamelContext();
        WorkflowHttpComponent component = new WorkflowHttpComponent();
        context.addComponent("workflow-http", component);
        context.addComponent("jms", broker.jmsComponent());
        context.addRoutes(new LimitPauseTopic(component));
        context.start();
        JmsConsumer consumer =
                (JmsConsumer) context.getRoute("workflow-limit-pauses-in").getConsumer();
        // a topic keeps nothing for a subscriber not yet there
        await().atMost(Duration.ofSeconds(10))
                .until(() -> ((DefaultMessageListenerContainer) consumer.getListenerContainer())
                        .isRegisteredWithDestination());
        return context;
    }

    @AfterEach
    void stop() throws Exception {
        if (first != null) {
            first.stop();
        }
        if (second != null) {
            second.stop();
        }
        server.stop(0);
        broker.close();
    }

    @Test
    void aPauseLearnedByOneInstancePausesTheOriginInTheOther() throws Exception {
        String url = "workflow-http:http://127.0.0.1:" + server.getAddress().getPort() + "/x";
        ProducerTemplate one = first.createProducerTemplate();
        ProducerTemplate other = second.createProducerTemplate();
        Exchange refused = one.request(url, e -> {});
        assertThat(refused.getException()).hasMessageContaining("429");

        WorkflowHttpComponent otherComponent = second.getComponent("workflow-http", WorkflowHttpComponent.class);
        // the pause crosses the broker: the other instance's next call to the origin waits for its end
        await().atMost(Duration.ofSeconds(2))
                .until(() -> otherComponent.getPausedOrigins().size() == 1);
        assertThat(otherComponent.getPausedOrigins())
                .containsOnlyKeys("http://127.0.0.1:" + server.getAddress().getPort());
        Exchange later = other.request(url, e -> {});
        assertThat(later.getException()).isNull();
        List<Long> at = List.copyOf(arrivals);
        assertThat(at).hasSize(2);
        // both on this JVM's System.nanoTime: the second request no sooner than 2 s after the first was answered
        assertThat(Duration.ofNanos(at.get(1) - at.get(0))).isGreaterThanOrEqualTo(Duration.ofSeconds(2));
        one.close();
        other.close();
    }
}
