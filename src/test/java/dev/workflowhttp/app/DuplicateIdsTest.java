package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.TestBroker;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The duplicate ids the app puts on every {@code jms:} send: the same when the same work runs again, different for
 * different sends, the route's own id kept; and the broker, seeing the same id again, keeps one copy.
 */
class DuplicateIdsTest {

    private TestBroker broker;
    private CamelContext context;
    private ActiveMQConnectionFactory client;

    @BeforeEach
    void setUp() throws Exception {
        broker = TestBroker.start("duplicate-ids");
        context = new DefaultCamelContext();
        DuplicateIds duplicateIds = new DuplicateIds();
        // as the app configures it
        JmsComponent jms = new JmsComponent(duplicateIds.jmsConfiguration());
        jms.setConnectionFactory(new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL));
        jms.setTransacted(true);
        context.addRoutePolicyFactory(duplicateIds);
        context.addComponent("jms", jms);
        client = new ActiveMQConnectionFactory(EmbeddedBroker.IN_VM_URL);
    }

    @AfterEach
    void tearDown() throws Exception {
        context.stop();
        client.close();
        broker.close();
    }

    @Test
    void aQueueMessageWhoseRouteRunsTwiceSendsItsMessagesOnce() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        AtomicInteger completed = new AtomicInteger();
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // another thread sends, as after a workflow-http step: its sends are not part of the consumer's
                // transaction (on the consumer's own thread they would be, and roll back with it)
                from("jms:queue:in")
                        .routeId("forward")
                        .threads(1)
                        .to("jms:queue:out")
                        .setBody(simple("${body}-second"))
                        .to("jms:queue:out")
                        .process(exchange -> {
                            if (runs.incrementAndGet() == 1) {
                                // the first run fails after its sends, as a failover before the commit would: the
                                // transaction rolls back and the broker delivers the message again
                                throw new IllegalStateException("rolled back after the sends");
                            }
                        })
                        .process(exchange -> completed.incrementAndGet());
            }
        });
        context.start();
        send("in", "order-1", null);

        List<Message> out = receiveAll("out", 2);

        // the second run's sends, dropped as duplicates, do not fail it: it completes, and the message is consumed
        await("the second run completed").atMost(Duration.ofSeconds(30)).until(() -> completed.get() == 1);
        assertThat(runs).as("the route ran twice").hasValue(2);
        assertThat(receiveAll("in", 0)).as("the message left on its queue").isEmpty();
        assertThat(receiveAll("DLQ", 0)).as("dead letters").isEmpty();
        assertThat(out).extracting(m -> ((TextMessage) m).getText()).containsExactly("order-1", "order-1-second");
        String first = out.get(0).getStringProperty(DuplicateIds.HEADER);
        String second = out.get(1).getStringProperty(DuplicateIds.HEADER);
        assertThat(first).startsWith("forward/ID:").endsWith("|jms://queue:out|0");
        assertThat(second).isEqualTo(first.substring(0, first.length() - 1) + "1");
    }

    @Test
    void theIdAnIncomingMessageCarriesIsNotReusedAndTheRoutesOwnWins() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("jms:queue:in")
                        .routeId("split")
                        .split(body().tokenize(","))
                        .to("jms:queue:out")
                        .end()
                        .setHeader(DuplicateIds.HEADER, constant("my-own-id"))
                        .setBody(constant("own"))
                        .to("jms:queue:out");
            }
        });
        context.start();
        send("in", "a,b,c", "the-sender's-id");

        List<Message> out = receiveAll("out", 4);

        assertThat(out).extracting(m -> ((TextMessage) m).getText()).containsExactly("a", "b", "c", "own");
        List<String> ids = new ArrayList<>();
        for (Message message : out) {
            ids.add(message.getStringProperty(DuplicateIds.HEADER));
        }
        assertThat(ids.subList(0, 3)).allMatch(id -> id.startsWith("split/ID:")).doesNotHaveDuplicates();
        assertThat(ids.get(3)).isEqualTo("my-own-id");
    }

    @Test
    void atimerStartedExchangeTakesItsIdFromTheExchange() throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("timer:tick?repeatCount=1")
                        .routeId("tick")
                        .setBody(constant("tick"))
                        .to("jms:queue:out");
            }
        });
        context.start();

        Message out = receiveAll("out", 1).get(0);

        assertThat(out.getStringProperty(DuplicateIds.HEADER))
                .startsWith("tick/")
                .doesNotContain("/ID:")
                .endsWith("|jms://queue:out|0");
    }

    @Test
    void camelsRedeliveryOfASendKeepsTheOrdinalOfTheTryItRepeats() {
        DuplicateIds.Sends sends = new DuplicateIds.Sends("route/origin");
        Object message = new Object();
        assertThat(sends.next("jms://queue:a", message, 0)).isZero();
        assertThat(sends.next("jms://queue:a", message, 1))
                .as("redelivery of the same send")
                .isZero();
        assertThat(sends.next("jms://queue:a", message, 1))
                .as("another send of the same message")
                .isEqualTo(1);
        assertThat(sends.next("jms://queue:b", message, 1))
                .as("another destination")
                .isZero();
        assertThat(sends.next("jms://queue:a", new Object(), 2))
                .as("another message")
                .isEqualTo(2);
    }

    private void send(String queue, String body, String duplicateId) throws Exception {
        try (Connection connection = client.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE)) {
            MessageProducer producer = session.createProducer(session.createQueue(queue));
            TextMessage message = session.createTextMessage(body);
            if (duplicateId != null) {
                message.setStringProperty(DuplicateIds.HEADER, duplicateId);
            }
            producer.send(message);
        }
    }

    /** Receives until {@code expected} messages are in, then shows that no further one follows. */
    private List<Message> receiveAll(String queue, int expected) throws Exception {
        List<Message> received = new ArrayList<>();
        try (Connection connection = client.createConnection();
                Session session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue))) {
            connection.start();
            await("the messages on " + queue).atMost(Duration.ofSeconds(30)).until(() -> {
                Message message = consumer.receive(200);
                if (message != null) {
                    received.add(message);
                }
                return received.size() >= expected;
            });
            // the route has finished its runs by now; a duplicate the broker kept would be here within this wait
            assertThat(consumer.receive(1000))
                    .as("a message beyond the expected ones")
                    .isNull();
        }
        return received;
    }
}
