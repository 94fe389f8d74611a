package dev.workflowhttp.app;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.camel.main.Main;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;
import sun.misc.SignalHandler;

/**
 * SIGTERM and SIGINT stop the application as a bounded run ends: Camel drains the in-flight exchanges (up to
 * {@code camel.main.shutdownTimeout}) and {@code main} returns, so that the process exits with the code of how the
 * stop went (0 after a clean drain) instead of the JVM's 143 or 130 for a signal. A second signal while the stop is
 * under way is logged, not acted on: {@code kill -9} remains the way to stop at once.
 */
final class StopSignals {

    private static final Logger LOG = LoggerFactory.getLogger(StopSignals.class);

    private final List<Signal> signals = new ArrayList<>();
    private final List<SignalHandler> previous = new ArrayList<>();

    private StopSignals() {}

    static StopSignals install(Main main) {
        StopSignals installed = new StopSignals();
        AtomicBoolean stopping = new AtomicBoolean();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal signal = new Signal(name);
            try {
                installed.previous.add(Signal.handle(signal, received -> {
                    if (stopping.compareAndSet(false, true)) {
                        LOG.info(
                                "SIG{} received: stopping, in-flight exchanges get up to camel.main.shutdownTimeout "
                                        + "to finish",
                                received.getName());
                        main.completed();
                    } else {
                        LOG.info("SIG{} received again: the stop is under way", received.getName());
                    }
                }));
                installed.signals.add(signal);
            } catch (IllegalArgumentException e) {
                LOG.debug("Signal {} not handled on this platform: {}", name, e.getMessage());
            }
        }
        return installed;
    }

    /** Gives the signals back to their previous handlers (the JVM's: exit through the shutdown hooks). */
    void uninstall() {
        for (int i = 0; i < signals.size(); i++) {
            Signal.handle(signals.get(i), previous.get(i));
        }
    }
}
