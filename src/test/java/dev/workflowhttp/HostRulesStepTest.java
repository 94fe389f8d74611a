package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.LoopbackDns;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code allowedHosts} and {@code deniedHosts}, on the endpoint and on the component: a refused host gets a
 * {@link WorkflowHttpRestrictedNetworkException} naming the host and the rule, and no connection. Made-up names
 * resolve to the test server on 127.0.0.1.
 */
class HostRulesStepTest extends WorkflowHttpTestSupport {

    private final LoopbackDns dns = new LoopbackDns()
            .answer("api.example.test", "127.0.0.1")
            .answer("files.example.test", "127.0.0.1")
            .answer("other.test", "127.0.0.1");
    private HostileServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setDnsResolver(dns);
        component.setDeniedHosts("*.blocked.test");
    }

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }));
    }

    private String url(String host) {
        return "http://" + host + ":" + server.port() + "/x";
    }

    @Test
    void deniedNameIsRefusedAndNothingConnects() {
        Exchange result = template.request(
                "workflow-http:" + url("api.example.test") + "?deniedHosts=other.test," + "api.example.test", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("api.example.test")
                .hasMessageContaining("deniedHosts");
        assertThat(((WorkflowHttpRestrictedNetworkException) result.getException()).getRule())
                .isEqualTo("deniedHosts");
        assertThat(dns.lookups("api.example.test"))
                .as("lookups of a name refused by name")
                .isZero();
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void hostOutsideAllowedHostsIsRefused() {
        Exchange result =
                template.request("workflow-http:" + url("other.test") + "?allowedHosts=*.example.test", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("other.test")
                .hasMessageContaining("allowedHosts")
                .hasMessageContaining("*.example.test");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void hostMatchingAllowedWildcardIsCalled() {
        Exchange result = template.request(
                "workflow-http:" + url("files.example.test") + "?allowedHosts=*.example.test", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
    }

    @Test
    void deniedAddressRefusesANameThatResolvesToIt() {
        Exchange result =
                template.request("workflow-http:" + url("api.example.test") + "?deniedHosts=127.0.0.0/30", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("api.example.test resolves to 127.0.0.1")
                .hasMessageContaining("127.0.0.0/30");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void componentDeniedHostsApplyToEveryEndpointAndAnEndpointCannotWidenThem() {
        dns.answer("a.blocked.test", "127.0.0.1");
        Exchange result =
                template.request("workflow-http:" + url("a.blocked.test") + "?allowedHosts=a.blocked.test", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("a.blocked.test")
                .hasMessageContaining("component's deniedHosts");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void urlHeaderToADeniedHostIsRefused() {
        Exchange result = template.request(
                "workflow-http:" + url("api.example.test") + "?deniedHosts=other.test",
                e -> e.getMessage().setHeader(WorkflowHttpConstants.URL, url("other.test")));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("other.test");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void headerCannotOverrideTheHostLists() {
        Exchange result = template.request(
                "workflow-http:" + url("other.test") + "?deniedHosts=other.test",
                e -> e.getMessage().setHeaders(Map.of(WorkflowHttpConstants.overrideHeader("deniedHosts"), "")));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpDeniedHosts")
                .hasMessageContaining("cannot be set per exchange");
        assertThat(server.connections()).isEmpty();
    }

    @Test
    void invalidPatternRefusesTheRouteAtStart() {
        assertThatThrownBy(() -> addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:start")
                                .to("workflow-http:" + url("api.example.test") + "?allowedHosts=not a host");
                    }
                }))
                .isInstanceOf(FailedToCreateRouteException.class)
                .rootCause()
                .hasMessageContaining("allowedHosts")
                .hasMessageContaining("not a host");
    }
}
