package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Three app instances, each its own JVM, on one lock directory, about 30 s of ticks every second from a
 * {@code master:} timer and a plain timer, and two kills -9: the leader, then the next leader. After each kill another
 * instance fires within the bound; over the whole run each tick reaches the endpoint once, from one instance at a
 * time; the survivor's leak gauges read 0. Not in the default build (about two minutes):
 * {@code mvn -B -Pcluster verify}.
 */
@Tag("cluster-long")
class ClusterLongRunTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLongRunTest.class);
    private static final Duration START = Duration.ofSeconds(180);

    @Test
    void threeInstancesTwoKillsOneLeaderAtATime() throws Exception {
        try (ClusterRun run = new ClusterRun()) {
            run.start("a", "b", "c");
            String leader = run.leaderOf("tick", START);
            run.awaitAllUp(START);
            List<Long> failovers = new ArrayList<>();
            for (int kill = 0; kill < 2; kill++) {
                ClusterRun.awaitTicks(run.counter, "tick", 10, Duration.ofSeconds(60));
                Duration failover = run.killAndTimeFailover(leader, "tick", ClusterFailoverTest.FAILOVER_LIMIT);
                failovers.add(failover.toMillis());
                leader = run.leaderOf("tick", Duration.ofSeconds(5));
            }
            ClusterRun.awaitTicks(run.counter, "tick", 10, Duration.ofSeconds(60));

            LOG.info(
                    "3 instances, {} ticks in all; kill -9 of the leader, twice: the next instance's first tick {} ms "
                            + "later",
                    run.arrivalsOf("tick").size(),
                    failovers);
            run.assertOneLeaderAtATime("tick", Duration.ofSeconds(1));
            run.assertOneLeaderAtATime("plain", Duration.ofSeconds(1));
            run.assertOneLeaderAtATime("cron", Duration.ofSeconds(2));
            run.assertNoLeaksOnSurvivors();
            assertThat(ClusterRun.get(run.instance(leader).managementPort(), "/observe/metrics"))
                    .contains("workflow_cluster_leader{namespace=\"ticks\"} 1.0");
        }
    }
}
