package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the step leaves on the message in materialize mode: status, reason, Content-Type, Content-Length when known,
 * the other response headers (through Camel's HTTP header filter) and a byte[] body.
 */
class ResponseMappingTest extends WorkflowHttpTestSupport {

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

    private Message respond(MockResponse response) throws Exception {
        server.enqueue(response);
        String uri = "workflow-http:http://127.0.0.1:" + server.getPort() + "/r";
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(uri);
            }
        });
        Exchange result = template.request("direct:call", exchange -> {});
        assertThat(result.getException()).as("exchange exception").isNull();
        return result.getMessage();
    }

    @Test
    void statusCodeIsAnIntegerAndReasonIsText() throws Exception {
        Message message = respond(new MockResponse.Builder()
                .status("HTTP/1.1 201 Created")
                .body("made")
                .build());

        assertThat(message.getHeader(WorkflowHttpConstants.RESPONSE_CODE))
                .isInstanceOf(Integer.class)
                .isEqualTo(201);
        assertThat(message.getHeader(WorkflowHttpConstants.RESPONSE_TEXT)).isEqualTo("Created");
    }

    @Test
    void responseHeadersLandOnTheMessageButNotCamelOnes() throws Exception {
        Message message = respond(new MockResponse.Builder()
                .addHeader("X-Request-Id", "abc-42")
                .addHeader("ETag", "\"v1\"")
                .addHeader("CamelWorkflowHttpUrl", "http://127.0.0.1:1/evil")
                .addHeader("CAMELWORKFLOWHTTPRESTRICTEDNETWORKS", "none")
                .addHeader("camelHttpResponseCode", "999")
                .body("x")
                .build());

        assertThat(message.getHeader("X-Request-Id")).isEqualTo("abc-42");
        assertThat(message.getHeader("ETag")).isEqualTo("\"v1\"");
        assertThat(message.getHeader("CamelWorkflowHttpUrl")).isNull();
        assertThat(message.getHeader("CamelWorkflowHttpRestrictedNetworks")).isNull();
        assertThat(message.getHeader(WorkflowHttpConstants.RESPONSE_CODE)).isEqualTo(200);
    }

    @Test
    void contentTypeAndContentLengthAreAsReceived() throws Exception {
        Message message = respond(new MockResponse.Builder()
                .setHeader("Content-Type", "application/json; charset=utf-8")
                .body("{\"a\":1}")
                .build());

        assertThat(message.getHeader("Content-Type")).isEqualTo("application/json; charset=utf-8");
        assertThat(message.getHeader("Content-Length", Long.class)).isEqualTo(7L);
    }

    @Test
    void contentLengthIsAbsentWhenNotKnown() throws Exception {
        Message message = respond(
                new MockResponse.Builder().chunkedBody("chunked body", 4).build());

        assertThat(message.getHeader("Content-Length")).isNull();
        assertThat(message.getBody(String.class)).isEqualTo("chunked body");
    }

    @Test
    void materializedBodyIsBytesAndConvertsToString() throws Exception {
        Message message = respond(new MockResponse.Builder()
                .setHeader("Content-Type", "text/plain; charset=utf-8")
                .body("héllo wörld")
                .build());

        assertThat(message.getBody()).isInstanceOf(byte[].class);
        assertThat((byte[]) message.getBody()).isEqualTo("héllo wörld".getBytes(StandardCharsets.UTF_8));
        assertThat(message.getBody(String.class)).isEqualTo("héllo wörld");
    }

    @Test
    void bodyConvertsToStringWithTheResponseCharset() throws Exception {
        Buffer latin1 = new Buffer().write("café".getBytes(StandardCharsets.ISO_8859_1));
        Message message = respond(new MockResponse.Builder()
                .setHeader("Content-Type", "text/plain; charset=ISO-8859-1")
                .body(latin1)
                .build());

        assertThat(message.getBody(String.class)).isEqualTo("café");
    }

    @Test
    void repeatedResponseHeadersBecomeAList() throws Exception {
        Message message = respond(new MockResponse.Builder()
                .addHeader("X-Multi", "a")
                .addHeader("X-Multi", "b")
                .addHeader("X-Multi", "c")
                .addHeader("X-Case", "1")
                .addHeader("x-case", "2")
                .body("x")
                .build());

        assertThat(message.getHeader("X-Multi")).isEqualTo(List.of("a", "b", "c"));
        assertThat(message.getHeader("X-Case")).isEqualTo(List.of("1", "2"));
    }
}
