package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.CountingEndpoint;
import dev.workflowhttp.support.CountingEndpoint.Arrival;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Production's shape in one run: three app instances, each its own JVM, with the README's recommended cluster
 * settings (the file service on a shared directory, its default 1 s interval and 5 s leader timeout), all on one
 * shared-store broker pair (primary and backup StandaloneBroker JVMs) through the README's failover URL. Two
 * workflows: a plain {@code timer:} route, which the app makes a cluster singleton, posting a tick every 200 ms to a
 * loopback counting endpoint; and a queue workflow (two consumers per instance) that posts each of 300 queued
 * messages, with an {@code Idempotency-Key}, to a second counting endpoint and forwards it to a second queue.
 *
 * <p>While the queue is worked through, the leading instance is killed with SIGKILL, and later the primary broker.
 * The timer never fires on two instances at once and another instance fires within the failover bound; all 300
 * messages reach the endpoint (a repeat only with the same key, at most one per consumer in flight at a kill); the
 * second queue holds each once; nothing is dead-lettered; on each survivor the leak gauges read 0 and SIGTERM ends it
 * with exit code 0. Not in the default build (two to three minutes, five JVMs): {@code mvn -B -Pcluster verify}.
 */
@Tag("cluster-long")
class ClusterOnBrokerPairTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterOnBrokerPairTest.class);
    /** Five JVMs starting together on a 2-core machine shared with other builds. */
    private static final Duration START = Duration.ofSeconds(240);

    private static final int MESSAGES = 300;
    private static final int INSTANCES = 3;
    /** {@code concurrentConsumers} of the queue workflow {@link QueueWorkersSupport} writes. */
    private static final int CONSUMERS_PER_INSTANCE = 2;
    /**
     * The work each queued message stands for: at 500 ms a call, six consumers need about 25 s for the 300, so that
     * both kills land while messages are still queued.
     */
    private static final long JOB_MILLIS = 500;
    /** At least this many messages still queued when the primary broker is killed. */
    private static final int QUEUED_AT_BROKER_KILL = 50;

    @Test
    void threeInstancesOnABrokerPairSurviveAKillOfTheLeaderAndThenOfThePrimaryBroker() throws Exception {
        long begin = System.nanoTime();
        try (ClusterRun run = ClusterRun.withoutWorkflows()) {
            BrokerPair brokers = run.companion(new BrokerPair(run.dir));
            CountingEndpoint jobs = run.companion(new CountingEndpoint(JOB_MILLIS));
            run.writeRoutes(
                    "ticks.yaml",
                    run.tickRoute(
                            "tick",
                            "timer:tick",
                            "        period: 200\n        includeMetadata: true",
                            "${exchangeProperty.CamelTimerCounter}"));
            // the issue's own shape as well: a master: timer firing every second
            run.writeRoutes(
                    "beats.yaml",
                    run.tickRoute(
                            "beat",
                            "master:beats:timer:beat",
                            "        period: 1000\n        includeMetadata: true",
                            "${exchangeProperty.CamelTimerCounter}"));
            QueueWorkersSupport.writeWorkflow(run.dir, jobs.url(), "done");
            run.addInstanceProperties(
                    "-Dworkflow.broker.url=" + brokers.failoverUrl, "-Dworkflow.broker.reconnect-interval=1s");

            // the primary and the instances start together (their start-up dominates the run): the instances retry
            // until the primary answers
            brokers.startPrimary();
            run.start("a", "b", "c");
            brokers.startBackupOnceThePrimaryServes(START);
            run.awaitAllUp(START);
            String leader = run.leaderOf("tick", START);
            ClusterRun.awaitTicks(run.counter, "tick", 10, Duration.ofSeconds(60));
            Duration readyAfter = Duration.ofNanos(System.nanoTime() - begin);

            QueueWorkersSupport.send(brokers.failoverUrl, "job", MESSAGES);
            await("some queued work done before the leader's kill")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> jobs.counts().size() >= 30);
            int atLeaderKill = jobs.counts().size();
            Duration leaderFailover = run.killAndTimeFailover(leader, "tick", ClusterFailoverTest.FAILOVER_LIMIT);
            String nextLeader = run.leaderOf("tick", Duration.ofSeconds(5));

            await("more queued work done before the primary's kill")
                    .atMost(Duration.ofSeconds(120))
                    .until(() -> jobs.counts().size() >= 120);
            int atBrokerKill = jobs.counts().size();
            assertThat(atBrokerKill)
                    .as("messages done when the primary is killed (the rest still queued)")
                    .isLessThanOrEqualTo(MESSAGES - QUEUED_AT_BROKER_KILL);
            long brokerKilled = System.nanoTime();
            Duration brokerFailover = brokers.killPrimaryAndAwaitBackup(Duration.ofSeconds(60));

            await("every queued message at the endpoint")
                    .atMost(Duration.ofSeconds(180))
                    .untilAsserted(() -> assertThat(jobs.counts().keySet())
                            .as("backup log:%n%s%ninstances:%n%s", brokers.backupLog(), run.logs())
                            .hasSize(MESSAGES));
            Duration queueDoneAfterBrokerKill = Duration.ofNanos(System.nanoTime() - brokerKilled);
            for (int i = 0; i < MESSAGES; i++) {
                assertThat(jobs.counts()).containsKey("job-" + i);
            }
            // the timer goes on through the broker's failover (it needs no broker)
            ClusterRun.awaitTicks(run.counter, "tick", 10, Duration.ofSeconds(60));

            Map<String, Integer> forwarded = brokers.drain("done", MESSAGES, "work");
            assertThat(forwarded)
                    .as("the second queue: each message once, whatever its workflow ran twice")
                    .hasSize(MESSAGES)
                    .allSatisfy((id, times) -> assertThat(times).as(id).isEqualTo(1));
            assertThat(brokers.drain("DLQ", 0, null)).as("dead letters").isEmpty();

            List<String> postedAgain = jobs.counts().entrySet().stream()
                    .filter(e -> e.getValue().get() > 1)
                    .map(Map.Entry::getKey)
                    .sorted()
                    .toList();
            int extraPosts = jobs.counts().values().stream()
                    .mapToInt(posts -> posts.get() - 1)
                    .sum();
            assertThat(jobs.idempotencyKeys())
                    .as("the Idempotency-Key of every post of a message: one key per message")
                    .hasSize(MESSAGES)
                    .allSatisfy((id, keys) -> assertThat(keys).as(id).hasSize(1));
            // only a message between its call and its acknowledgement at a kill can be posted again, and each consumer
            // holds at most one (consumerWindowSize=0): the killed instance's consumers at the first kill, the
            // survivors' at the second, so at most every consumer once
            assertThat(postedAgain)
                    .as("messages posted more than once")
                    .hasSizeLessThanOrEqualTo(INSTANCES * CONSUMERS_PER_INSTANCE);

            run.assertEachTickOnce("tick");
            // every second from one leader at a time: each tick once, none doubled or skipped (±1 at a failover);
            // its namespace elects on its own, so the killed instance led it only if it won both elections
            run.assertOneLeaderAtATime("beat", Duration.ofSeconds(1));
            List<List<Arrival>> beatLeaders = run.runsPerLeader("beat");
            List<List<Arrival>> leaders = run.runsPerLeader("tick");
            assertThat(ClusterRun.instanceOf(leaders.get(0).get(0)))
                    .as("the first leader")
                    .isEqualTo(leader);
            long longestGapWithinALeader = longestGap(leaders);

            run.awaitAllUp(Duration.ofSeconds(60));
            List<String> clientFailovers = new ArrayList<>();
            for (String survivor : run.running()) {
                String failover =
                        BrokerPair.clientFailover(run.instance(survivor).jvm().log());
                assertThat(failover)
                        .as("%s's broker monitor reports the failover", survivor)
                        .isNotNull();
                clientFailovers.add(survivor + " " + failover);
            }
            run.assertNoLeaksOnSurvivors();
            Map<String, Integer> exitCodes = run.terminateAll(Duration.ofSeconds(60));

            LOG.info(
                    "{} instances on a broker pair, {} messages: ready after {} ms; leader {} killed after {} messages "
                            + "were done, {} ticked {} ms later (leaders in turn: {}; longest gap between one "
                            + "leader's ticks {} ms, period 200 ms; master: timer every second, leaders in turn {}); primary killed after {} were done, backup active "
                            + "{} ms later, clients failed over after {}; all {} done {} ms after the primary's kill, "
                            + "{} posted more than once (same Idempotency-Key) {}, {} extra posts; the second queue "
                            + "holds each once; exit codes after SIGTERM {}; {} ms in all",
                    INSTANCES,
                    MESSAGES,
                    readyAfter.toMillis(),
                    leader,
                    atLeaderKill,
                    nextLeader,
                    leaderFailover.toMillis(),
                    leaders.stream()
                            .map(ticks -> ClusterRun.instanceOf(ticks.get(0)) + "×" + ticks.size())
                            .toList(),
                    longestGapWithinALeader,
                    beatLeaders.stream()
                            .map(ticks -> ClusterRun.instanceOf(ticks.get(0)) + "×" + ticks.size())
                            .toList(),
                    atBrokerKill,
                    brokerFailover.toMillis(),
                    clientFailovers,
                    MESSAGES,
                    queueDoneAfterBrokerKill.toMillis(),
                    postedAgain.size(),
                    postedAgain,
                    extraPosts,
                    exitCodes,
                    Duration.ofNanos(System.nanoTime() - begin).toMillis());
            assertThat(exitCodes)
                    .as("exit codes after SIGTERM (the logs: target/cluster-logs)")
                    .allSatisfy((name, code) -> assertThat(code).as(name).isZero());
        }
    }

    /** The longest time between two consecutive ticks of one leader, as fired. */
    private static long longestGap(List<List<Arrival>> leaders) {
        long longest = 0;
        for (List<Arrival> ticks : leaders) {
            for (int i = 1; i < ticks.size(); i++) {
                longest = Math.max(
                        longest, ClusterRun.firedMillis(ticks.get(i)) - ClusterRun.firedMillis(ticks.get(i - 1)));
            }
        }
        return longest;
    }
}
