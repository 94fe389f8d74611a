package dev.workflowhttp.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The live-member count of a file-lock cluster, on real files: each member's heartbeat file, the ageing out of a
 * member that stopped writing it, and the count as the app's cluster thread keeps it (listener, gauge, leaving on
 * stop).
 */
class LiveMembersTest {

    private static final Duration INTERVAL = Duration.ofMillis(200);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(1);

    private Path root;
    private final List<DefaultCamelContext> contexts = new CopyOnWriteArrayList<>();

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("workflow-members");
    }

    @AfterEach
    void tearDown() throws Exception {
        contexts.forEach(DefaultCamelContext::stop);
        AppRunner.deleteTree(root);
    }

    @Test
    void aMemberCountsWhileItsHeartbeatIsYoungerThanTheLeaderTimeout() throws Exception {
        MemberHeartbeats a = new MemberHeartbeats(root, "a", LEADER_TIMEOUT);
        MemberHeartbeats b = new MemberHeartbeats(root, "b", LEADER_TIMEOUT);

        assertThat(a.live()).containsExactly("a");
        assertThat(b.live()).containsExactlyInAnyOrder("a", "b");
        assertThat(a.live()).containsExactlyInAnyOrder("a", "b");

        // a member killed outright: its file stays, and stops counting once a leader timeout old
        Path killed = root.resolve("members").resolve("c");
        Files.writeString(killed, "c\n");
        Files.setLastModifiedTime(killed, FileTime.from(Instant.now().minus(LEADER_TIMEOUT)));
        // one gone for ten leader timeouts is removed
        Path forgotten = root.resolve("members").resolve("d");
        Files.writeString(forgotten, "d\n");
        Files.setLastModifiedTime(forgotten, FileTime.from(Instant.now().minusSeconds(60)));
        assertThat(a.live()).containsExactlyInAnyOrder("a", "b");
        assertThat(killed).exists();
        assertThat(forgotten).doesNotExist();

        b.leave();
        assertThat(a.live()).containsExactly("a");
    }

    @Test
    void anIdThatIsNoFileNameIsWrittenAsOne() {
        assertThat(MemberHeartbeats.fileName("host/1:42")).isEqualTo("host_1_42");
        assertThat(MemberHeartbeats.fileName("..")).isEqualTo("_.");
    }

    @Test
    void theClusterThreadTellsEachChangeAndTheGaugeAndLeavesOnStop() throws Exception {
        List<Integer> toldA = new CopyOnWriteArrayList<>();
        MeterRegistry meters = new SimpleMeterRegistry();
        DefaultCamelContext a = member("a", toldA, meters);
        a.start();
        await("a alone").atMost(Duration.ofSeconds(10)).until(() -> toldA.equals(List.of(1)));
        assertThat(meters.get("workflow.cluster.members").gauge().value()).isEqualTo(1.0);

        DefaultCamelContext b = member("b", new CopyOnWriteArrayList<>(), new SimpleMeterRegistry());
        b.start();
        // b writes its heartbeat at its first look; a sees it at its next, one interval later at most
        await("a seeing b").atMost(Duration.ofSeconds(10)).until(() -> toldA.equals(List.of(1, 2)));
        assertThat(meters.get("workflow.cluster.members").gauge().value()).isEqualTo(2.0);

        b.stop();
        contexts.remove(b);
        assertThat(root.resolve("members").resolve("b"))
                .as("a clean stop removes the heartbeat")
                .doesNotExist();
        // at a's next look, not a leader timeout later
        await("a alone again").atMost(Duration.ofSeconds(10)).until(() -> toldA.equals(List.of(1, 2, 1)));

        a.stop();
        contexts.remove(a);
        assertThat(root.resolve("members").resolve("a")).doesNotExist();
        assertThat(meters.find("workflow.cluster.members").gauge())
                .as("the gauge leaves with the service")
                .isNull();
        assertThat(Thread.getAllStackTraces().keySet().stream()
                        .filter(Thread::isAlive)
                        .map(Thread::getName)
                        .filter(name -> name.contains("workflow-cluster")))
                .isEmpty();
    }

    private DefaultCamelContext member(String id, List<Integer> told, MeterRegistry meters) throws Exception {
        DefaultCamelContext context = new DefaultCamelContext();
        context.getRegistry().bind("meters", meters);
        FileLockClusterService service = new FileLockClusterService();
        service.setId(id);
        service.setRoot(root.toString());
        service.setAcquireLockInterval(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier((int) (LEADER_TIMEOUT.toMillis() / INTERVAL.toMillis()));
        context.addService(service);
        LiveMembers members = new LiveMembers(new MemberHeartbeats(root, id, LEADER_TIMEOUT), id, told::add);
        context.addService(new Leadership(service, id, INTERVAL, null, members));
        contexts.add(context);
        return context;
    }
}
