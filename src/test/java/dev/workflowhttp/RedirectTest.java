package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.HostileServer.Connection;
import dev.workflowhttp.support.LoopbackDns;
import dev.workflowhttp.support.TestCertificates;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/**
 * Redirects ({@code followRedirects}): one deadline over every hop, credentials kept from another origin, loops and
 * too many hops as errors, and the host checks on every hop.
 */
class RedirectTest extends WorkflowHttpTestSupport {

    private static final long SLACK_MS = 1500;

    private final LoopbackDns dns =
            new LoopbackDns().answer("first.test", "127.0.0.1").answer("second.test", "127.0.0.1");

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setDnsResolver(dns);
    }

    /** Answers {@code /n} with a redirect to {@code /n+1} up to {@code last}, which answers 200. */
    private static HostileServer.Handler redirectingUpTo(int last) {
        return connection -> {
            while (true) {
                int hop = Integer.parseInt(pathOf(connection.readRequest()).substring(1));
                if (hop >= last) {
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 4\r\n\r\ndone");
                } else {
                    connection.write("HTTP/1.1 302 Found\r\nLocation: /" + (hop + 1) + "\r\nContent-Length: 0\r\n\r\n");
                }
            }
        };
    }

    private static String pathOf(String requestHead) {
        return requestHead.substring(
                requestHead.indexOf(' ') + 1, requestHead.indexOf(' ', requestHead.indexOf(' ') + 1));
    }

    private static void redirect(Connection connection, String location) throws Exception {
        connection.readRequest();
        connection.write(
                "HTTP/1.1 302 Found\r\nLocation: " + location + "\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        connection.close();
    }

    private static void ok(Connection connection) throws Exception {
        connection.readRequest();
        connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: close\r\n\r\nok");
        connection.close();
    }

    @Test
    void followsRedirectsUpToTheBody() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(redirectingUpTo(3)));

        Exchange result = template.request("workflow-http:" + server.url("/1") + "?followRedirects=true", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("done");
    }

    @Test
    void deadlineSpansEveryHop() throws Exception {
        // each hop alone is well inside the timeout; together they pass it
        HostileServer server = closeAfterLeakCheck(HostileServer.start(connection -> {
            for (int hop = 1; ; hop++) {
                connection.readRequest();
                TimeUnit.MILLISECONDS.sleep(700); // the server is slow: this is the behaviour under test
                connection.write(
                        hop == 1
                                ? "HTTP/1.1 302 Found\r\nLocation: /2\r\nContent-Length: 0\r\n\r\n"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        }));
        long start = System.nanoTime();

        Exchange result =
                template.request("workflow-http:" + server.url("/1") + "?followRedirects=true&timeout=1s", e -> {});

        long elapsedMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(((WorkflowHttpTimeoutException) result.getException()).getPhase())
                .isEqualTo(Phase.HEADERS);
        assertThat(elapsedMs).isBetween(1000L - 5, 1000L + SLACK_MS);
    }

    @Test
    void credentialHeadersAreDroppedWhenAHopChangesOrigin() throws Exception {
        HostileServer other = closeAfterLeakCheck(HostileServer.start(RedirectTest::ok));
        HostileServer first =
                closeAfterLeakCheck(HostileServer.start(connection -> redirect(connection, other.url("/landing"))));

        Exchange result = template.request(
                "workflow-http:" + first.url("/start") + "?followRedirects=true&authBearerToken=SECRET-TOKEN",
                e -> e.getMessage()
                        .setHeader(
                                WorkflowHttpConstants.HEADERS,
                                Map.of(
                                        "Cookie",
                                        "session=SECRET-COOKIE",
                                        "Proxy-Authorization",
                                        "Basic U0VDUkVU",
                                        "X-Api-Key",
                                        "SECRET-KEY",
                                        "X-Trace",
                                        "kept")));

        assertThat(result.getException()).isNull();
        assertThat(first.nextRequestHead(Duration.ofSeconds(1))).contains("Authorization: Bearer SECRET-TOKEN");
        String second = other.nextRequestHead(Duration.ofSeconds(1));
        assertThat(second)
                .contains("X-Trace: kept")
                .doesNotContainIgnoringCase("Authorization")
                .doesNotContain("SECRET");
    }

    @Test
    void credentialHeadersStayOnTheSameOrigin() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(redirectingUpTo(2)));

        Exchange result = template.request(
                "workflow-http:" + server.url("/1") + "?followRedirects=true&authBearerToken=SAME-ORIGIN", e -> {});

        assertThat(result.getException()).isNull();
        server.nextRequestHead(Duration.ofSeconds(1));
        assertThat(server.nextRequestHead(Duration.ofSeconds(1))).contains("Authorization: Bearer SAME-ORIGIN");
    }

    @Test
    void redirectLoopIsAnErrorNamingTheLoop() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(connection -> {
            while (true) {
                String path = pathOf(connection.readRequest());
                connection.write("HTTP/1.1 302 Found\r\nLocation: " + (path.equals("/a") ? "/b" : "/a")
                        + "\r\nContent-Length: 0\r\n\r\n");
            }
        }));

        Exchange result = template.request(
                "workflow-http:" + server.url("/a") + "?followRedirects=true&maxRedirects=20", e -> {});

        assertThat(result.getException())
                .isExactlyInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("redirect loop")
                .hasMessageContaining(server.url("/a"));
    }

    @Test
    void moreThanMaxRedirectsIsAnErrorNamingTheLimit() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(redirectingUpTo(100)));

        Exchange result =
                template.request("workflow-http:" + server.url("/1") + "?followRedirects=true&maxRedirects=3", e -> {});

        assertThat(result.getException())
                .isExactlyInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("too many redirects")
                .hasMessageContaining("maxRedirects=3");
        for (int i = 0; i < 4; i++) {
            server.nextRequestHead(Duration.ofSeconds(1));
        }
    }

    @Test
    void hostChecksApplyToEveryHop() throws Exception {
        HostileServer denied = closeAfterLeakCheck(HostileServer.start(RedirectTest::ok));
        HostileServer first = closeAfterLeakCheck(HostileServer.start(
                connection -> redirect(connection, "http://second.test:" + denied.port() + "/landing")));

        Exchange result = template.request(
                "workflow-http:http://first.test:" + first.port()
                        + "/start?followRedirects=true&deniedHosts=second.test",
                e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpRestrictedNetworkException.class)
                .hasMessageContaining("second.test")
                .hasMessageContaining("deniedHosts");
        assertThat(first.nextRequestHead(Duration.ofSeconds(1))).startsWith("GET /start");
        assertThat(denied.connections()).as("connections to the denied hop").isEmpty();
    }

    @Test
    void invalidRedirectLocationIsReportedWithoutItsQueryValues() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(
                connection -> redirect(connection, "http://127.0.0.1:1/a|b?token=LOCATION-SECRET")));

        Exchange result = template.request("workflow-http:" + server.url("/start") + "?followRedirects=true", e -> {});

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("Invalid redirect URI")
                .hasMessageNotContaining("LOCATION-SECRET");
        java.io.StringWriter trace = new java.io.StringWriter();
        result.getException().printStackTrace(new java.io.PrintWriter(trace));
        assertThat(trace.toString()).as("stack trace with causes").doesNotContain("LOCATION-SECRET");
    }

    @Test
    void redirectFromHttpsToHttpIsRefused() throws Exception {
        HostileServer plain = closeAfterLeakCheck(HostileServer.start(RedirectTest::ok));
        MockWebServer secure = startHttpsRedirectingTo(plain.url("/landing"));

        Exchange result = template.request(
                "workflow-http:https://first.test:" + secure.getPort()
                        + "/start?followRedirects=true&sslContextParameters=#trustFirst",
                e -> {});

        assertThat(result.getException())
                .isExactlyInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("from https to http")
                .hasMessageContaining("allowInsecureRedirects");
        assertThat(plain.connections()).as("connections to the http hop").isEmpty();
    }

    @Test
    void redirectFromHttpsToHttpIsFollowedWhenAllowed() throws Exception {
        HostileServer plain = closeAfterLeakCheck(HostileServer.start(RedirectTest::ok));
        MockWebServer secure = startHttpsRedirectingTo(plain.url("/landing"));

        Exchange result = template.request(
                "workflow-http:https://first.test:" + secure.getPort()
                        + "/start?followRedirects=true&allowInsecureRedirects=true&sslContextParameters=#trustFirst",
                e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("ok");
    }

    private MockWebServer startHttpsRedirectingTo(String location) throws Exception {
        TestCertificates certificates = new TestCertificates("first.test");
        context.getRegistry().bind("trustFirst", certificates.trustingIt());
        MockWebServer secure = closeAfterLeakCheck(certificates.startHttpsServer());
        secure.enqueue(new MockResponse.Builder()
                .code(302)
                .addHeader("Location", location)
                .build());
        return secure;
    }
}
