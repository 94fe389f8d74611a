package dev.workflowhttp.component;

import java.util.Collection;
import org.apache.camel.AsyncProcessor;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.ExtendedCamelContext;
import org.apache.camel.spi.AsyncProcessorAwaitManager;

/**
 * Knows which exchange a thread waits for while Camel runs a route synchronously: Camel's own
 * {@link AsyncProcessorAwaitManager} (which every synchronous caller goes through: a JMS consumer that is transacted or
 * synchronous, a timer with {@code synchronous=true}, Camel's synchronous {@code process(Exchange)} of a route) is
 * wrapped, and the wrapper notes the exchange for the calling thread while it runs. A
 * step reached on that very thread for that very exchange may then run on the thread, which would otherwise only wait
 * for it. Everything else is the wrapped manager's.
 */
final class WaitingThreads implements AsyncProcessorAwaitManager {

    /** The exchange the current thread waits for, innermost first, or null. */
    private static final ThreadLocal<Exchange> WAITING_FOR = new ThreadLocal<>();

    private final AsyncProcessorAwaitManager camel;

    private WaitingThreads(AsyncProcessorAwaitManager camel) {
        this.camel = camel;
    }

    /** Wraps the context's await manager once, however many components start in it. */
    static void install(CamelContext context) {
        ExtendedCamelContext extension = context.getCamelContextExtension();
        synchronized (extension) {
            AsyncProcessorAwaitManager current = extension.getContextPlugin(AsyncProcessorAwaitManager.class);
            if (current != null && !(current instanceof WaitingThreads)) {
                extension.addContextPlugin(AsyncProcessorAwaitManager.class, new WaitingThreads(current));
            }
        }
    }

    /** Whether the current thread is one that waits, inside Camel, for {@code exchange}'s routing to finish. */
    static boolean waitsFor(Exchange exchange) {
        return WAITING_FOR.get() == exchange;
    }

    @Override
    public void process(AsyncProcessor processor, Exchange exchange) {
        Exchange outer = WAITING_FOR.get();
        WAITING_FOR.set(exchange);
        try {
            camel.process(processor, exchange);
        } finally {
            if (outer == null) {
                WAITING_FOR.remove();
            } else {
                WAITING_FOR.set(outer);
            }
        }
    }

    @Override
    public int size() {
        return camel.size();
    }

    @Override
    public Collection<AwaitThread> browse() {
        return camel.browse();
    }

    @Override
    public void interrupt(String exchangeId) {
        camel.interrupt(exchangeId);
    }

    @Override
    public void interrupt(Exchange exchange) {
        camel.interrupt(exchange);
    }

    @Override
    public boolean isInterruptThreadsWhileStopping() {
        return camel.isInterruptThreadsWhileStopping();
    }

    @Override
    public void setInterruptThreadsWhileStopping(boolean interruptThreadsWhileStopping) {
        camel.setInterruptThreadsWhileStopping(interruptThreadsWhileStopping);
    }

    @Override
    public Statistics getStatistics() {
        return camel.getStatistics();
    }

    @Override
    public void start() {
        // the wrapped manager is a service of the context, started and stopped by it
    }

    @Override
    public void stop() {
        // as start()
    }
}
