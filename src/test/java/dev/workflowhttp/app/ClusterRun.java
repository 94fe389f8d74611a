package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.AppRunner;
import dev.workflowhttp.support.ChildJvm;
import dev.workflowhttp.support.CountingEndpoint;
import dev.workflowhttp.support.CountingEndpoint.Arrival;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Several app instances, each its own JVM, sharing a file-lock directory, with the default cluster settings. Two
 * workflows fire every second and post a tick id to a loopback counting endpoint: {@code master:ticks:timer:tick}
 * ({@code tick-<instance>-<n>}) and a plain {@code timer:plain} ({@code plain-<instance>-<n>}), which the app makes a
 * cluster singleton; a third, {@code master:crons:quartz:...}, every two seconds by a cron expression.
 */
final class ClusterRun implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ClusterRun.class);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The bound the README promises for a kill -9 of the leader with the default settings. */
    static final Duration FAILOVER_BOUND = Duration.ofSeconds(15);

    final Path dir;
    final CountingEndpoint counter;
    private final Path routes;
    private final Path lockDir;
    private final Map<String, Instance> instances = new LinkedHashMap<>();
    private final List<String> instanceProperties = new ArrayList<>();
    private final List<AutoCloseable> companions = new ArrayList<>();

    record Instance(String name, ChildJvm jvm, int managementPort) {}

    /** The three tick workflows below, on a fresh lock directory. */
    ClusterRun() throws Exception {
        this(true);
    }

    private ClusterRun(boolean tickWorkflows) throws Exception {
        dir = Files.createTempDirectory("workflow-cluster");
        counter = new CountingEndpoint(0);
        lockDir = dir.resolve("lock");
        routes = Files.createDirectories(dir.resolve("routes"));
        if (!tickWorkflows) {
            return;
        }
        String everySecond = "        period: 1000\n        includeMetadata: true";
        String counter = "${exchangeProperty.CamelTimerCounter}";
        writeRoutes(
                "ticks.yaml",
                tickRoute("tick", "master:ticks:timer:tick", everySecond, counter)
                        + tickRoute("plain", "timer:plain", everySecond, counter)
                        // a misfired Quartz trigger may fire twice in a second: the exchange id keeps each post's id
                        // unique
                        + tickRoute(
                                "cron",
                                "master:crons:quartz:everyTwoSeconds",
                                "        cron: \"0/2 * * * * ?\"",
                                "${exchangeId}"));
    }

    /**
     * A run with no workflow yet: the caller writes its own ({@link #writeRoutes}, {@link #tickRoute} for ticks posted
     * to {@link #counter}) into {@code dir/routes}, which every instance loads.
     */
    static ClusterRun withoutWorkflows() throws Exception {
        return new ClusterRun(false);
    }

    /**
     * Something the instances use (a broker, another endpoint), closed after them and before the run's directory is
     * removed.
     */
    <T extends AutoCloseable> T companion(T companion) {
        companions.add(companion);
        return companion;
    }

    void writeRoutes(String file, String yaml) throws Exception {
        Files.writeString(routes.resolve(file), yaml);
    }

    /** System properties every instance started after this call gets, besides the cluster's own. */
    void addInstanceProperties(String... properties) {
        instanceProperties.addAll(List.of(properties));
    }

    /**
     * A route reading from {@code uri} that posts {@code <id>-<instance>-<tickId>@<epoch millis>} to {@link #counter}
     * for every exchange.
     */
    String tickRoute(String id, String uri, String parameters, String tickId) {
        return String.join(
                "\n",
                "- route:",
                "    id: " + id,
                "    from:",
                "      uri: " + uri,
                "      parameters:",
                parameters,
                "      steps:",
                "        - setBody:",
                "            simple: \"" + id + "-{{test.instance}}-" + tickId + "@${date:millis}\"",
                "        - to:",
                "            uri: \"workflow-http:" + counter.url() + "\"",
                "            parameters:",
                "              method: POST",
                "              timeout: 5s",
                "              userAgent: \"worker-{{test.instance}}\"",
                "");
    }

    void start(String... names) throws Exception {
        for (String name : names) {
            int port = AppRunner.freePort();
            List<String> properties = new ArrayList<>(List.of(
                    "-Dcamel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                    "-Dcamel.management.port=" + port,
                    "-Dworkflow.demo.enabled=false",
                    "-Dcamel.server.enabled=false",
                    "-Dworkflow.broker.data-dir=" + dir.resolve("data-" + name),
                    "-Dworkflow.cluster.service=file",
                    "-Dworkflow.cluster.file.root=" + lockDir,
                    "-Dworkflow.cluster.member-id=" + name,
                    "-Dtest.instance=" + name));
            properties.addAll(instanceProperties);
            ChildJvm jvm =
                    ChildJvm.start(dir.resolve("app-" + name + ".log"), properties, WorkflowHttpMain.class.getName());
            instances.put(name, new Instance(name, jvm, port));
        }
    }

    /**
     * Waits until every running instance is UP as a whole, the cluster check among its checks: a follower, whose
     * singleton routes Camel keeps stopped, is as healthy as the leader.
     */
    void awaitAllUp(Duration limit) {
        for (Instance instance : instances.values()) {
            await(instance.name() + " up")
                    .atMost(limit)
                    .pollInterval(Duration.ofMillis(250))
                    .ignoreExceptions()
                    .untilAsserted(
                            () -> assertThat(get(instance.managementPort(), "/observe/health?exposureLevel=full"))
                                    .as("logs:%n%s", logs())
                                    .startsWith("{\"status\":\"UP\"")
                                    .contains("{\"name\":\"cluster\",\"status\":\"UP\""));
        }
    }

    Instance instance(String name) {
        return instances.get(name);
    }

    /** The instance whose {@code workflow} ticks reach the endpoint now (waiting for the first). */
    String leaderOf(String workflow, Duration limit) {
        await(workflow + " ticks arriving")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(100))
                .untilAsserted(() ->
                        assertThat(arrivalsOf(workflow)).as("logs:%n%s", logs()).isNotEmpty());
        List<Arrival> ticks = arrivalsOf(workflow);
        return instanceOf(ticks.get(ticks.size() - 1));
    }

    List<Arrival> arrivalsOf(String workflow) {
        return counter.arrivals().stream()
                .filter(a -> a.id().startsWith(workflow + "-"))
                .toList();
    }

    static String instanceOf(Arrival arrival) {
        return arrival.instance().substring("worker-".length());
    }

    /**
     * SIGKILL to the instance; returns how long until another instance's {@code workflow} tick arrived, waiting at
     * most {@code limit}.
     */
    Duration killAndTimeFailover(String name, String workflow, Duration limit) throws Exception {
        instances.get(name).jvm().kill();
        long killed = System.nanoTime();
        await("another instance's " + workflow + " tick after the kill of " + name)
                .atMost(limit)
                .pollInterval(Duration.ofMillis(50))
                .untilAsserted(() -> assertThat(arrivalsOf(workflow).stream()
                                .anyMatch(a ->
                                        a.nanos() > killed && !instanceOf(a).equals(name)))
                        .as("logs:%n%s", logs())
                        .isTrue());
        long first = arrivalsOf(workflow).stream()
                .filter(a -> a.nanos() > killed && !instanceOf(a).equals(name))
                .mapToLong(Arrival::nanos)
                .min()
                .orElseThrow();
        instances.remove(name);
        return Duration.ofNanos(first - killed);
    }

    /**
     * Every tick of the workflow reached the endpoint once, and at no moment did two instances fire it: the ticks, in
     * the order they fired, form one run per leader, one leader after the other, and within a run they came one
     * period apart (none doubled, none skipped; ±1 at the ends).
     */
    void assertOneLeaderAtATime(String workflow, Duration period) {
        assertEachTickOnce(workflow);
        for (List<Arrival> run : runsPerLeader(workflow)) {
            double periods =
                    (firedMillis(run.get(run.size() - 1)) - firedMillis(run.get(0))) / (double) period.toMillis();
            assertThat(run.size())
                    .as("%s ticks of %s over %.1f periods", workflow, instanceOf(run.get(0)), periods)
                    .isBetween((int) Math.floor(periods) - 1, (int) Math.ceil(periods) + 2);
        }
    }

    /** Each tick id of the workflow reached the endpoint exactly once. */
    void assertEachTickOnce(String workflow) {
        assertThat(counter.counts().entrySet().stream()
                        .filter(e -> e.getKey().startsWith(workflow + "-"))
                        .filter(e -> e.getValue().get() != 1)
                        .map(Map.Entry::getKey)
                        .toList())
                .as("%s ticks counted more than once", workflow)
                .isEmpty();
    }

    /**
     * The workflow's ticks in the order they fired, cut into one run per leader, and asserted to be one leader after
     * the other: an instance whose ticks came back after another's had fired both at once.
     */
    List<List<Arrival>> runsPerLeader(String workflow) {
        List<Arrival> ticks = arrivalsOf(workflow).stream()
                .sorted(Comparator.comparingLong(ClusterRun::firedMillis))
                .toList();
        List<List<Arrival>> runs = new ArrayList<>();
        for (Arrival tick : ticks) {
            if (runs.isEmpty() || !instanceOf(runs.get(runs.size() - 1).get(0)).equals(instanceOf(tick))) {
                runs.add(new ArrayList<>());
            }
            runs.get(runs.size() - 1).add(tick);
        }
        assertThat(runs.stream().map(run -> instanceOf(run.get(0))).toList())
                .as("%s: the leaders, in the order their ticks fired (an instance twice: two fired at once)", workflow)
                .doesNotHaveDuplicates();
        return runs;
    }

    /** When the tick fired, as the instance's route wrote it into the id ({@code ...@<epoch millis>}). */
    static long firedMillis(Arrival arrival) {
        return Long.parseLong(arrival.id().substring(arrival.id().lastIndexOf('@') + 1));
    }

    /** Reads the leak gauges from each running instance's /observe/metrics until they are all 0. */
    void assertNoLeaksOnSurvivors() {
        for (Instance instance : instances.values()) {
            await("leak gauges of " + instance.name() + " back to 0")
                    .atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .untilAsserted(() -> {
                        String metrics = get(instance.managementPort(), "/observe/metrics");
                        for (String gauge : List.of(
                                "workflow_http_scopes_open",
                                "workflow_http_timers_pending",
                                "workflow_http_connections_leased",
                                "workflow_http_streams_open")) {
                            assertThat(gauge(metrics, gauge))
                                    .as("%s on %s", gauge, instance.name())
                                    .isZero();
                        }
                    });
        }
    }

    static double gauge(String metrics, String name) {
        Matcher matcher =
                Pattern.compile("(?m)^" + name + "(\\{[^}]*})? ([0-9.eE+-]+)$").matcher(metrics);
        assertThat(matcher.find()).as("%s in the metrics", name).isTrue();
        return Double.parseDouble(matcher.group(2));
    }

    static String get(int port, String path) throws Exception {
        HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                        .timeout(Duration.ofSeconds(10))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        return response.body();
    }

    String logs() {
        StringBuilder logs = new StringBuilder();
        instances
                .values()
                .forEach(i -> logs.append("--- ")
                        .append(i.name())
                        .append(":\n")
                        .append(tail(i.jvm().log()))
                        .append('\n'));
        return logs.toString();
    }

    private static String tail(String log) {
        String[] lines = log.lines().filter(l -> !l.contains(" DEBUG ")).toArray(String[]::new);
        return String.join("\n", java.util.Arrays.copyOfRange(lines, Math.max(0, lines.length - 40), lines.length));
    }

    @Override
    public void close() throws Exception {
        for (Instance instance : instances.values()) {
            instance.jvm().close();
        }
        for (int i = companions.size() - 1; i >= 0; i--) {
            companions.get(i).close();
        }
        counter.close();
        // the instances' logs, kept for reading after the run
        Path kept = Files.createDirectories(
                Path.of("target", "cluster-logs", dir.getFileName().toString()));
        try (var files = Files.list(dir)) {
            for (Path log : files.filter(p -> p.toString().endsWith(".log")).toList()) {
                Files.copy(log, kept.resolve(log.getFileName()), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        AppRunner.deleteTree(dir);
    }

    /** SIGTERM to every running instance; each one's exit code, or null if it still ran after {@code limit}. */
    Map<String, Integer> terminateAll(Duration limit) throws InterruptedException {
        instances.values().forEach(instance -> instance.jvm().signalTerm());
        Map<String, Integer> exitCodes = new LinkedHashMap<>();
        for (Instance instance : instances.values()) {
            exitCodes.put(instance.name(), instance.jvm().waitFor(limit));
        }
        return exitCodes;
    }

    /** The names of the instances still running (not killed by this run). */
    List<String> running() {
        return List.copyOf(instances.keySet());
    }

    static void awaitTicks(CountingEndpoint counter, String workflow, int more, Duration limit) {
        long before = counter.arrivals().stream()
                .filter(a -> a.id().startsWith(workflow + "-"))
                .count();
        await(more + " more " + workflow + " ticks")
                .atMost(limit)
                .pollInterval(Duration.ofMillis(100))
                .until(() -> counter.arrivals().stream()
                                .filter(a -> a.id().startsWith(workflow + "-"))
                                .count()
                        >= before + more);
    }
}
