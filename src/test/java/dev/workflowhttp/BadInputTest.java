package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input is refused where it can first be seen, with a message naming what is wrong: a bad endpoint when its
 * route is added (not at the first exchange), a bad exchange by failing that exchange only, before anything is sent.
 * <p>
 * The server has its answer queued before a bad exchange is sent, so a bad exchange that went out anyway fails the
 * test (a request was counted) instead of hanging it, even with a bad value taken for "no deadline".
 */
class BadInputTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = new MockWebServer();
        server.start(InetAddress.getByName("127.0.0.1"), 0);
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    private String url(String pathAndQuery) {
        return "http://127.0.0.1:" + server.getPort() + pathAndQuery;
    }

    /** Adds a route to {@code endpointUri} and returns every message of the failure's cause chain. */
    private String routeStartFailure(String endpointUri) {
        Throwable thrown = catchThrowable(() -> addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bad").to(endpointUri);
            }
        }));
        assertThat(thrown).as("adding a route to " + endpointUri + " fails").isNotNull();
        StringBuilder messages = new StringBuilder();
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            messages.append(t).append('\n');
        }
        return messages.toString();
    }

    private void route(String endpointUri) throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(endpointUri);
            }
        });
    }

    /** The exchange failed by itself: a following good exchange on the same route gets the queued answer. */
    private void assertNextExchangeSucceeds() throws InterruptedException {
        Exchange good = template.request("direct:call", exchange -> {});
        assertThat(good.getException()).isNull();
        assertThat(good.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(server.takeRequest(5, TimeUnit.SECONDS)).isNotNull();
    }

    private Exchange send(Processor input) {
        return template.request("direct:call", input);
    }

    // ---- at route start

    @Test
    void nearMissOptionIsRefusedWithASuggestion() {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?timout=5s");

        assertThat(failure).contains("timout").contains("did you mean 'timeout'");
    }

    @Test
    void negativeTimeoutIsRefused() {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?timeout=-1s");

        assertThat(failure).contains("timeout").contains("'-1s'").contains("negative");
    }

    @ParameterizedTest
    @ValueSource(strings = {"soon", "banana", "5x", "1h30", "PT5S"})
    void timeoutThatIsNotADurationIsRefused(String value) {
        // Camel's TimeUtils reads "banana" and "5x" as 0 (no deadline at all) and "1h30" as 1h
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?timeout=" + value);

        assertThat(failure).contains("timeout").contains("'" + value + "'").contains("not a duration");
    }

    @Test
    void unknownBodyModeIsRefused() {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?bodyMode=lazy");

        assertThat(failure).contains("bodyMode").contains("'lazy'").contains("materialize or stream");
    }

    @Test
    void urlWithASpaceIsRefused() {
        String failure = routeStartFailure("workflow-http:http://exa mple.com/");

        assertThat(failure).contains("Invalid URL").contains("exa mple.com").contains("space");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://127.0.0.1/file", "mailto:someone@example.com"})
    void urlWithAnotherSchemeIsRefused(String target) {
        String failure = routeStartFailure("workflow-http:" + target);

        assertThat(failure).contains("Invalid URL").contains(target).contains("http or https");
    }

    @ParameterizedTest
    @ValueSource(strings = {"http:///path", "http://:8080/path", "127.0.0.1:8080/path"})
    void urlWithoutAHostIsRefused(String target) {
        String failure = routeStartFailure("workflow-http:" + target);

        assertThat(failure).contains("Invalid URL");
    }

    @ParameterizedTest
    @CsvSource({
        "connectionTimeout=2s, connectTimeout",
        "connectionRequestTimeout=2000, connectTimeout",
        "responseTimeout=5s, idleTimeout",
        "soTimeout=5000, 'timeout'",
        "httpMethod=POST, 'method'",
        "throwExceptionOnFailure=false, throwOnHttpError",
        "okStatusCodeRange=200-399, okStatusCodes",
        "httpClient.responseTimeout=5000, maxConnectionsPerRoute",
        "httpConnection.connectTimeout=5000, 'connectTimeout'",
        "connectionsPerRoute=5, camel.component.workflow-http.maxConnectionsPerRoute",
        "authMethod=Basic, authUsername",
        "proxyAuthHost=127.0.0.1, proxyHost",
        "copyHeaders=false, has no such option"
    })
    void camelHttpOptionNamesAreRefusedWithAPointerInsteadOfGoingToTheTarget(String parameter, String pointer) {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?" + parameter);

        String name = parameter.substring(0, parameter.indexOf('='));
        assertThat(failure)
                .contains("'" + name + "' is an option of Camel's http component")
                .contains(pointer)
                .contains("CamelWorkflowHttpParams");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void otherUnknownNamesStayTheTargetsQueryParameters() throws Exception {
        route("workflow-http:" + url("/x") + "?page=2&responseFormat=json&timeoutMode=strict");

        Exchange result = send(exchange -> {});

        assertThat(result.getException()).isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget())
                .isEqualTo("/x?page=2&responseFormat=json&timeoutMode=strict");
    }

    @Test
    void aTargetParameterWithACamelHttpNameGoesThroughTheParamsHeader() throws Exception {
        route("workflow-http:" + url("/x"));

        Exchange result = send(exchange ->
                exchange.getMessage().setHeader(WorkflowHttpConstants.PARAMS, Map.of("responseTimeout", "5")));

        assertThat(result.getException()).isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getTarget()).isEqualTo("/x?responseTimeout=5");
    }

    @Test
    void errorsAtRouteStartDoNotShowThePassword() {
        String failure =
                routeStartFailure("workflow-http:" + url("/x") + "?authUsername=me&authPassword=s3cret&timout=5s");

        assertThat(failure).contains("did you mean 'timeout'").doesNotContain("s3cret");
    }

    /** Camel's own route-start messages show the URI through its sanitizer, which masks names containing "token". */
    @Test
    void errorsAtRouteStartDoNotShowTheBearerToken() {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?authBearerToken=t0ken-v4lue&bodyMode=lazy");

        assertThat(failure).contains("'lazy'").doesNotContain("t0ken-v4lue");
    }

    @Test
    void oauth2OptionsThatDoNotFitTogetherAreRefusedAtStart() {
        assertThat(routeStartFailure("workflow-http:" + url("/x") + "?oauth2TokenEndpoint=" + url("/token")))
                .contains("oauth2TokenEndpoint needs oauth2ClientId and oauth2ClientSecret");
        assertThat(routeStartFailure("workflow-http:" + url("/x") + "?oauth2ClientId=robot&oauth2ClientSecret=s3cret"))
                .contains("need oauth2TokenEndpoint")
                .doesNotContain("s3cret");
        assertThat(routeStartFailure("workflow-http:" + url("/x") + "?oauth2TokenEndpoint=" + url("/token")
                        + "&oauth2ClientId=robot&oauth2ClientSecret=s3cret&authBearerToken=abc"))
                .contains("cannot be combined with authBearerToken");
        assertThat(routeStartFailure("workflow-http:" + url("/x") + "?oauth2TokenEndpoint=ftp://127.0.0.1/token"
                        + "&oauth2ClientId=robot&oauth2ClientSecret=s3cret"))
                .contains("oauth2TokenEndpoint")
                .contains("the scheme must be http or https");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theFormerNameAuthBearerIsRefusedWithTheNewName() {
        String failure = routeStartFailure("workflow-http:" + url("/x") + "?authBearer=abc");

        assertThat(failure).contains("'authBearer' is now 'authBearerToken'");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void badEndpointFailsAlreadyWhenResolved() {
        Throwable thrown = catchThrowable(() -> context.getEndpoint("workflow-http:" + url("/x") + "?timeout=soon"));

        assertThat(thrown)
                .isInstanceOf(org.apache.camel.ResolveEndpointFailedException.class)
                .hasMessageContaining("timeout")
                .hasMessageContaining("'soon'");
    }

    // ---- at the exchange

    @Test
    void headerValueWithCrLfFailsTheExchangeAndSendsNothing() throws Exception {
        route("workflow-http:" + url("/x") + "?timeout=5s");

        Exchange result = send(exchange ->
                exchange.getMessage().setHeader(WorkflowHttpConstants.HEADERS, Map.of("X-A", "a\r\nX-Injected: 1")));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("X-A")
                .hasMessageContaining("CR");
        assertThat(server.getRequestCount()).isZero();
        assertNextExchangeSucceeds();
    }

    @Test
    void invalidOverrideHeaderFailsTheExchangeNamingHeaderAndValue() throws Exception {
        route("workflow-http:" + url("/x") + "?timeout=5s");

        Exchange result = send(exchange -> exchange.getMessage().setHeader("CamelWorkflowHttpTimeout", "banana"));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpTimeout")
                .hasMessageContaining("'banana'");
        assertThat(server.getRequestCount()).isZero();
        assertNextExchangeSucceeds();
    }

    @Test
    void urlOverrideWithASpaceFailsTheExchangeNamingHeaderAndValue() throws Exception {
        route("workflow-http:" + url("/x") + "?timeout=5s");

        Exchange result = send(exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.URL, url("/a b")));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpUrl")
                .hasMessageContaining("/a b");
        assertThat(server.getRequestCount()).isZero();
        assertNextExchangeSucceeds();
    }
}
