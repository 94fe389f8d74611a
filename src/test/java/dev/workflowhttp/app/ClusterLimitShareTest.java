package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import dev.workflowhttp.support.ChildJvm;
import dev.workflowhttp.support.CountingEndpoint;
import dev.workflowhttp.support.CountingEndpoint.Arrival;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Two app instances, each its own JVM, share a file-lock directory; each runs a route that calls one loopback
 * endpoint as fast as its limit lets it, through {@code workflow-http} with {@code rateLimit=10/s} (burst 1). Once each
 * sees the other, each holds half the limit and the endpoint sees about 10 calls a second in total, not 20; after a
 * {@code kill -9} of one, the other holds the whole limit again once the dead member's heartbeat is a leader timeout
 * old.
 */
class ClusterLimitShareTest {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterLimitShareTest.class);

    /** Two JVMs starting on a shared machine under load. */
    private static final Duration START = Duration.ofSeconds(120);

    private static final Duration INTERVAL = Duration.ofMillis(500);
    private static final Duration LEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final int RATE = 10;
    private static final Duration WINDOW = Duration.ofSeconds(5);
    private static final Duration AFTER_KILL_WINDOW = Duration.ofSeconds(3);

    @Test
    void twoInstancesTogetherKeepTheOriginsRateAndTheSurvivorOfAKillGetsTheWholeRateBack() throws Exception {
        Path dir = Files.createTempDirectory("workflow-limit-share");
        Map<String, ChildJvm> jvms = new LinkedHashMap<>();
        Map<String, Integer> ports = new LinkedHashMap<>();
        try (CountingEndpoint endpoint = new CountingEndpoint(0)) {
            Path routes = Files.createDirectories(dir.resolve("routes"));
            Files.writeString(routes.resolve("calls.yaml"), route(endpoint.url()));
            for (String name : List.of("a", "b")) {
                int port = AppRunner.freePort();
                ports.put(name, port);
                jvms.put(
                        name,
                        ChildJvm.start(
                                dir.resolve("app-" + name + ".log"),
                                List.of(
                                        "-Dcamel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                                        "-Dcamel.management.port=" + port,
                                        "-Dworkflow.demo.enabled=false",
                                        "-Dcamel.server.enabled=false",
                                        "-Dworkflow.broker.data-dir=" + dir.resolve("data-" + name),
                                        "-Dworkflow.cluster.service=file",
                                        "-Dworkflow.cluster.file.root=" + dir.resolve("lock"),
                                        "-Dworkflow.cluster.file.interval=" + INTERVAL.toMillis() + "ms",
                                        "-Dworkflow.cluster.file.leader-timeout=" + LEADER_TIMEOUT.toMillis() + "ms",
                                        "-Dworkflow.cluster.member-id=" + name,
                                        // a timer route is made a cluster singleton unless listed here
                                        "-Dworkflow.cluster.per-instance-routes=calls",
                                        "-Dtest.instance=" + name),
                                WorkflowHttpMain.class.getName()));
            }

            for (String name : jvms.keySet()) {
                awaitMembers(name, ports.get(name), 2, START, jvms);
            }
            // both hold their share: measure from the next call on, once both send
            long sharing = System.nanoTime();
            await("calls from both instances")
                    .atMost(START)
                    .pollInterval(Duration.ofMillis(50))
                    .until(() -> endpoint.arrivals().stream()
                                    .filter(a -> a.nanos() > sharing)
                                    .map(Arrival::instance)
                                    .distinct()
                                    .count()
                            == 2);
            long from = System.nanoTime();
            long to = from + WINDOW.toNanos();
            awaitArrivalAfter(endpoint, to);
            List<Arrival> shared = between(endpoint, from, to);
            long fromA =
                    shared.stream().filter(c -> c.instance().equals("worker-a")).count();
            double perSecond = shared.size() / (WINDOW.toNanos() / 1e9);
            LOG.info(
                    "Two instances sharing rateLimit=10/s: {} calls in {} s ({} /s; a {}, b {}); most in any 1 s: {}",
                    shared.size(),
                    WINDOW.toSeconds(),
                    String.format("%.1f", perSecond),
                    fromA,
                    shared.size() - fromA,
                    mostInAnySecond(shared));
            // each holds 10/2s with burst 1: 25 tokens each in 5 s, plus the one each may hold as the window opens,
            // plus the one call each may have had on its way (one call at a time per instance): 2 × 27 = 54 at
            // most. The lower bound (35, 70 %) shows both were sending at their share, not starved by a loaded
            // machine into passing trivially; 20/s, the limit held by each alone, would be 100
            assertThat(shared.size())
                    .as("calls in %s s with two instances sharing %d/s", WINDOW.toSeconds(), RATE)
                    .isBetween(35, RATE * (int) WINDOW.toSeconds() + 4);
            assertThat(fromA).as("calls from a").isBetween(15L, 27L);

            // b is killed: its heartbeat stays and ages out; a holds the whole limit at its first look after
            jvms.get("b").kill();
            long killed = System.nanoTime();
            awaitMembers("a", ports.get("a"), 1, LEADER_TIMEOUT.plus(INTERVAL).plusSeconds(10), jvms);
            Duration back = Duration.ofNanos(System.nanoTime() - killed);
            // the design figure: a leader timeout (2 s) plus up to one interval (0.5 s) to a's next look; 10 s more
            // (above) for the shared machine and the 100 ms of the metrics polling
            assertThat(back)
                    .as("from the kill to a's share of 1")
                    .isGreaterThanOrEqualTo(LEADER_TIMEOUT.minus(INTERVAL));
            long alone = System.nanoTime();
            long aloneTo = alone + AFTER_KILL_WINDOW.toNanos();
            awaitArrivalAfter(endpoint, aloneTo);
            List<Arrival> ageingOut = between(endpoint, killed, alone);
            List<Arrival> full = between(endpoint, alone, aloneTo);
            LOG.info(
                    "kill -9 of b: a held its half for {} ms ({} calls, {} /s), then alone {} calls in {} s ({} /s)",
                    back.toMillis(),
                    ageingOut.size(),
                    String.format("%.1f", ageingOut.size() / (back.toNanos() / 1e9)),
                    full.size(),
                    AFTER_KILL_WINDOW.toSeconds(),
                    String.format("%.1f", full.size() / (AFTER_KILL_WINDOW.toNanos() / 1e9)));
            assertThat(full).extracting(Arrival::instance).containsOnly("worker-a");
            // 30 tokens in 3 s, plus one held and one on its way; at least 24 (80 %): well above the half (15) a
            // held before
            assertThat(full.size())
                    .as("calls in %s s from a alone", AFTER_KILL_WINDOW.toSeconds())
                    .isBetween(24, RATE * (int) AFTER_KILL_WINDOW.toSeconds() + 2);
            assertThat(dir.resolve("lock").resolve("members").resolve("b"))
                    .as("a killed member's heartbeat, aged out but not yet removed (that takes ten leader timeouts)")
                    .exists();
            String log = jvms.get("a").log();
            // a saw b at its first look, or one look after (then "2 live (a, b), 1 before")
            assertThat(log)
                    .contains("Cluster members: 2 live (a, b)")
                    .contains("this instance (member a) holds 1/2 of each origin's rateLimit")
                    .contains("Cluster members: 1 live (a), 2 before: this instance (member a) holds the whole");
        } finally {
            // nothing to see in a graceful stop here (ClusterFailoverTest has it): a kill keeps the test short
            for (ChildJvm jvm : jvms.values()) {
                jvm.kill();
            }
            AppRunner.deleteTree(dir);
        }
    }

    private static String route(String url) {
        return String.join(
                "\n",
                "- route:",
                "    id: calls",
                "    from:",
                "      uri: timer:calls",
                "      parameters:",
                // the next call as soon as the last one is done: the limit alone paces them
                "        period: 1",
                "        synchronous: true",
                "      steps:",
                "        - setBody:",
                "            simple: \"${exchangeId}\"",
                "        - to:",
                "            uri: \"workflow-http:" + url + "\"",
                "            parameters:",
                "              method: POST",
                "              timeout: 5s",
                "              rateLimit: " + RATE + "/s",
                "              userAgent: \"worker-{{test.instance}}\"",
                "");
    }

    private static void awaitMembers(String name, int port, int members, Duration limit, Map<String, ChildJvm> jvms) {
        await(name + " seeing " + members + " live member(s)")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(100))
                .ignoreExceptions()
                .untilAsserted(() -> assertThat(
                                ClusterRun.gauge(ClusterRun.get(port, "/observe/metrics"), "workflow_cluster_members"))
                        .as("logs of %s:%n%s", name, jvms.get(name).log())
                        .isEqualTo(members));
    }

    /** The window is over once a call arrived after its end. */
    private static void awaitArrivalAfter(CountingEndpoint endpoint, long nanos) {
        await("a call after the window")
                .atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> endpoint.arrivals().stream().anyMatch(a -> a.nanos() >= nanos));
    }

    private static List<Arrival> between(CountingEndpoint endpoint, long from, long to) {
        return endpoint.arrivals().stream()
                .filter(a -> a.nanos() >= from && a.nanos() < to)
                .toList();
    }

    private static int mostInAnySecond(List<Arrival> arrivals) {
        List<Long> times = arrivals.stream().map(Arrival::nanos).sorted().toList();
        int most = 0;
        int first = 0;
        for (int last = 0; last < times.size(); last++) {
            while (times.get(last) - times.get(first) >= 1_000_000_000L) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }
}
