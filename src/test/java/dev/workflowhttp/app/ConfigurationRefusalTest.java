package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.workflowhttp.support.CapturedLogs;
import dev.workflowhttp.support.ChildJvm;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A bad setting in the configuration file refuses the start (exit code 1) with one line per mistake, naming the key,
 * the value, the file and what is expected; a busy port or an unusable journal directory is named the same way.
 * Nothing falls back silently: {@code workflow.jms.transacted = maybe} once meant "not transacted", which lost the
 * queue messages in flight at a crash.
 */
class ConfigurationRefusalTest {

    private AppStarts app;

    @BeforeEach
    void createDir() throws Exception {
        app = new AppStarts();
        app.route(
                "ok.yaml",
                "- route:\n    id: ok\n    from:\n      uri: timer:x?repeatCount=1\n      steps:\n"
                        + "        - log: ran\n");
    }

    @AfterEach
    void deleteDir() throws Exception {
        app.close();
    }

    private AppStarts.Outcome refused(String line) throws Exception {
        Path config = app.config(line);
        AppStarts.Outcome outcome = app.run(config);
        assertThat(outcome.code()).as("exit code").isEqualTo(1);
        assertThat(outcome.refusals()).as("refusal lines").hasSize(1);
        assertThat(outcome.errorLine()).contains(config.toString());
        return outcome;
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            workflow.jms.transacted = maybe                    | not a boolean; expected true or false
            workflow.demo.enabled = yes                        | not a boolean; expected true or false
            workflow.demo.port = abc                           | not a number; expected a port number from 1 to 65535
            workflow.demo.port = 70000                         | out of range
            workflow.broker.url = tcp//127.0.0.1:61616         | no scheme://
            workflow.broker.url = http://127.0.0.1:61616       | scheme http:// is not one of tcp, vm, udp, jgroups
            workflow.broker.listen = tcp://127.0.0.1           | no port in tcp://127.0.0.1
            workflow.broker.reconnect-interval = often         | not a duration; expected a duration above zero
            workflow.demo.feed-period = 0                      | zero
            workflow.demo.slow-feed-cron = every minute        | not a cron expression
            workflow.demo.slow-feed-millis = -5                | negative
            workflow.demo.base-url = ftp://127.0.0.1           | not an http or https URL
            camel.main.shutdownTimeout = abc                   | not a number; expected a whole number
            camel.main.durationMaxMessages = lots              | not a number
            camel.component.workflow-http.maxConnections = lots | not a number; expected a whole number
            camel.management.healthCheckEnabled = perhaps      | not a boolean; expected true or false
            workflow.cluster.service = zookeeper               | not a cluster service; expected none, file or kube
            workflow.cluster.file.interval = 0                 | zero
            workflow.cluster.kubernetes.pod-labels = app       | 'app' is not key=value
            workflow.cluster.kubernetes.lease-prefix = Flow_1  | not a Kubernetes name
            """)
    void anInvalidValueIsRefusedNamingKeyValueFileAndExpectation(String line, String expected) throws Exception {
        String key = line.substring(0, line.indexOf('=')).trim();
        String value = line.substring(line.indexOf('=') + 1).trim();

        AppStarts.Outcome outcome = refused(line);

        assertThat(outcome.errorLine())
                .startsWith(AppStarts.REFUSAL + ": " + key + " = " + value + " (in ")
                .contains(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            workflow.broker.dataDir = x                        | did you mean workflow.broker.data-dir?
            workflow.jms.transactd = true                      | did you mean workflow.jms.transacted?
            workflow.orders.api-url = http://x                 | the README's Configuration table
            camel.main.shutdownTimout = 5                      | did you mean camel.main.shutdownTimeout?
            camel.component.workflow-http.maxConnection = 5    | did you mean camel.component.workflow-http.maxConnections?
            workflow.cluster.file.rot = /shared                | did you mean workflow.cluster.file.root?
            """)
    void anUnknownKeyIsRefusedWithTheKeyItProbablyMeant(String line, String expected) throws Exception {
        String key = line.substring(0, line.indexOf('=')).trim();

        AppStarts.Outcome outcome = refused(line);

        assertThat(outcome.errorLine())
                .startsWith(AppStarts.REFUSAL + ": unknown key " + key + " (in ")
                .contains(expected);
    }

