package dev.workflowhttp.support;

import org.apache.camel.component.jms.JmsComponent;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * {@link WorkflowHttpTestSupport} with an embedded test broker as the context's {@code jms} component: the routes are
 * stopped before the broker, and the broker's own threads are not counted as left over.
 */
public abstract class JmsTestSupport extends WorkflowHttpTestSupport {

    protected TestBroker broker;

    /** The broker's name (its journal directory's prefix). */
    protected abstract String brokerName();

    /** Whether queue messages are consumed in a transaction, as the app consumes them. */
    protected boolean transacted() {
        return false;
    }

    @BeforeEach
    void startBroker() throws Exception {
        broker = TestBroker.start(brokerName());
        JmsComponent jms = broker.jmsComponent();
        jms.setTransacted(transacted());
        context.addComponent("jms", jms);
    }

    @AfterEach
    void stopBroker() throws Exception {
        context.getRouteController().stopAllRoutes();
        broker.close();
    }

    @Override
    protected boolean isForeignThread(String name) {
        return TestBroker.isBrokerThread(name);
    }
}
