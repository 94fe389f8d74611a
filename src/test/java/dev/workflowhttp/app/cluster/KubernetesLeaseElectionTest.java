package dev.workflowhttp.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.NamespacedKubernetesClient;
import io.fabric8.kubernetes.client.server.mock.KubernetesCrudDispatcher;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import io.fabric8.mockwebserver.Context;
import io.fabric8.mockwebserver.MockWebServer;
import java.net.InetAddress;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The Kubernetes cluster service as the app configures it from the {@code workflow.cluster.kubernetes.*} keys, run
 * against a Kubernetes API server on loopback that stores what it is sent (the fabric8 server in CRUD mode; no
 * Kubernetes on the build machine): two member pods elect one leader, which holds the Lease
 * {@code <lease-prefix>-<namespace>}; when the leader's app dies and its pod is no longer ready, the other pod takes
 * the Lease and leads a lease duration later (Camel's guard against two leaders).
 */
class KubernetesLeaseElectionTest {

    private static final String NAMESPACE = "workflows";
    private static final Map<String, String> LABELS = Map.of("app", "workflow-http");
    private static final ClusterSettings.KubernetesLease SETTINGS = new ClusterSettings.KubernetesLease(
            NAMESPACE, "workflow-http", LABELS, Duration.ofSeconds(3), Duration.ofSeconds(2), Duration.ofMillis(500));
    private static final String[] CLIENT_PROPERTIES = {
        "kubernetes.master",
        "kubernetes.auth.tryKubeConfig",
        "kubernetes.auth.tryServiceAccount",
        "kubernetes.namespace"
    };

    private KubernetesMockServer server;
    private NamespacedKubernetesClient client;
    private final Map<String, DefaultCamelContext> apps = new HashMap<>();

    @BeforeEach
    void setUp() {
        server = new KubernetesMockServer(
                new Context(), new MockWebServer(), new HashMap<>(), new KubernetesCrudDispatcher(), false);
        server.init(InetAddress.getLoopbackAddress(), 0);
        client = server.createClient();
        // what a pod finds in its environment, here pointing at the loopback server
        System.setProperty("kubernetes.master", client.getMasterUrl().toString());
        System.setProperty("kubernetes.auth.tryKubeConfig", "false");
        System.setProperty("kubernetes.auth.tryServiceAccount", "false");
        System.setProperty("kubernetes.namespace", NAMESPACE);
        for (String pod : new String[] {"pod-a", "pod-b"}) {
            client.pods()
                    .inNamespace(NAMESPACE)
                    .resource(new PodBuilder()
                            .withNewMetadata()
                            .withName(pod)
                            .withNamespace(NAMESPACE)
                            .addToLabels(LABELS)
                            .endMetadata()
                            .withNewStatus()
                            .withPhase("Running")
                            .addNewCondition()
                            .withType("Ready")
                            .withStatus("True")
                            .endCondition()
                            .endStatus()
                            .build())
                    .create();
        }
    }

    @AfterEach
    void tearDown() {
        apps.values().forEach(DefaultCamelContext::stop);
        client.close();
        server.destroy();
        for (String property : CLIENT_PROPERTIES) {
            System.clearProperty(property);
        }
    }

    private CamelClusterView member(String pod) throws Exception {
        return service(pod).getView("ticks");
    }

    private CamelClusterService service(String pod) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        CamelClusterService service = KubernetesLeases.create(pod, SETTINGS);
        context.addService(service);
        context.start();
        apps.put(pod, context);
        return service;
    }

    private void markNotReady(String pod) {
        client.pods()
                .inNamespace(NAMESPACE)
                .withName(pod)
                .edit(p -> new PodBuilder(p)
                        .editStatus()
                        .editFirstCondition()
                        .withStatus("False")
                        .endCondition()
                        .endStatus()
                        .build());
    }

    /**
     * The live members each pod counts for its share of the origins' limits: the ready pods with the member labels,
     * as Camel's view of the namespace {@code members} lists them, itself always among them.
     */
    @Test
    void eachPodCountsTheReadyPodsAsLiveMembersAndItselfAlways() throws Exception {
        CamelClusterService serviceA = service("pod-a");
        ViewMembers a = new ViewMembers(serviceA, "pod-a");
        ViewMembers b = new ViewMembers(service("pod-b"), "pod-b");
        try {
            // Camel's view lists the ready pods at its first pull, as it starts
            await("both pods counted by both").atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                assertThat(a.live()).containsExactlyInAnyOrder("pod-a", "pod-b");
                assertThat(b.live()).containsExactlyInAnyOrder("pod-a", "pod-b");
            });

            // pod-b's app dies and its pod is no longer ready: pod-a stops counting it at its next look
            apps.remove("pod-b").stop();
            markNotReady("pod-b");
            await("pod-a counting itself only")
                    .atMost(Duration.ofSeconds(30))
                    .untilAsserted(() -> assertThat(a.live()).containsExactly("pod-a"));

            // a pod not ready (yet) counts itself: it sends calls whatever the others see of it
            markNotReady("pod-a");
            CamelClusterView view = serviceA.getView(LiveMembers.NAMESPACE);
            await("pod-a gone from its own view")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> view.getMembers().isEmpty());
            assertThat(a.live()).containsExactly("pod-a");
            serviceA.releaseView(view);
        } finally {
            a.leave();
            b.leave();
        }
    }

    @Test
    void twoPodsElectOneLeaderWhichHoldsTheLeaseAndTheOtherTakesOverWhenItExpires() throws Exception {
        CamelClusterView a = member("pod-a");
        CamelClusterView b = member("pod-b");

        await("a leader")
                .atMost(Duration.ofSeconds(60))
                .until(() -> a.getLocalMember().isLeader() || b.getLocalMember().isLeader());
        await("one leader only")
                .during(Duration.ofSeconds(3))
                .atMost(Duration.ofSeconds(5))
                .until(() -> a.getLocalMember().isLeader() != b.getLocalMember().isLeader());
        CamelClusterView leader = a.getLocalMember().isLeader() ? a : b;
        CamelClusterView follower = leader == a ? b : a;
        String leaderPod = leader.getLocalMember().getId();
        Lease lease = client.leases()
                .inNamespace(NAMESPACE)
                .withName("workflow-http-ticks")
                .get();
        assertThat(lease).as("the Lease <lease-prefix>-<namespace>").isNotNull();
        assertThat(lease.getSpec().getHolderIdentity()).isEqualTo(leaderPod);
        assertThat(follower.getLeader())
                .as("the follower knows who leads")
                .hasValueSatisfying(member -> assertThat(member.getId()).isEqualTo(leaderPod));

        // the leader's app dies; Kubernetes marks its pod not ready (the container is gone)
        apps.remove(leaderPod).stop();
        long unready = System.nanoTime();
        markNotReady(leaderPod);

        // the follower sees the leader leave the ready members at its next look (0.5–0.6 s), takes the Lease, and
        // waits a lease duration (3 s) before it leads, the old leader's renew deadline (2 s) having passed: about
        // 3.6 s; slack for a loaded machine
        await("the other pod leading")
                .atMost(Duration.ofSeconds(30))
                .until(() -> follower.getLocalMember().isLeader());
        Duration failover = Duration.ofNanos(System.nanoTime() - unready);
        assertThat(failover).as("not before a lease duration").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
        assertThat(client.leases()
                        .inNamespace(NAMESPACE)
                        .withName("workflow-http-ticks")
                        .get()
                        .getSpec()
                        .getHolderIdentity())
                .isEqualTo(follower.getLocalMember().getId());
    }
}
