package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.HostileServer.Connection;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@code idleTimeout} bounds the silence between two received bytes, well inside a far-off {@code timeout}, and
 * starts again with every byte.
 */
class IdleTimeoutTest extends WorkflowHttpTestSupport {

    /**
     * Upper bound on how late a limit may be observed. Generous on purpose: the tests run on shared, noisy 2-core
     * machines where GC pauses, JIT warm-up and a busy scheduler can delay the timer thread and the continuation
     * thread by hundreds of milliseconds; the bound still proves the call did not wait for the 10 s timeout.
     */
    private static final long SLACK_MS = 1500;
    /** The lower bound's allowance for clock granularity. */
    private static final long EARLY_MS = 5;

    private HostileServer server;

    /** Runs before the base class checks for leaks and threads, so the handler threads are gone by then. */
    @AfterEach
    void closeServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @Test
    void silentBodyFailsWithIdleTimeoutLongBeforeTheDeadline() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 1000\r\n\r\nabc");
            recordClose(connection, closedAt);
        });
        long start = System.nanoTime();
        Exchange result =
                template.request("workflow-http:" + server.url("/silent") + "?idleTimeout=300ms&timeout=10s", e -> {});
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isInstanceOf(WorkflowHttpIdleTimeoutException.class);
        WorkflowHttpIdleTimeoutException idle = (WorkflowHttpIdleTimeoutException) result.getException();
        assertThat(idle.getIdleTimeout()).isEqualTo(Duration.ofMillis(300));
        assertThat(idle.getPhase()).isEqualTo(Phase.BODY);
        assertThat(idle.getMessage()).contains("idleTimeout");
        assertThat(millis).as("elapsed ms for an idle limit of 300 ms").isBetween(300 - EARLY_MS, 300 + SLACK_MS);
        long closedMillis = TimeUnit.NANOSECONDS.toMillis(closedAt.get(5, TimeUnit.SECONDS) - start);
        assertThat(closedMillis)
                .as("connection closed by the client, ms after the call started")
                .isBetween(300 - EARLY_MS, 300 + SLACK_MS);
        assertReleased();
    }

    @Test
    void silenceBeforeTheHeadersFailsWithIdleTimeoutInHeadersPhase() throws Exception {
        CompletableFuture<Long> closedAt = new CompletableFuture<>();
        server = HostileServer.start(connection -> {
            connection.readRequest();
            recordClose(connection, closedAt);
        });
        long start = System.nanoTime();
        Exchange result =
                template.request("workflow-http:" + server.url("/mute") + "?idleTimeout=300ms&timeout=10s", e -> {});
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isInstanceOf(WorkflowHttpIdleTimeoutException.class);
        assertThat(((WorkflowHttpException) result.getException()).getPhase()).isEqualTo(Phase.HEADERS);
        assertThat(millis).as("elapsed ms for an idle limit of 300 ms").isBetween(300 - EARLY_MS, 300 + SLACK_MS);
        long closedMillis = TimeUnit.NANOSECONDS.toMillis(closedAt.get(5, TimeUnit.SECONDS) - start);
        assertThat(closedMillis)
                .as("connection closed by the client, ms after the call started")
                .isBetween(300 - EARLY_MS, 300 + SLACK_MS);
        assertReleased();
    }

    @Test
    void idleClockStartsAgainWithEveryByte() throws Exception {
        String body = "0123456789abcde";
        server = HostileServer.start(connection -> {
            connection.readRequest();
            connection.write(
                    "HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: " + body.length() + "\r\n\r\n");
            for (char c : body.toCharArray()) {
                Thread.sleep(100); // the server's pace: one byte every 100 ms, 1.5 s in all
                connection.write(String.valueOf(c));
            }
        });
        long start = System.nanoTime();
        Exchange result =
                template.request("workflow-http:" + server.url("/slow") + "?idleTimeout=400ms&timeout=10s", e -> {});
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo(body);
        // the body took far longer than the idle limit: only a clock reset by each byte lets it through
        assertThat(millis).isGreaterThanOrEqualTo(1400);
    }

    private static void recordClose(Connection connection, CompletableFuture<Long> closedAt) {
        try {
            Duration closed = connection.awaitClosedByClient(Duration.ofSeconds(5));
            closedAt.complete(connection.acceptedNanos() + closed.toNanos());
        } catch (Throwable e) {
            closedAt.completeExceptionally(e);
        }
    }
}
