package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.CapturedLogs;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.LoopbackDns;
import dev.workflowhttp.support.TestCertificates;
import dev.workflowhttp.support.TestProxy;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Calls through an HTTP proxy: {@code http://} targets forwarded, {@code https://} targets tunnelled with
 * {@code CONNECT}, proxy credentials sent when asked for, {@code nonProxyHosts} reached directly, and the target (not
 * only the proxy) still checked against the host rules and restricted networks.
 */
class ProxyTest extends WorkflowHttpTestSupport {

    private final LoopbackDns dns = new LoopbackDns()
            .answer("api.test", "127.0.0.1")
            .answer("secure.test", "127.0.0.1")
            .answer("direct.internal.test", "127.0.0.1");
    private HostileServer origin;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setDnsResolver(dns);
    }

    @BeforeEach
    void startOrigin() throws Exception {
        origin = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 6\r\nConnection: close\r\n\r\norigin");
            connection.close();
        }));
    }

    private static String via(TestProxy proxy) {
        return "proxyHost=127.0.0.1&proxyPort=" + proxy.port();
    }

    @Test
    void httpTargetIsForwardedByTheProxy() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.open());

        Exchange result =
                template.request("workflow-http:http://api.test:" + origin.port() + "/x?" + via(proxy), e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("origin");
        assertThat(proxy.next(Duration.ofSeconds(1)).requestLine())
                .isEqualTo("GET http://api.test:" + origin.port() + "/x HTTP/1.1");
    }

    @Test
    void httpsTargetIsTunnelledWithConnect() throws Exception {
        TestCertificates certificates = new TestCertificates("secure.test");
        context.getRegistry().bind("trustSecure", certificates.trustingIt());
        MockWebServer secure = closeAfterLeakCheck(certificates.startHttpsServer());
        secure.enqueue(new MockResponse.Builder().body("tunnelled").build());
        TestProxy proxy = closeAfterLeakCheck(TestProxy.open());

        Exchange result = template.request(
                "workflow-http:https://secure.test:" + secure.getPort() + "/data?" + via(proxy)
                        + "&sslContextParameters=#trustSecure",
                e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("tunnelled");
        assertThat(proxy.next(Duration.ofSeconds(1)).requestLine())
                .isEqualTo("CONNECT secure.test:" + secure.getPort() + " HTTP/1.1");
    }

    @Test
    void proxyCredentialsAreSentWhenTheProxyAsks() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.requiringCredentials("robot", "proxy-secret"));

        Exchange result = template.request(
                "workflow-http:http://api.test:" + origin.port() + "/x?" + via(proxy)
                        + "&proxyUsername=robot&proxyPassword=proxy-secret",
                e -> {});

        assertThat(result.getException()).isNull();
        assertThat(proxy.next(Duration.ofSeconds(1)).proxyAuthorization())
                .as("first attempt")
                .isNull();
        assertThat(proxy.next(Duration.ofSeconds(1)).proxyAuthorization())
                .isEqualTo("Basic "
                        + Base64.getEncoder().encodeToString("robot:proxy-secret".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void proxyCredentialsAreNotLoggedByTheHttpClient() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.requiringCredentials("robot", "proxy-secret"));
        String encoded = Base64.getEncoder().encodeToString("robot:proxy-secret".getBytes(StandardCharsets.UTF_8));

        try (CapturedLogs logs = CapturedLogs.start()) {
            Exchange result = template.request(
                    "workflow-http:http://api.test:" + origin.port() + "/x?" + via(proxy)
                            + "&proxyUsername=robot&proxyPassword=proxy-secret",
                    e -> {});

            assertThat(result.getException()).isNull();
            assertThat(logs.lines())
                    .as("lines with the proxy's credentials")
                    .noneMatch(line -> line.text().contains(encoded));
            assertThat(logs.lines())
                    .as("the client's header log")
                    .anyMatch(line -> line.text().contains("Proxy-Authorization: xxxxxx"));
        }
    }

    @Test
    void nonProxyHostsAreReachedDirectly() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.open());

        Exchange result = template.request(
                "workflow-http:http://direct.internal.test:" + origin.port() + "/x?" + via(proxy)
                        + "&nonProxyHosts=*.internal.test",
                e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("origin");
        assertThat(proxy.received()).as("requests through the proxy").isEmpty();
        assertThat(origin.nextRequestHead(Duration.ofSeconds(1))).startsWith("GET /x HTTP/1.1");
    }

    @Test
    void deniedTargetIsRefusedThoughTheProxyIsAllowed() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.open());

        Exchange result = template.request(
                "workflow-http:http://api.test:" + origin.port() + "/x?" + via(proxy) + "&deniedHosts=api.test",
                e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("api.test");
        assertThat(proxy.received()).as("requests through the proxy").isEmpty();
    }

    @Test
    void targetResolvingIntoARestrictedNetworkIsRefusedThroughTheProxy() throws Exception {
        TestProxy proxy = closeAfterLeakCheck(TestProxy.open());

        Exchange result = template.request(
                "workflow-http:http://api.test:" + origin.port() + "/x?" + via(proxy) + "&restrictedNetworks=private",
                e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("api.test resolves to 127.0.0.1")
                .hasMessageContaining("private");
        assertThat(proxy.received()).isEmpty();
    }

    @Test
    void proxyOptionsWithoutProxyHostRefuseTheRouteAtStart() {
        assertThatThrownBy(() -> addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:start").to("workflow-http:http://api.test/x?proxyPort=3128");
                    }
                }))
                .isInstanceOf(FailedToCreateRouteException.class)
                .rootCause()
                .hasMessageContaining("need proxyHost");
    }
}
