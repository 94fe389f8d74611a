package dev.workflowhttp.app.cluster;

import dev.workflowhttp.Durations;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.stream.Collectors;
import org.apache.camel.CamelContext;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.impl.cluster.ClusteredRoutePolicy;
import org.apache.camel.model.RouteDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Cluster-once triggers on Camel's own machinery. With a cluster service chosen, the app registers it in the context
 * before the context starts (Camel Main has no keys for it, and a service declared as a bean is bound too late for
 * {@code master:}); {@code master:<namespace>:<uri>} routes then run their consumer on the namespace's leader only,
 * and plain timer, quartz, cron and scheduler routes are made cluster singletons too (Camel's
 * {@link ClusteredRoutePolicy}, namespace {@value #SINGLETON_NAMESPACE}) unless listed as per-instance routes: a
 * forgotten {@code master:} never fires once per instance. Without a cluster service a {@code master:} route refuses
 * the start, naming the key to set. The live members are counted too ({@link LiveMembers}), so that each instance holds
 * its share of every origin's limits.
 */
public final class Clustering {

    private static final Logger LOG = LoggerFactory.getLogger(Clustering.class);

    /** The namespace of the plain clock-triggered routes made cluster singletons. */
    public static final String SINGLETON_NAMESPACE = "triggers";

    static final String SERVICE_KEY = "workflow.cluster.service";
    static final String PER_INSTANCE_KEY = "workflow.cluster.per-instance-routes";

    private final ClusterSettings settings;
    private final TriggerRoutes routes;
    private final List<String> singletonRoutes;
    private final String description;

    private Clustering(
            ClusterSettings settings, TriggerRoutes routes, List<String> singletonRoutes, String description) {
        this.settings = settings;
        this.routes = routes;
        this.singletonRoutes = singletonRoutes;
        this.description = description;
    }

    /**
     * Sets up the cluster service and the routes' cluster policies. Call it once the routes are defined and before
     * the context starts.
     *
     * @param limitShare told the number of live members (this one included) whenever it changes, from the cluster
     *     thread; never told with no cluster service, where each instance holds the whole of every limit
     * @throws ClusterRefusal when the routes and the settings do not fit together
     */
    public static Clustering install(CamelContext context, ClusterSettings settings, IntConsumer limitShare)
            throws Exception {
        TriggerRoutes routes = TriggerRoutes.of(context);
        for (String id : settings.perInstanceRoutes()) {
            if (!routes.clockRoutes.containsKey(id)) {
                throw new ClusterRefusal(
                        PER_INSTANCE_KEY,
                        routes.routeIds.contains(id)
                                ? "route '" + id + "' is not triggered by timer, quartz, cron or scheduler"
                                : "no route has the id '" + id + "' (routes: " + String.join(", ", routes.routeIds)
                                        + ")");
            }
        }
        if (settings.service() == ClusterSettings.Service.NONE) {
            if (!routes.masterRoutes.isEmpty()) {
                Map.Entry<String, String> first =
                        routes.masterRoutes.entrySet().iterator().next();
                throw new ClusterRefusal(
                        SERVICE_KEY,
                        "route '" + first.getKey() + "' reads from master:"
                                + first.getValue()
                                + ":..., which needs a cluster service: set it to file (instances sharing "
                                + "a directory) or kubernetes (a Lease)");
            }
            return new Clustering(settings, routes, List.of(), "none");
        }

        for (Map.Entry<String, String> master : routes.masterRoutes.entrySet()) {
            if (LiveMembers.NAMESPACE.equals(master.getValue())) {
                throw new ClusterRefusal(
                        SERVICE_KEY,
                        "route '" + master.getKey() + "' reads from master:" + LiveMembers.NAMESPACE
                                + ":..., a cluster namespace the app keeps for counting the live members: "
                                + "choose another name");
            }
        }

        CamelClusterService service;
        String description;
        Duration poll;
        StalledElection stalled = null;
        LiveMembers.Source memberSource;
        if (settings.service() == ClusterSettings.Service.FILE) {
            ClusterSettings.FileLock file = settings.file();
            FileLockClusterService lock = new FileLockClusterService();
            lock.setId(settings.memberId());
            lock.setRoot(file.root().toString());
            lock.setAcquireLockInterval(file.interval().toMillis(), TimeUnit.MILLISECONDS);
            lock.setAcquireLockDelay(file.interval().toMillis(), TimeUnit.MILLISECONDS);
            lock.setHeartbeatTimeoutMultiplier(file.heartbeatTimeoutMultiplier());
            service = lock;
            description = "file lock in " + file.root().toAbsolutePath() + " (renewed every "
                    + Durations.format(file.interval()) + ", a silent leader replaced after "
                    + Durations.format(file.interval().multipliedBy(file.heartbeatTimeoutMultiplier())) + ")";
            poll = file.interval();
            stalled = new StalledElection(service, file.root(), file.interval(), file.leaderTimeout());
            // the timeout the file lock itself applies (whole intervals), so a member counts as long as it could lead
            memberSource = new MemberHeartbeats(
                    file.root(), settings.memberId(), file.interval().multipliedBy(file.heartbeatTimeoutMultiplier()));
        } else {
            ClusterSettings.KubernetesLease lease = settings.kubernetes();
            service = KubernetesLeases.create(settings.memberId(), lease);
            description = "Kubernetes Lease " + lease.leasePrefix() + "-<namespace> in "
                    + (lease.namespace() == null ? "the pod's namespace" : "namespace " + lease.namespace())
                    + " (lease " + Durations.format(lease.leaseDuration()) + ", renew deadline "
                    + Durations.format(lease.renewDeadline()) + ", retry " + Durations.format(lease.retryPeriod())
                    + ")";
            poll = Duration.ofSeconds(1);
            memberSource = new ViewMembers(service, settings.memberId());
        }
        context.addService(service);

        List<String> singletons = routes.clockRoutes.keySet().stream()
                .filter(id -> !settings.perInstanceRoutes().contains(id))
                .toList();
        if (!singletons.isEmpty()) {
            ClusteredRoutePolicy policy = ClusteredRoutePolicy.forNamespace(context, SINGLETON_NAMESPACE);
            for (String id : singletons) {
                RouteDefinition route = routes.clockRoutes.get(id);
                route.routePolicy(policy);
            }
        }

        LiveMembers members = new LiveMembers(memberSource, settings.memberId(), limitShare);
        Leadership leadership = new Leadership(service, settings.memberId(), poll, stalled, members);
        context.addService(leadership);
        HealthCheckRegistry registry = HealthCheckRegistry.get(context);
        if (registry != null) {
            ClusterHealthCheck health = new ClusterHealthCheck(description, settings.memberId(), leadership);
            health.setCamelContext(context);
            registry.register(health);
        }
        return new Clustering(settings, routes, singletons, description + "; live members: " + members.describe());
    }

    /** One INFO line: the service, this member and which routes fire once per cluster. */
    public void logSummary() {
        List<String> perInstance = List.copyOf(settings.perInstanceRoutes());
        if (settings.service() == ClusterSettings.Service.NONE) {
            if (!routes.clockRoutes.isEmpty()) {
                LOG.info(
                        "No cluster service ({} = none): the timer, quartz, cron and scheduler routes {} fire in "
                                + "every instance that runs them",
                        SERVICE_KEY,
                        routes.clockRoutes.keySet());
            }
            return;
        }
        String masters = routes.masterRoutes.entrySet().stream()
                .map(e -> e.getKey() + " (namespace " + e.getValue() + ")")
                .collect(Collectors.joining(", "));
        LOG.info(
                "Cluster service: {}; member {}; once per cluster: master: routes [{}], singleton trigger routes {} "
                        + "(namespace {}); in every instance: {}",
                description,
                settings.memberId(),
                masters,
                singletonRoutes,
                SINGLETON_NAMESPACE,
                perInstance);
    }
}
