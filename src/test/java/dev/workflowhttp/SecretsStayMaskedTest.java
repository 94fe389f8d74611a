package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.CapturedLogs;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.component.micrometer.eventnotifier.MicrometerExchangeEventNotifier;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.Test;

/**
 * Credentials and query values never show: a run of succeeding and failing calls carrying known secrets in
 * {@code authBearerToken}, {@code authPassword}, query values and credential headers, with every logger at TRACE, leaves
 * them out of the component's log lines, of every line at INFO or above, of exception messages and stack traces, of
 * the scopes' {@code toString()} and of the Prometheus scrape (with Camel's exchange event meters, whose
 * {@code endpointName} tag is the endpoint's {@code toString()}).
 * <p>
 * Below INFO, some libraries print what they were given verbatim: Camel while it resolves an endpoint URI
 * (at TRACE, and one DEBUG line), and the HTTP client the request line it sends (at DEBUG). The README tells to keep
 * those loggers at INFO; this test pins down that nothing else prints a secret, and that the HTTP client shows no
 * header value and no wire bytes.
 */
class SecretsStayMaskedTest extends WorkflowHttpTestSupport {

    private static final String BEARER = "bearer-S3CRET-1111";
    private static final String PASSWORD = "password-S3CRET-2222";
    private static final String QUERY = "query-S3CRET-3333";
    private static final String HEADER = "header-S3CRET-4444";
    private static final List<String> SECRETS = List.of(BEARER, PASSWORD, QUERY, HEADER);

    /** Loggers that print endpoint URIs or request lines as given, below INFO only. */
    private static final List<String> VERBATIM_BELOW_INFO = List.of(
            "org.apache.camel.impl.engine.AbstractCamelContext",
            "org.apache.camel.support.EndpointHelper",
            "org.apache.camel.support.DefaultComponent",
            "org.apache.camel.impl.engine.DefaultChannel",
            "org.apache.camel.reifier.",
            "org.apache.hc.client5.http.impl.async.HttpAsyncMainClientExec",
            "org.apache.hc.client5.http.headers");

