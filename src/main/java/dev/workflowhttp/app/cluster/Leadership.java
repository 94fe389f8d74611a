package dev.workflowhttp.app.cluster;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.camel.CamelContext;
import org.apache.camel.CamelContextAware;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.support.service.ServiceSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches this member's leadership in every cluster namespace of the cluster service: one INFO line per change
 * ("leads" / "follows"), the state for the health check, and the meters {@code workflow.cluster.leader} (1 while this
 * member leads the namespace, else 0) and {@code workflow.cluster.leadership.changes} (tags {@code namespace},
 * {@code to}). Namespaces come and go with the routes: they are looked for every {@code pollInterval}, which also
 * paces the {@link StalledElection} check of a file lock and the count of {@link LiveMembers} (gauge
 * {@code workflow.cluster.members}; this member leaves the count when it stops).
 */
final class Leadership extends ServiceSupport implements CamelContextAware {

    private static final Logger LOG = LoggerFactory.getLogger(Leadership.class);

    static final String LEADER_GAUGE = "workflow.cluster.leader";
    static final String CHANGES_COUNTER = "workflow.cluster.leadership.changes";

    private final CamelClusterService service;
    private final String memberId;
    private final Duration pollInterval;
    /** Null unless the service is the file lock (the only one with Camel 4.18's stalled-election bug). */
    private final StalledElection stalled;

    private final LiveMembers members;

    private final Map<String, Watched> watched = new ConcurrentHashMap<>();
    private final List<Meter> meters = new ArrayList<>();

    private CamelContext context;
    private MeterRegistry registry;
    private ScheduledExecutorService executor;

    Leadership(
            CamelClusterService service,
            String memberId,
            Duration pollInterval,
            StalledElection stalled,
            LiveMembers members) {
        this.service = service;
        this.memberId = memberId;
        this.pollInterval = pollInterval;
        this.stalled = stalled;
        this.members = members;
    }

    @Override
    public void setCamelContext(CamelContext context) {
        this.context = context;
    }

    @Override
    public CamelContext getCamelContext() {
        return context;
    }

    /** This member's state per namespace, sorted: {@code leader}, {@code follower} or why it waits. */
    Map<String, String> states() {
        Map<String, String> states = new TreeMap<>();
        watched.values().forEach(w -> states.put(w.namespace, w.describe()));
        return states;
    }

    /** The live members at the last look, this one included (0 before the first look). */
    int liveMembers() {
        return members.count();
    }

    @Override
    protected void doStart() {
        registry = context.getRegistry().findSingleByType(MeterRegistry.class);
        if (registry != null) {
            meters.add(Gauge.builder(LiveMembers.GAUGE, members, LiveMembers::count)
                    .description("Live instances of the cluster, this one included: each holds its share of an "
                            + "origin's limits")
                    .register(registry));
        }
        // once here, before the context starts the routes: a new member's calls go at its share from the first
        members.look();
        executor = context.getExecutorServiceManager().newSingleThreadScheduledExecutor(this, "workflow-cluster");
        executor.scheduleWithFixedDelay(this::poll, 0, pollInterval.toMillis(), TimeUnit.MILLISECONDS);
    }

    private void poll() {
        if (isRunAllowed()) {
            members.look();
        }
        try {
            for (String namespace : service.getNamespaces()) {
                if (!watched.containsKey(namespace) && !LiveMembers.NAMESPACE.equals(namespace) && isRunAllowed()) {
                    watch(namespace);
                }
            }
            if (stalled != null) {
                for (Watched w : watched.values()) {
                    stalled.check(w.namespace, w.view.getLocalMember().isLeader(), executor);
                }
            }
        } catch (Exception e) {
            // the next poll tries again: a failing look must not end the schedule
            LOG.warn("Looking at the cluster namespaces failed: {}", e.toString());
        }
    }

    private synchronized void watch(String namespace) throws Exception {
        CamelClusterView view = service.getView(namespace);
        Watched w = new Watched(namespace, view);
        watched.put(namespace, w);
        if (registry != null) {
            meters.add(Gauge.builder(LEADER_GAUGE, w, Watched::leaderValue)
                    .description("1 while this instance leads the cluster namespace, else 0")
                    .tag("namespace", namespace)
                    .register(registry));
            w.gained = Counter.builder(CHANGES_COUNTER)
                    .description("Times this instance's leadership changed")
                    .tag("namespace", namespace)
                    .tag("to", "leader")
                    .register(registry);
            w.lost = Counter.builder(CHANGES_COUNTER)
                    .description("Times this instance's leadership changed")
                    .tag("namespace", namespace)
                    .tag("to", "follower")
                    .register(registry);
            meters.add(w.gained);
            meters.add(w.lost);
        }
        // a started view tells the current state at once: the first log line of this namespace
        view.addEventListener(w);
    }

    @Override
    protected synchronized void doStop() throws Exception {
        if (executor != null) {
            context.getExecutorServiceManager().shutdownNow(executor);
            // a look still running would write this member's heartbeat again after it left
            if (!executor.awaitTermination(pollInterval.toMillis() + 5000, TimeUnit.MILLISECONDS)) {
                LOG.warn("The cluster thread did not end within {} ms of the stop", pollInterval.toMillis() + 5000);
            }
            executor = null;
        }
        members.leave();
        if (stalled != null) {
            stalled.close();
        }
        for (Watched w : watched.values()) {
            w.view.removeEventListener(w);
            service.releaseView(w.view);
        }
        watched.clear();
        if (registry != null) {
            meters.forEach(registry::remove);
        }
        meters.clear();
    }

    /** One namespace: the listener of its leadership events. */
    private final class Watched implements CamelClusterEventListener.Leadership {
        final String namespace;
        final CamelClusterView view;
        volatile Boolean leading;
        volatile String leaderId;
        Counter gained;
        Counter lost;

        Watched(String namespace, CamelClusterView view) {
            this.namespace = namespace;
            this.view = view;
        }

        double leaderValue() {
            return Boolean.TRUE.equals(leading) ? 1 : 0;
        }

        String describe() {
            String waiting = stalled == null ? null : stalled.restarting(namespace);
            if (waiting != null) {
                return waiting;
            }
            if (Boolean.TRUE.equals(leading)) {
                return "leader";
            }
            return leaderId == null ? "follower" : "follower (leader: " + leaderId + ")";
        }

        @Override
        public synchronized void leadershipChanged(CamelClusterView view, CamelClusterMember leader) {
            boolean now = view.getLocalMember().isLeader();
            leaderId = Optional.ofNullable(leader)
                    .filter(member -> !member.isLocal())
                    .map(CamelClusterMember::getId)
                    .orElse(null);
            Boolean before = leading;
            leading = now;
            if (before != null && before == now) {
                return;
            }
            if (now) {
                LOG.info(
                        "Cluster namespace '{}': this instance (member {}) is the leader: its master: and singleton "
                                + "trigger routes run here",
                        namespace,
                        memberId);
            } else {
                String known = leaderId != null
                        ? leaderId
                        : "not known to a follower of " + service.getClass().getSimpleName();
                LOG.info(
                        "Cluster namespace '{}': this instance (member {}) {}: its master: and singleton trigger "
                                + "routes wait (leader: {})",
                        namespace,
                        memberId,
                        before == null ? "follows" : "no longer leads",
                        known);
            }
            if (before != null && registry != null) {
                (now ? gained : lost).increment();
            }
        }
    }
}
