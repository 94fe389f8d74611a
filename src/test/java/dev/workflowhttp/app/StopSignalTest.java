package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.ChildJvm;
import dev.workflowhttp.support.HostileServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * SIGTERM stops the app as a bounded run ends: the call in flight finishes and the exit code is 0 (not the JVM's
 * 143); when {@code camel.main.shutdownTimeout} passes with the call still in flight, the exit code is 3.
 */
class StopSignalTest {

    @TempDir
    Path dir;

    private ChildJvm startApp(HostileServer target, int shutdownTimeoutSeconds) throws Exception {
        Path routes = Files.createDirectories(dir.resolve("routes"));
        Files.writeString(
                routes.resolve("once.yaml"),
                String.join(
                        "\n",
                        "- route:",
                        "    id: once",
                        "    from:",
                        "      uri: timer:once?repeatCount=1",
                        "      steps:",
                        "        - to: \"workflow-http:" + target.url("/slow") + "?timeout=1m\"",
                        "        - log: \"call finished: ${body}\"",
                        ""));
        return ChildJvm.start(
                dir.resolve("app-" + System.nanoTime() + ".log"),
                List.of(
                        "-Dcamel.main.routesIncludePattern=file:" + routes + "/*.yaml",
                        "-Dcamel.main.shutdownTimeout=" + shutdownTimeoutSeconds,
                        "-Dcamel.management.enabled=false",
                        "-Dcamel.server.enabled=false",
                        "-Dworkflow.demo.enabled=false",
                        "-Dworkflow.broker.data-dir=" + dir.resolve("data")),
                WorkflowHttpMain.class.getName());
    }

    @Test
    void sigtermDrainsTheCallInFlightAndExitsWithZero() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch answer = new CountDownLatch(1);
        try (HostileServer target = HostileServer.start(connection -> {
                    connection.readRequest();
                    arrived.countDown();
                    if (answer.await(60, TimeUnit.SECONDS)) {
                        connection.write("HTTP/1.1 200 OK\r\nContent-Length: 7\r\n\r\ndrained");
                    }
                });
                ChildJvm app = startApp(target, 30)) {
            assertThat(arrived.await(60, TimeUnit.SECONDS))
                    .as("the call reached the target")
                    .isTrue();

            app.signalTerm();
            await("the stop under way")
                    .atMost(Duration.ofSeconds(30))
                    .until(() -> app.log().contains("SIGTERM received: stopping"));
            answer.countDown();

            assertThat(app.waitFor(Duration.ofSeconds(60))).as("exit code").isZero();
            assertThat(app.log()).contains("call finished: drained");
        }
    }

    @Test
    void aStopThatHadToAbandonTheCallInFlightExitsWithThree() throws Exception {
        CountDownLatch arrived = new CountDownLatch(1);
        CountDownLatch testEnded = new CountDownLatch(1);
        try (HostileServer target = HostileServer.start(connection -> {
                    connection.readRequest();
                    arrived.countDown();
                    testEnded.await(60, TimeUnit.SECONDS);
                });
                ChildJvm app = startApp(target, 1)) {
            assertThat(arrived.await(60, TimeUnit.SECONDS))
                    .as("the call reached the target")
                    .isTrue();

            Integer code = app.terminate(Duration.ofSeconds(60));

            assertThat(code).as("exit code").isEqualTo(3);
            assertThat(app.log())
                    .contains("stopped with exchanges still in flight")
                    .doesNotContain("call finished");
        } finally {
            testEnded.countDown();
        }
    }
}