    @Test
    void everyMistakeGetsItsOwnLineAndAValueMadeOfARefusedOneIsNotRepeated() throws Exception {
        Path config = app.config(
                "workflow.jms.transacted = maybe",
                "workflow.demo.port = abc",
                "workflow.demo.base-url = http://127.0.0.1:{{workflow.demo.port}}",
                "workflow.brokr.url = x");

        AppStarts.Outcome outcome = app.run(config);

        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.refusals()).hasSize(3);
        assertThat(String.join("\n", outcome.refusals()))
                .contains("workflow.jms.transacted = maybe")
                .contains("workflow.demo.port = abc")
                .contains("unknown key workflow.brokr.url")
                .doesNotContain("base-url");
    }

    @Test
    void aPasswordIsNeverShown() throws Exception {
        AppStarts.Outcome outcome = refused("camel.component.workflow-http.maxConnections = lots\n"
                + "workflow.broker.password = s3cret-value\nworkflow.jms.transacted = true");

        assertThat(outcome.errorLine()).doesNotContain("s3cret-value");
    }

    @Test
    void theDefaultsAndTheShippedConfigurationAreAccepted() throws Exception {
        Path config = app.config(
                "camel.main.durationMaxMessages = 1",
                "workflow.jms.transacted = TRUE",
                "camel.main.shutdown-timeout = 3",
                "workflow.broker.reconnect-interval = 2s");

        AppStarts.Outcome outcome = app.run(config);

        assertThat(outcome.refusals()).isEmpty();
        assertThat(outcome.code()).isZero();
    }

    @Test
    void theFileClusterServiceNeedsItsSharedDirectory() throws Exception {
        AppStarts.Outcome outcome = refused("workflow.cluster.service = file");

        assertThat(outcome.errorLine())
                .contains("workflow.cluster.file.root = (empty)")
                .contains("workflow.cluster.service = file (in ")
                .contains("needs the directory every instance shares");
    }

    @Test
    void aLeaderTimeoutShorterThanTwoIntervalsIsRefused() throws Exception {
        AppStarts.Outcome outcome = refused("workflow.cluster.service = file\nworkflow.cluster.file.root = "
                + app.dir.resolve("lock") + "\nworkflow.cluster.file.leader-timeout = 1s");

        assertThat(outcome.errorLine())
                .contains("workflow.cluster.file.leader-timeout = 1s")
                .contains("shorter than twice workflow.cluster.file.interval (1s)");
    }

    @Test
    void aLeaseNotLongerThanItsRenewDeadlineIsRefused() throws Exception {
        AppStarts.Outcome outcome =
                refused("workflow.cluster.service = kubernetes\n" + "workflow.cluster.kubernetes.lease-duration = 5s");

        assertThat(outcome.errorLine())
                .contains("workflow.cluster.kubernetes.lease-duration = 5s")
                .contains("not longer than workflow.cluster.kubernetes.renew-deadline (5s)");
    }

    @Test
    void aMasterRouteWithoutAClusterServiceNamesTheKeyToSet() throws Exception {
        app.route(
                "ticks.yaml",
                "- route:\n    id: ticks\n    from:\n      uri: master:invoices:timer:sync\n"
                        + "      steps:\n        - log: ran\n");

        AppStarts.Outcome outcome = refused("workflow.cluster.service = none");

        assertThat(outcome.errorLine())
                .startsWith(AppStarts.REFUSAL + ": workflow.cluster.service = none (in ")
                .contains("route 'ticks' reads from master:invoices:..., which needs a cluster service");
    }

    @Test
    void aPerInstanceRouteThatIsNoClockRouteIsNamed() throws Exception {
        AppStarts.Outcome outcome = refused("workflow.cluster.service = file\nworkflow.cluster.file.root = "
                + app.dir.resolve("lock") + "\nworkflow.cluster.per-instance-routes = ok, nope");

        assertThat(outcome.errorLine())
                .contains("workflow.cluster.per-instance-routes = ok, nope")
                .contains("no route has the id 'nope' (routes: ok)");
    }

    @Test
    void aBusyDemoPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppStarts.Outcome outcome =
                    refused("workflow.demo.enabled = true\nworkflow.demo.port = " + taken.getLocalPort());

            assertThat(outcome.errorLine())
                    .contains("workflow.demo.port = " + taken.getLocalPort())
                    .contains(":" + taken.getLocalPort() + " is already in use");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "camel.management | health and metrics would be missing",
                "camel.server     | webhook routes (platform-http:) would not be served"
            })
    void aBusyPortOfCamelsHttpServersRefusesTheStartInsteadOfRunningWithoutThem(String server, String consequence)
            throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            AppStarts.Outcome outcome = refused(server + ".enabled = true\n" + server + ".host = 127.0.0.1\n" + server
                    + ".port = " + taken.getLocalPort());

            assertThat(outcome.errorLine())
                    .contains(server + ".port = " + taken.getLocalPort())
                    .contains("127.0.0.1:" + taken.getLocalPort() + " is already in use")
                    .contains(consequence);
        }
    }

    @Test
    void aBusyBrokerListenPortIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            String url = "tcp://127.0.0.1:" + taken.getLocalPort();
            AppStarts.Outcome outcome = refused("workflow.broker.listen = " + url);

            assertThat(outcome.errorLine())
                    .contains("workflow.broker.listen = " + url)
                    .contains("is already in use");
        }
    }

    @Test
    void aSystemPropertyIsNamedAsTheSourceInARealProcess() throws Exception {
        Path config = app.config();
        try (ChildJvm child = ChildJvm.start(
                app.dir.resolve("child.log"),
                List.of("-D" + WorkflowHttpMain.CONFIG_PROPERTY + "=" + config, "-Dworkflow.jms.transacted=maybe"),
                WorkflowHttpMain.class.getName())) {
            assertThat(child.waitFor(Duration.ofSeconds(60))).as("exit code").isEqualTo(1);
            assertThat(child.log())
                    .contains(AppStarts.REFUSAL + ": workflow.jms.transacted = maybe (system property "
                            + "-Dworkflow.jms.transacted): not a boolean; expected true or false");
        }
    }

    @Test
    void theEmbeddedBrokerSaysItsQueuesAreThisInstancesOwnNamingTheKeyThatSharesThem() throws Exception {
        AppStarts.Outcome outcome;
        List<CapturedLogs.Line> warnings;
        try (CapturedLogs logs = CapturedLogs.start()) {
            outcome = app.run(app.config());
            warnings = logs.containing("Queues are on the embedded broker of this instance");
        }
        assertThat(outcome.code()).as("exit code").isZero();
        assertThat(warnings).singleElement().satisfies(line -> {
            assertThat(line.level()).isEqualTo(org.apache.logging.log4j.Level.WARN);
            assertThat(line.text())
                    .contains("another instance of the app has a broker of its own and does not share " + "them")
                    .contains("set workflow.broker.url on each to one shared broker or broker pair");
        });
    }

    @Test
    void theStandaloneBrokerNamesItsBusyPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                ChildJvm broker = ChildJvm.start(
                        app.dir.resolve("broker.log"),
                        List.of(),
                        StandaloneBroker.class.getName(),
                        "tcp://127.0.0.1:" + taken.getLocalPort(),
                        app.dir.resolve("broker").toString())) {
            assertThat(broker.waitFor(Duration.ofSeconds(60))).as("exit code").isEqualTo(1);
            assertThat(broker.log())
                    .contains("broker: cannot start: 127.0.0.1:" + taken.getLocalPort() + " is already in use");
        }
    }

    @Test
    void aJournalDirectoryUnderARegularFileIsNamed() throws Exception {
        Path file = Files.writeString(app.dir.resolve("plain-file"), "not a directory");

        AppStarts.Outcome outcome = refused("workflow.broker.data-dir = " + file.resolve("data"));

        assertThat(outcome.errorLine())
                .contains("workflow.broker.data-dir = " + file.resolve("data"))
                .contains(file + " is a file, not a directory");
    }

    @Test
    void aJournalDirectoryThatCannotBeCreatedIsNamedWithTheReason() throws Exception {
        // sysfs refuses new directories even to root (and these tests may run as root, whom permissions do not stop)
        Path sys = Path.of("/sys");
        assumeTrue(Files.isDirectory(sys), "needs Linux sysfs");
        Path journal = sys.resolve("workflow-journal-" + ProcessHandle.current().pid());

        AppStarts.Outcome outcome = refused("workflow.broker.data-dir = " + journal);

        assertThat(outcome.errorLine())
                .contains("workflow.broker.data-dir = " + journal)
                .contains("cannot create " + journal + " (");
    }
}
