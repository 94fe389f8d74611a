package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.CapturedLogs;
import dev.workflowhttp.support.LoopbackDns;
import dev.workflowhttp.support.TestCertificates;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.List;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * TLS is verified by default: a self-signed server is refused, unless its certificate is in the trust store given
 * by {@code sslContextParameters}, or {@code insecureSkipVerify} trusts anything.
 */
class TlsTest extends WorkflowHttpTestSupport {

    private final TestCertificates certificates = new TestCertificates("secure.test");
    private final LoopbackDns dns =
            new LoopbackDns().answer("secure.test", "127.0.0.1").answer("misnamed.test", "127.0.0.1");
    private MockWebServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setDnsResolver(dns);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(certificates.startHttpsServer());
        server.enqueue(new MockResponse.Builder().body("secret data").build());
        context.getRegistry().bind("trustTestServer", certificates.trustingIt());
    }

    private String url(String host) {
        return "https://" + host + ":" + server.getPort() + "/data";
    }

    @Test
    void selfSignedCertificateIsRefusedByDefault() throws Exception {
        Exchange result = template.request("workflow-http:" + url("secure.test"), e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("TLS failed");
        assertThat(server.takeRequest(200, TimeUnit.MILLISECONDS))
                .as("request received")
                .isNull();
    }

    @Test
    void certificateInTheTrustStoreIsAccepted() {
        Exchange result = template.request(
                "workflow-http:" + url("secure.test") + "?sslContextParameters=#trustTestServer", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("secret data");
    }

    @Test
    void trustedCertificateForAnotherNameIsRefused() throws Exception {
        Exchange result = template.request(
                "workflow-http:" + url("misnamed.test") + "?sslContextParameters=#trustTestServer", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("TLS failed");
        assertThat(server.takeRequest(200, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void insecureSkipVerifyAcceptsAnyCertificate() {
        Exchange result =
                template.request("workflow-http:" + url("misnamed.test") + "?insecureSkipVerify=true", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("secret data");
    }

    @Test
    void insecureSkipVerifyWarnsOnceWhenTheEndpointStartsNamingItMasked() throws Exception {
        try (CapturedLogs logs = CapturedLogs.start()) {
            addRoutes(new org.apache.camel.builder.RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:insecure")
                            .to("workflow-http:" + url("misnamed.test")
                                    + "?insecureSkipVerify=true&authBearerToken=WARN-SECRET");
                }
            });
            template.request("direct:insecure", e -> {});
            server.enqueue(new MockResponse.Builder().body("again").build());
            template.request("direct:insecure", e -> {});

            List<String> warnings = logs.lines().stream()
                    .filter(line -> line.level() == org.apache.logging.log4j.Level.WARN)
                    .map(CapturedLogs.Line::text)
                    .toList();
            assertThat(warnings).hasSize(1);
            assertThat(warnings.get(0))
                    .contains("insecureSkipVerify=true")
                    .contains("misnamed.test")
                    .doesNotContain("WARN-SECRET");
        }
    }

    @Test
    void componentTrustStoreAppliesToEndpointsWithoutTheirOwn() throws Exception {
        context.stop();
        context = new org.apache.camel.impl.DefaultCamelContext();
        component = new WorkflowHttpComponent();
        component.setDnsResolver(dns);
        component.setSslContextParameters(certificates.trustingIt());
        context.addComponent("workflow-http", component);
        context.start();
        template = context.createProducerTemplate();

        Exchange result = template.request("workflow-http:" + url("secure.test"), e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("secret data");
    }

    @Test
    void eachTlsSettingHasItsOwnClientAndTheyAllCount() {
        template.request("workflow-http:" + url("secure.test") + "?sslContextParameters=#trustTestServer", e -> {});
        server.enqueue(new MockResponse.Builder().body("again").build());
        template.request("workflow-http:" + url("secure.test") + "?insecureSkipVerify=true", e -> {});

        assertThat(component.getClientCount())
                .as("default, trust store, insecure")
                .isEqualTo(3);
        assertThat(component.getAvailableConnections())
                .as("idle connections across the clients")
                .isEqualTo(2);
    }
}
