package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * A redirect hop connects again: its connect is bound by {@code connectTimeout} from the hop's start and a deadline
 * passing there is reported in the {@code CONNECT} phase, not as waiting for headers.
 */
class RedirectHopConnectTest extends WorkflowHttpTestSupport {

    /** Shared, noisy 2-core machines: how much later than the limit the failure may come. */
    private static final long SLACK_MILLIS = 1500;

    @Test
    void aHopThatCannotConnectFailsInConnectPhaseOnItsConnectTimeout() throws Exception {
        HostileServer nowhere = closeAfterLeakCheck(HostileServer.neverAccepting());
        HostileServer redirecting = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write(
                    "HTTP/1.1 302 Found\r\nLocation: " + nowhere.url("/next") + "\r\nContent-Length: 0\r\n\r\n");
            connection.awaitClosedByClient(java.time.Duration.ofSeconds(10));
        }));
        long start = System.nanoTime();
        Exchange result = template.request(
                "workflow-http:" + redirecting.url("/start") + "?followRedirects=true&connectTimeout=400ms&timeout=10s",
                e -> {});
        long took = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("CONNECT")
                .hasMessageContaining("connectTimeout");
        assertThat(((WorkflowHttpTimeoutException) result.getException()).getPhase())
                .isEqualTo(Phase.CONNECT);
        assertThat(took).isBetween(400L, 400 + SLACK_MILLIS);
    }
}
