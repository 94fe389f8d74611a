package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The {@code restrictedNetworks} check runs on the resolved address before any connection: a refused target
 * receives no connection at all. Only loopback is used: under {@code private} it is refused, under the default
 * {@code link-local} it is allowed.
 */
class RestrictedNetworkTest extends WorkflowHttpTestSupport {

    private HostileServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }));
    }

    @Test
    void loopbackIsRefusedUnderPrivateAndNothingConnects() {
        Exchange result =
                template.request("workflow-http:" + server.url("/x") + "?restrictedNetworks=private", e -> {});
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("127.0.0.1")
                .hasMessageContaining("private");
        WorkflowHttpRestrictedNetworkException refused = (WorkflowHttpRestrictedNetworkException) result.getException();
        assertThat(refused.getRule()).isEqualTo("private");
        assertThat(server.connections())
                .as("connections the refused target received")
                .isEmpty();
    }

    @Test
    void loopbackNameIsRefusedUnderPrivateAfterResolution() {
        Exchange result = template.request(
                "workflow-http:http://localhost:" + server.port() + "/x?restrictedNetworks=private", e -> {});
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("localhost");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void loopbackIsAllowedUnderTheDefaultPolicy() throws Exception {
        Exchange result = template.request("workflow-http:" + server.url("/x"), e -> {});
        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(server.nextConnection(Duration.ofSeconds(1))).isNotNull();
    }

    @Test
    void headerCannotLoosenThePolicy() {
        Exchange result = template.request(
                "workflow-http:" + server.url("/x") + "?restrictedNetworks=private",
                e -> e.getMessage().setHeader(WorkflowHttpConstants.overrideHeader("restrictedNetworks"), "none"));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpRestrictedNetworks")
                .hasMessageContaining("cannot be set per exchange");
        assertThat(server.connections()).isEmpty();
    }
}
