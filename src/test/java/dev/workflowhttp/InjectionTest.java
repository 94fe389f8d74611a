package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.FailedToCreateRouteException;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Header and URL injection: CR, LF or NUL in a header name or value, and a URL from the message with a space or a
 * control character, fail the exchange with a clear error before anything is sent; the server receives no connection
 * at all.
 */
class InjectionTest extends WorkflowHttpTestSupport {

    private HostileServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        }));
    }

    private Exchange call(Map<String, Object> headers) {
        return template.request(
                "workflow-http:" + server.url("/x"), e -> e.getMessage().setHeaders(headers));
    }

    private void assertRefusedAndNothingSent(Exchange result, String... messageParts) {
        assertThat(result.getException()).isInstanceOf(WorkflowHttpException.class);
        for (String part : messageParts) {
            assertThat(result.getException()).hasMessageContaining(part);
        }
        assertThat(server.connections()).as("connections the server received").isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\0", "\r\n"})
    void controlCharacterInAHeaderValueIsRefused(String bad) {
        Exchange result = call(Map.of(WorkflowHttpConstants.HEADERS, Map.of("X-Note", "a" + bad + "Injected: yes")));

        assertRefusedAndNothingSent(result, "X-Note", "header injection is refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\r", "\n", "\0", " ", ":"})
    void controlCharacterOrSeparatorInAHeaderNameIsRefused(String bad) {
        Exchange result = call(Map.of(WorkflowHttpConstants.HEADERS, Map.of("X-Bad" + bad + "Name", "value")));

        assertRefusedAndNothingSent(result, "Invalid request header name");
    }

    @ParameterizedTest
    @ValueSource(strings = {"authBearerToken", "userAgent", "contentType"})
    void lineBreakInAnOptionSentAsAHeaderIsRefused(String option) {
        Exchange result = call(Map.of(
                WorkflowHttpConstants.overrideHeader(option),
                "value\r\nInjected: yes",
                WorkflowHttpConstants.HEADERS,
                Map.of()));

        assertRefusedAndNothingSent(result, "header injection is refused");
    }

    @ParameterizedTest
    @ValueSource(strings = {" ", "\r\n", "\t", "\0", "\u007f"})
    void spaceOrControlCharacterInTheUrlHeaderIsRefused(String bad) {
        Exchange result = call(Map.of(WorkflowHttpConstants.URL, server.url("/a" + bad + "b")));

        assertRefusedAndNothingSent(result, "Invalid URL", "space or control character");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        Exchange result =
                call(Map.of(WorkflowHttpConstants.URL, "http://robot:URL-SECRET@127.0.0.1:" + server.port() + "/x"));

        assertRefusedAndNothingSent(result, "user-info", "authUsername");
        assertThat(result.getException()).hasMessageNotContaining("URL-SECRET").hasMessageNotContaining("robot");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\t", "\0", "\u007f"})
    void controlCharacterInTheEndpointUrlRefusesTheRouteAtStart(String bad) {
        assertThatThrownBy(() -> addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:start").to("workflow-http:" + server.url("/a" + bad + "b"));
                    }
                }))
                .isInstanceOf(FailedToCreateRouteException.class);
        assertThat(server.connections()).isEmpty();
    }

    /**
     * Camel reads an endpoint URI written over several lines (a text block) as one line: a line break becomes a space,
     * which is then encoded, never a second header line.
     */
    @Test
    void lineBreaksInTheEndpointUrlAreRemovedNeverSent() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:broken").to("workflow-http:" + server.url("/a\r\nInjected: yes"));
            }
        });

        Exchange result = template.request("direct:broken", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(server.nextRequestHead(Duration.ofSeconds(5)))
                .startsWith("GET /a%20Injected:%20yes HTTP/1.1\r\n")
                .doesNotContain("\r\nInjected");
    }

    /**
     * Camel percent-encodes a space in any endpoint URI before a component sees it, so the step cannot tell
     * {@code /a b} from {@code /a%20b}: both are one well-formed request line (a space in the host is refused,
     * see BadInputTest). Only a URL from the message ({@code CamelWorkflowHttpUrl}) is refused for a space.
     */
    @Test
    void aSpaceInTheEndpointsPathOrQueryIsSentPercentEncoded() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:spaced").to("workflow-http:" + server.url("/a b") + "?q=c d");
            }
        });

        Exchange result = template.request("direct:spaced", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(server.nextRequestHead(Duration.ofSeconds(5))).startsWith("GET /a%20b?q=c+d HTTP/1.1\r\n");
    }

    @Test
    void lineBreaksInQueryParametersAreEncodedNotInjected() throws Exception {
        Exchange result = call(Map.of(WorkflowHttpConstants.PARAMS, Map.of("q", "a\r\nInjected: yes")));

        assertThat(result.getException()).isNull();
        String head = server.nextRequestHead(Duration.ofSeconds(1));
        assertThat(head).startsWith("GET /x?q=a%0D%0AInjected%3A%20yes ").doesNotContain("\r\nInjected");
    }
}
