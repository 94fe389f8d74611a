package dev.workflowhttp.app.cluster;

import dev.workflowhttp.Durations;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.StatefulService;
import org.apache.camel.cluster.CamelClusterService;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gets a stalled file-lock election going again (CAMEL-27566, Camel 4.18; fixed in 4.22).
 *
 * <p>Camel's file lock keeps, per namespace, a leader record next to the lock file ({@code <root>/<namespace>.dat}),
 * which the leader rewrites at every interval. A follower that finds its own id in that record — it led before and
 * lost the lock — takes that as "the old leader needs time to notice" and waits. In 4.18 it compares against what it
 * read at its previous attempt, which after one failed attempt is its own id again, and again at every attempt after
 * that: it never tries again while the record names it. With no other member alive (or all of them in the same state)
 * the namespace has no leader for good, and its triggers never fire.
 *
 * <p>The sign of it, from outside Camel: this member does not lead, and the leader record has not changed for longer
 * than any live leader would leave it ({@code leader-timeout} plus three intervals; a live leader rewrites it every
 * interval, and a follower takes over a dead one after {@code leader-timeout}). Then this member's view of the
 * namespace is stopped and, two intervals later (so the stopped view's last scheduled attempt has run and ended),
 * started again through the cluster service: a new start forgets the earlier attempts, so the member tries for the
 * lock again. Only this member's own view is touched; the shared files are never written.
 */
final class StalledElection {

    private static final Logger LOG = LoggerFactory.getLogger(StalledElection.class);

    private final CamelClusterService service;
    private final Path root;
    private final Duration interval;
    private final Duration stallAfter;
    private final Map<String, Record> records = new ConcurrentHashMap<>();
    private volatile boolean closed;

    StalledElection(CamelClusterService service, Path root, Duration interval, Duration leaderTimeout) {
        this.service = service;
        this.root = root;
        this.interval = interval;
        this.stallAfter = leaderTimeout.plus(interval.multipliedBy(3));
    }

    /** What this member last saw of a namespace's leader record. */
    private static final class Record {
        byte[] content;
        long changedNanos = System.nanoTime();
        volatile boolean restarting;
    }

    /** Why this member does not take part in the namespace's election at the moment, or null when it does. */
    String restarting(String namespace) {
        Record record = records.get(namespace);
        return record != null && record.restarting
                ? "restarting its election: no leader renewed the lock for " + Durations.format(stallAfter)
                : null;
    }

    /** Looks at the namespace's leader record once; restarts the view when the election looks stalled. */
    void check(String namespace, boolean leading, ScheduledExecutorService executor) {
        Record record = records.computeIfAbsent(namespace, ns -> new Record());
        if (record.restarting) {
            return;
        }
        long now = System.nanoTime();
        byte[] content;
        try {
            content = Files.readAllBytes(root.resolve(namespace + ".dat"));
        } catch (NoSuchFileException e) {
            content = new byte[0];
        } catch (IOException e) {
            // a shared directory that cannot be read says nothing about the leader: look again later
            LOG.debug("Cannot read the leader record of cluster namespace '{}': {}", namespace, e.toString());
            record.changedNanos = now;
            return;
        }
        if (leading || !Arrays.equals(content, record.content)) {
            record.content = content;
            record.changedNanos = now;
            return;
        }
        Duration unchanged = Duration.ofNanos(now - record.changedNanos);
        if (unchanged.compareTo(stallAfter) <= 0) {
            return;
        }
        LOG.warn(
                "Cluster namespace '{}': no leader has renewed the lock {} for {} and this member does not take over: "
                        + "restarting this member's election (Camel 4.18's file lock stops trying after a failed attempt to "
                        + "take back a lock it held, CAMEL-27566)",
                namespace,
                root.resolve(namespace),
                Durations.format(unchanged));
        record.restarting = true;
        try {
            service.stopView(namespace);
            executor.schedule(
                    () -> start(namespace, record), interval.multipliedBy(2).toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException e) {
            record.restarting = false; // stopping: the view stops with the service
        } catch (Exception e) {
            LOG.warn("Cluster namespace '{}': stopping this member's election failed: {}", namespace, e.toString());
            record.restarting = false;
            record.changedNanos = now;
        }
    }

    private void start(String namespace, Record record) {
        try {
            if (!closed && service instanceof StatefulService stateful && stateful.isRunAllowed()) {
                service.startView(namespace);
            }
        } catch (Exception e) {
            LOG.warn(
                    "Cluster namespace '{}': starting this member's election again failed: {}",
                    namespace,
                    e.toString());
        } finally {
            record.changedNanos = System.nanoTime();
            record.restarting = false;
        }
    }

    void close() {
        closed = true;
    }
}
