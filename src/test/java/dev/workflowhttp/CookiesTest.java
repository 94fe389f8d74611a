package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code cookies=exchange}: a login step's cookie is sent by the later calls of the same exchange, where its domain
 * allows, and never by another exchange; by default no cookie is kept or sent. The server records what it received.
 */
class CookiesTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            if (request.getTarget().startsWith("/hop")) {
                return new MockResponse.Builder()
                        .code(302)
                        .addHeader("Location", "/orders")
                        .addHeader("Set-Cookie", "hop=h0p; Path=/")
                        .build();
            }
            if (request.getTarget().startsWith("/login")) {
                return new MockResponse.Builder()
                        .addHeader("Set-Cookie", "session=s3ss10n; Path=/")
                        .body("logged in")
                        .build();
            }
            String cookie = request.getHeaders().get("Cookie");
            return new MockResponse.Builder()
                    .body(cookie == null ? "no cookie" : cookie)
                    .build();
        });
    }

    private String url(String host, String path) {
        return "http://" + host + ":" + server.getPort() + path;
    }

    private void loginThenCall(String routeId, String options, String callUrl) throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId)
                        .to("workflow-http:" + url("127.0.0.1", "/login") + "?method=GET" + options)
                        .to("workflow-http:" + callUrl + "?method=GET" + options);
            }
        });
    }

    @Test
    void laterCallsOfTheSameExchangeSendTheLoginCookie() throws Exception {
        loginThenCall("run", "&cookies=exchange", url("127.0.0.1", "/orders"));

        String body = template.requestBody("direct:run", null, String.class);

        assertThat(body).isEqualTo("session=s3ss10n");
    }

    @Test
    void aCookieSetByARedirectGoesWithTheNextHop() throws Exception {
        String start =
                oneStepRoute("workflow-http:" + url("127.0.0.1", "/hop") + "?cookies=exchange&followRedirects=true");

        assertThat(template.requestBody(start, null, String.class)).isEqualTo("hop=h0p");
    }

    @Test
    void anotherExchangeDoesNotGetTheCookie() throws Exception {
        loginThenCall("run", "&cookies=exchange", url("127.0.0.1", "/orders"));
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:alone").to("workflow-http:" + url("127.0.0.1", "/orders") + "?cookies=exchange");
            }
        });
        template.requestBody("direct:run", null, String.class);

        assertThat(template.requestBody("direct:alone", null, String.class)).isEqualTo("no cookie");
    }

    @Test
    void aCookieIsNotSentToAnotherDomain() throws Exception {
        // the same server under another name: a cookie set by 127.0.0.1 is not for localhost
        loginThenCall("run", "&cookies=exchange", url("localhost", "/orders"));

        assertThat(template.requestBody("direct:run", null, String.class)).isEqualTo("no cookie");
    }

    @Test
    void byDefaultNoCookieIsKept() throws Exception {
        loginThenCall("run", "", url("127.0.0.1", "/orders"));

        Exchange result = template.request("direct:run", e -> {});

        assertThat(result.getMessage().getBody(String.class)).isEqualTo("no cookie");
        assertThat(result.getProperty("CamelWorkflowHttpCookieStore")).isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
    }

    @Test
    void anUnknownValueIsRefusedAtRouteStart() {
        Throwable failure = catchThrowable(() -> addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to("workflow-http:" + url("127.0.0.1", "/x") + "?cookies=session");
            }
        }));

        assertThat(failure).hasStackTraceContaining("cookies").hasStackTraceContaining("none or exchange");
    }
}
