package dev.workflowhttp.app.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.camel.cluster.CamelClusterEventListener;
import org.apache.camel.cluster.CamelClusterView;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * CAMEL-27566 (Camel 4.18's file lock): a member that led, lost its lock, and failed once to take it back never tries
 * again while the leader record still names it — here the only member, so the namespace has no leader for good. The
 * application's {@link StalledElection} gets it going again.
 *
 * <p>The scenario, on Camel's real file-lock service and real files: the member leads; someone removes the lock file
 * (a clean-up of the shared directory), so the member gives up its leadership; at that moment another holder takes
 * the new lock file, so the member's next attempt to take it back fails; then that holder goes away without ever
 * writing a leader record (it died, or it was a tool). The lock is free from then on.
 */
class StalledElectionTest {

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(1);
    private static final String NAMESPACE = "ticks";

    private Path root;
    private DefaultCamelContext context;
    private FileLockClusterService service;
    private FileChannel intruderChannel;

    @BeforeEach
    void setUp() throws Exception {
        root = Files.createTempDirectory("workflow-cluster-lock");
        context = new DefaultCamelContext();
        service = new FileLockClusterService();
        service.setId("only-member");
        service.setRoot(root.toString());
        service.setAcquireLockInterval(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        service.setAcquireLockDelay(INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        service.setHeartbeatTimeoutMultiplier((int) (LEADER_TIMEOUT.toMillis() / INTERVAL.toMillis()));
        context.addService(service);
    }

    @AfterEach
    void tearDown() throws Exception {
        if (intruderChannel != null) {
            intruderChannel.close();
        }
        context.stop();
        AppRunner.deleteTree(root);
    }

    @Test
    void withoutTheWorkaroundTheMemberNeverTakesTheFreeLock() throws Exception {
        context.start();
        CamelClusterView view = service.getView(NAMESPACE);

        loseLeadershipAndFailToTakeItBack(view);

        // the lock is free, the member looks every 500 ms, and a dead leader is replaced after 1 s: ten looks
        // without taking it show the bug (if this fails, Camel has fixed it: remove StalledElection)
        await("the member staying a follower")
                .during(Duration.ofSeconds(5))
                .atMost(Duration.ofSeconds(6))
                .until(() -> !view.getLocalMember().isLeader());
    }

    @Test
    void aMemberThatOnceFailedToTakeTheLockTakesItLater() throws Exception {
        StalledElection stalled = new StalledElection(service, root, INTERVAL, LEADER_TIMEOUT);
        LiveMembers members =
                new LiveMembers(new MemberHeartbeats(root, "only-member", LEADER_TIMEOUT), "only-member", n -> {});
        context.addService(new Leadership(service, "only-member", INTERVAL, stalled, members));
        context.start();
        CamelClusterView view = service.getView(NAMESPACE);

        loseLeadershipAndFailToTakeItBack(view);

        // stalled after leader-timeout + 3 intervals (2.5 s), restarted 2 intervals later, then Camel's first attempt
        // after its acquire delay: about 4 s; 30 s of slack for a loaded machine
        await("the member leading again")
                .atMost(Duration.ofSeconds(30))
                .until(() -> view.getLocalMember().isLeader());
    }

    private void loseLeadershipAndFailToTakeItBack(CamelClusterView view) throws Exception {
        await("the member leading")
                .atMost(Duration.ofSeconds(30))
                .until(() -> view.getLocalMember().isLeader());
        Path lockFile = root.resolve(NAMESPACE);
        AtomicReference<FileLock> intruder = new AtomicReference<>();
        // runs in the member's own election thread as it gives up: the new lock file is taken before its next look
        view.addEventListener((CamelClusterEventListener.Leadership) (changed, leader) -> {
            if (leader == null && intruder.get() == null) {
                try {
                    intruderChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                    intruder.set(intruderChannel.lock());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            }
        });
        Files.delete(lockFile);
        await("the member giving up its leadership")
                .atMost(Duration.ofSeconds(30))
                .until(() -> intruder.get() != null && !view.getLocalMember().isLeader());
        // its attempts to take the lock back fail while the other holder has it
        await("the member failing to take the held lock")
                .during(Duration.ofMillis(1500))
                .atMost(Duration.ofSeconds(3))
                .until(() -> !view.getLocalMember().isLeader());
        intruder.get().release();
        intruderChannel.close();
        intruderChannel = null;
        assertThat(Files.exists(root.resolve(NAMESPACE + ".dat")))
                .as("the leader record still there")
                .isTrue();
    }
}
