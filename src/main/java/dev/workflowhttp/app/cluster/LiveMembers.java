package dev.workflowhttp.app.cluster;

import java.util.Set;
import java.util.TreeSet;
import java.util.function.IntConsumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many instances are live in the cluster, looked at as {@link Leadership} starts (before the routes) and then on the
 * cluster thread at every poll: each
 * change is told to the listener (the app makes the {@code workflow-http} component hold its share of every origin's
 * limit), logged once at INFO, and read by the gauge {@value #GAUGE}. A look that fails keeps the last count: the limits
 * do not jump while the shared directory or the Kubernetes API is briefly out of reach.
 */
final class LiveMembers {

    private static final Logger LOG = LoggerFactory.getLogger(LiveMembers.class);

    static final String GAUGE = "workflow.cluster.members";

    /**
     * The cluster namespace reserved for the count: the file service's heartbeat directory {@code <root>/members}, the
     * Kubernetes service's view (and Lease {@code <lease-prefix>-members}). A {@code master:} route may not use it.
     */
    static final String NAMESPACE = "members";

    /** Where the live members are found. */
    interface Source {
        /** The ids of the members live now, this member among them (it sends calls whatever the others see of it). */
        Set<String> live() throws Exception;

        /** This member leaves cleanly: the others stop counting it as soon as they look. */
        void leave();

        /** For the log: how a member stops counting. */
        String describe();
    }

    private final Source source;
    private final String memberId;
    private final IntConsumer listener;
    // written by one thread at a time (the starting thread, then the cluster thread); read by the gauge
    private volatile int count;
    private boolean failing;

    LiveMembers(Source source, String memberId, IntConsumer listener) {
        this.source = source;
        this.memberId = memberId;
        this.listener = listener;
    }

    /** The live members at the last look, this one included: at least 1; 0 before the first look. */
    int count() {
        return count;
    }

    /** Looks once; on a change tells the listener, then the gauge and the log. Never called by two threads at once. */
    void look() {
        Set<String> live;
        try {
            live = new TreeSet<>(source.live());
        } catch (Exception e) {
            if (!failing) {
                LOG.warn(
                        "Counting the live cluster members failed ({}): each origin's limit stays shared by {}",
                        e.toString(),
                        Math.max(1, count));
                failing = true;
            }
            return;
        }
        failing = false;
        int now = Math.max(1, live.size());
        if (now == count) {
            return;
        }
        int before = count;
        listener.accept(now);
        count = now;
        LOG.info(
                "Cluster members: {} live ({}){}: this instance (member {}) holds {} of each origin's rateLimit and "
                        + "maxConcurrent",
                now,
                String.join(", ", live),
                before == 0 ? "" : ", " + before + " before",
                memberId,
                now == 1 ? "the whole" : "1/" + now);
    }

    /** Leaves the count (a clean stop). */
    void leave() {
        source.leave();
    }

    String describe() {
        return source.describe();
    }
}