    private final PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);

    @Override
    protected void configure(WorkflowHttpComponent component) {
        context.getRegistry().bind("metricsRegistry", prometheus);
        MicrometerExchangeEventNotifier exchangeMeters = new MicrometerExchangeEventNotifier();
        exchangeMeters.setBaseEndpointURI(false);
        context.getManagementStrategy().addEventNotifier(exchangeMeters);
    }

    @Test
    void noSecretInLogsExceptionsScopesOrMetrics() throws Exception {
        HostileServer server = closeAfterLeakCheck(HostileServer.start(connection -> {
            while (true) {
                String head = connection.readRequest();
                if (head.startsWith("GET /slow")) {
                    connection.awaitClosedByClient(java.time.Duration.ofSeconds(10));
                    return;
                }
                connection.write(
                        head.startsWith("GET /fail")
                                ? "HTTP/1.1 401 Unauthorized\r\nContent-Length: 4\r\n\r\nnope"
                                : "HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            }
        }));
        List<Exchange> exchanges = new ArrayList<>();
        try (CapturedLogs logs = CapturedLogs.start()) {
            addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:bearer")
                            .to("workflow-http:" + server.url("/ok") + "?authBearerToken=" + BEARER + "&q=" + QUERY);
                    from("direct:basic")
                            .to("workflow-http:" + server.url("/fail") + "?authUsername=robot" + "&authPassword="
                                    + PASSWORD + "&sig=" + QUERY);
                    from("direct:headers").to("workflow-http:" + server.url("/ok"));
                    from("direct:slow")
                            .to("workflow-http:" + server.url("/slow") + "?timeout=300ms&key=" + QUERY
                                    + "&authBearerToken=" + BEARER);
                    from("direct:insecure")
                            .to("workflow-http:https://127.0.0.1:" + server.port()
                                    + "/never?insecureSkipVerify=true&authBearerToken=" + BEARER + "&q=" + QUERY);
                    // the token endpoint answers "ok", which is no token: the calls fail after sending the secret
                    from("direct:oauth2")
                            .to("workflow-http:" + server.url("/ok") + "?oauth2TokenEndpoint=" + server.url("/token")
                                    + "&oauth2ClientId=robot&oauth2ClientSecret=" + PASSWORD);
                    from("direct:oauth2-form")
                            .to("workflow-http:" + server.url("/ok") + "?oauth2TokenEndpoint="
                                    + server.url("/token") + "&oauth2ClientId=robot&oauth2BodyAuthentication=true"
                                    + "&oauth2ClientSecret=" + PASSWORD);
                }
            });
            exchanges.add(template.request("direct:bearer", e -> {}));
            exchanges.add(template.request("direct:basic", e -> {}));
            exchanges.add(template.request(
                    "direct:headers",
                    e -> e.getMessage()
                            .setHeader(
                                    WorkflowHttpConstants.HEADERS,
                                    Map.of(
                                            "Authorization",
                                            "Bearer " + HEADER,
                                            "X-Api-Key",
                                            HEADER,
                                            "Cookie",
                                            "session=" + HEADER))));
            exchanges.add(template.request("direct:slow", e -> {}));
            exchanges.add(template.request(
                    "direct:headers",
                    e -> e.getMessage()
                            .setHeaders(Map.of(
                                    WorkflowHttpConstants.URL,
                                    server.url("/fail?token=" + QUERY),
                                    WorkflowHttpConstants.overrideHeader("authBearerToken"),
                                    HEADER))));
            exchanges.add(template.request("direct:oauth2", e -> {}));
            exchanges.add(template.request("direct:oauth2-form", e -> {}));
            assertReleased();

            assertThat(exchanges.get(0).getException()).isNull();
            assertThat(exchanges.get(1).getException()).isInstanceOf(WorkflowHttpStatusException.class);
            assertThat(exchanges.get(2).getException()).isNull();
            assertThat(exchanges.get(3).getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
            assertThat(exchanges.get(4).getException()).isInstanceOf(WorkflowHttpStatusException.class);
            assertThat(exchanges.get(5).getException()).hasMessageContaining("no access_token");
            assertThat(exchanges.get(6).getException()).hasMessageContaining("no access_token");
            for (Exchange exchange : exchanges) {
                assertNoSecret("exception and its stack trace", stackTrace(exchange.getException()));
                assertNoSecret("scope", String.valueOf(exchange.getProperty(WorkflowHttpConstants.TIMEOUT_SCOPE)));
            }
            assertNoSecret("endpoints as shown", context.getEndpoints().toString());
            assertNoSecret("Prometheus scrape", prometheus.scrape());
            assertThat(prometheus.scrape())
                    .contains("workflow_http_requests_seconds")
                    .contains("endpointName");

            List<CapturedLogs.Line> lines = logs.lines();
            assertThat(lines).as("captured lines").hasSizeGreaterThan(100);
            assertThat(lines)
                    .as("a warning naming the insecure endpoint")
                    .anyMatch(line -> line.level() == Level.WARN
                            && line.text().contains("insecureSkipVerify=true")
                            && line.text().contains("/never"));
            for (CapturedLogs.Line line : lines) {
                if (SECRETS.stream().noneMatch(line.text()::contains)) {
                    continue;
                }
                assertThat(line.level().isLessSpecificThan(Level.DEBUG))
                        .as("level of %s", line)
                        .isTrue();
                assertThat(VERBATIM_BELOW_INFO).as("logger of %s", line).anyMatch(line.logger()::startsWith);
                assertThat(line.text()).as("a header value in %s", line).doesNotContain(HEADER);
                if (line.logger().startsWith("org.apache.hc")) {
                    assertThat(line.text())
                            .as(line.toString())
                            .doesNotContain(BEARER)
                            .doesNotContain(PASSWORD);
                }
            }
            assertThat(lines)
                    .as("HTTP client wire log")
                    .noneMatch(line -> line.logger().equals("org.apache.hc.client5.http.wire"));
        }
    }

    private static void assertNoSecret(String where, String text) {
        for (String secret : SECRETS) {
            assertThat(text).as(where).doesNotContain(secret);
        }
    }

    private static String stackTrace(Throwable error) {
        if (error == null) {
            return "";
        }
        StringWriter trace = new StringWriter();
        error.printStackTrace(new PrintWriter(trace));
        return trace.toString();
    }
}
