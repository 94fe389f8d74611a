package dev.workflowhttp.app;

import dev.workflowhttp.Durations;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.activemq.artemis.api.core.TransportConfiguration;
import org.apache.activemq.artemis.api.core.client.FailoverEventType;
import org.apache.activemq.artemis.jms.client.ActiveMQConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one connection to the broker open, to know at any moment whether the broker can be reached: the queue
 * consumers' own reconnect loop is not observable from outside and logs a stack trace per consumer thread. While the
 * broker is unreachable, each attempt to reconnect is one WARN line, without a stack trace; the attempt that succeeds
 * is one INFO line saying how long the outage lasted.
 */
final class BrokerMonitor implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(BrokerMonitor.class);

    private final ConnectionFactory factory;
    private final String shownUrl;
    private final Duration interval;
    private final ScheduledExecutorService scheduler;

    private Connection connection;
    private boolean closed;
    private volatile boolean up;
    private volatile String reason = "the first connection attempt is under way";
    private volatile long downSinceNanos = System.nanoTime();
    private int failedAttempts;
    private boolean everConnected;

    /**
     * @param scheduler runs the attempts to connect; owned by the caller
     */
    BrokerMonitor(ConnectionFactory factory, String shownUrl, Duration interval, ScheduledExecutorService scheduler) {
        this.factory = factory;
        this.shownUrl = shownUrl;
        this.interval = interval;
        this.scheduler = scheduler;
    }

    /**
     * Connects in the scheduler's thread: a broker that does not answer must not hold up the start (the health check
     * says DOWN meanwhile).
     */
    void start() {
        scheduler.execute(this::connect);
    }

    boolean isUp() {
        return up;
    }

    /** Why the broker is unreachable (the last failure), and since when. */
    String downReason() {
        return reason;
    }

    Duration downFor() {
        return up ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - downSinceNanos);
    }

    String shownUrl() {
        return shownUrl;
    }

    private void connect() {
        Connection opened = null;
        AtomicBoolean broken = new AtomicBoolean();
        try {
            opened = factory.createConnection();
            Connection watched = opened;
            opened.setExceptionListener(e -> {
                if (ActiveMQConnection.EXCEPTION_FAILOVER.equals(e.getErrorCode())) {
                    return; // the connection failed over and lives on: the failover listener reports it
                }
                broken.set(true);
                lost(watched, e);
            });
            if (opened instanceof ActiveMQConnection artemis) {
                // with ha=true and reconnectAttempts=-1 the client fails over (or keeps trying) on its own and the
                // exception listener hears nothing: the failover events say when the broker is out of reach
                artemis.setFailoverListener(event -> failover(artemis, event));
            }
            opened.start();
        } catch (JMSException | RuntimeException e) {
            closeQuietly(opened);
            failed(e);
            return;
        }
        boolean recovered;
        long downNanos;
        int attempts;
        synchronized (this) {
            if (closed || broken.get()) {
                closeQuietly(opened);
                if (!closed) {
                    scheduleConnect();
                }
                return;
            }
            connection = opened;
            recovered = failedAttempts > 0 || everConnected;
            attempts = failedAttempts;
            failedAttempts = 0;
            everConnected = true;
            downNanos = System.nanoTime() - downSinceNanos;
            up = true;
            reason = null;
        }
        if (recovered) {
            LOG.info(
                    "Broker at {} reachable again after {} ({} failed attempts); queue consumers reconnect within {}",
                    shownUrl,
                    Durations.format(Duration.ofNanos(downNanos)),
                    attempts,
                    Durations.format(interval));
        } else {
            LOG.info("Broker at {} reachable", shownUrl);
        }
    }

    private void failed(Exception e) {
        int attempt;
        synchronized (this) {
            if (closed) {
                return;
            }
            failedAttempts++;
            attempt = failedAttempts;
            reason = describe(e);
        }
        LOG.warn(
                "Broker at {} unreachable (attempt {}, down for {}): {}; next attempt in {}",
                shownUrl,
                attempt,
                Durations.format(downFor()),
                reason,
                Durations.format(interval));
        scheduleConnect();
    }

    private void lost(Connection failing, JMSException e) {
        synchronized (this) {
            if (closed || failing != connection) {
                return; // not (or not yet) the current connection: connect() sees the failure itself
            }
            up = false;
            downSinceNanos = System.nanoTime();
            reason = describe(e);
            connection = null;
        }
        LOG.warn(
                "Connection to the broker at {} lost: {}; reconnecting every {}",
                shownUrl,
                reason,
                Durations.format(interval));
        // closing a failed connection may block on the failing transport: not in the client's thread
        scheduler.execute(() -> closeQuietly(failing));
        scheduleConnect();
    }

    private void failover(ActiveMQConnection failing, FailoverEventType event) {
        if (event == FailoverEventType.FAILURE_DETECTED) {
            synchronized (this) {
                if (closed || failing != connection) {
                    return;
                }
                up = false;
                downSinceNanos = System.nanoTime();
                reason = "connection lost, failing over";
            }
            LOG.warn(
                    "Connection to the broker at {} lost; the client reconnects to the live broker of the pair",
                    shownUrl);
        } else if (event == FailoverEventType.FAILOVER_COMPLETED) {
            long downNanos;
            synchronized (this) {
                if (closed || failing != connection) {
                    return;
                }
                up = true;
                reason = null;
                downNanos = System.nanoTime() - downSinceNanos;
            }
            LOG.info(
                    "Failed over to the broker at {} after {}; transactions open at the failure were rolled back "
                            + "and their messages are delivered again",
                    connectedServer(failing),
                    Durations.format(Duration.ofNanos(downNanos)));
        }
        // FAILOVER_FAILED: the exception listener follows and starts the monitor's own reconnect loop
    }

    /** {@code host:port} of the broker a connection is on now. */
    private static String connectedServer(ActiveMQConnection connection) {
        try {
            TransportConfiguration connector = connection.getSessionFactory().getConnectorConfiguration();
            Map<String, Object> params = connector.getParams();
            return params.get("host") + ":" + params.get("port");
        } catch (RuntimeException e) {
            return "(unknown)";
        }
    }

    private void scheduleConnect() {
        try {
            scheduler.schedule(this::connect, interval.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            LOG.debug("Broker monitor stopped, no further attempt");
        }
    }

    private static String describe(Exception e) {
        StringBuilder text = new StringBuilder();
        for (Throwable t = e; t != null && text.length() < 300; t = t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.isBlank() && text.indexOf(message) < 0) {
                text.append(text.length() == 0 ? "" : "; ").append(message.strip());
            }
        }
        return text.length() == 0 ? e.getClass().getSimpleName() : text.toString();
    }

    private static void closeQuietly(Connection connection) {
        if (connection == null) {
            return;
        }
        try {
            connection.close();
        } catch (JMSException | RuntimeException e) {
            LOG.debug("Closing a broker connection failed", e);
        }
    }

    @Override
    public void close() {
        Connection open;
        synchronized (this) {
            closed = true;
            up = false;
            open = connection;
            connection = null;
        }
        closeQuietly(open);
    }
}
