package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.component.WorkflowHttpEndpoint;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.ByteArrayInputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What the step sends: method, body and its Content-Type, query, headers, authentication, User-Agent and target URL,
 * from the endpoint's options, the per-exchange headers and the message body. A local server records each request.
 */
class RequestBuildingTest extends WorkflowHttpTestSupport {

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

    /** Sends one exchange through {@code direct:call → endpointUri} against a server answering 200 "ok". */
    private Exchange call(String endpointUri, Processor input) throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to(endpointUri);
            }
        });
        return template.request("direct:call", input);
    }

    private Exchange callOk(String endpointUri, Processor input) throws Exception {
        Exchange result = call(endpointUri, input);
        assertThat(result.getException()).as("exchange exception").isNull();
        return result;
    }

    private RecordedRequest sent() throws InterruptedException {
        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request).as("a request reached the server").isNotNull();
        return request;
    }

    private static String bodyText(RecordedRequest request) {
        return request.getBody() == null ? "" : request.getBody().utf8();
    }

    @Test
    void noMethodAndNoBodySendsGetWithoutBody() throws Exception {
        callOk("workflow-http:" + url("/get"), exchange -> {});

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("GET");
        assertThat(request.getBodySize()).isZero();
        assertThat(request.getHeaders().get("Content-Type")).isNull();
    }

    @Test
    void bodyWithoutMethodSendsPost() throws Exception {
        callOk(
                "workflow-http:" + url("/post"),
                exchange -> exchange.getMessage().setBody("hello"));

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(bodyText(request)).isEqualTo("hello");
    }

    @Test
    void formIsPostedUrlEncoded() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("name", "Jane Doe");
        form.put("tag", List.of("a", "b&c=d"));
        callOk(
                "workflow-http:" + url("/form"),
                exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.FORM, form));

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
        assertThat(bodyText(request)).isEqualTo("name=Jane+Doe&tag=a&tag=b%26c%3Dd");
    }

    @Test
    void anArrayOfPrimitivesInAFormGivesOneFieldPerItem() throws Exception {
        Map<String, Object> form = new LinkedHashMap<>();
        form.put("id", new int[] {3, 5});
        form.put("flag", new boolean[] {true});
        form.put("name", new String[] {"a b"});
        callOk(
                "workflow-http:" + url("/form"),
                exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.FORM, form));

        assertThat(bodyText(sent())).isEqualTo("id=3&id=5&flag=true&name=a+b");
    }

    @ParameterizedTest
    @ValueSource(strings = {WorkflowHttpConstants.FORM, WorkflowHttpConstants.MULTIPART})
    void aFieldWithoutANameIsRefusedInAFormAsInAMultipartBody(String header) throws Exception {
        Exchange result = call(
                "workflow-http:" + url("/form"),
                exchange -> exchange.getMessage().setHeader(header, Map.of("", "1")));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining(header)
                .hasMessageContaining("a field name is null or empty");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void formTogetherWithBodyFailsTheExchangeNamingTheHeader() throws Exception {
        Exchange result = call("workflow-http:" + url("/form"), exchange -> {
            exchange.getMessage().setHeader(WorkflowHttpConstants.FORM, Map.of("a", "1"));
            exchange.getMessage().setBody("a body too");
        });

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpForm");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void stringBodyIsSentAsUtf8PlainText() throws Exception {
        callOk(
                "workflow-http:" + url("/text"),
                exchange -> exchange.getMessage().setBody("grüße €"));

        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("Content-Type")).isEqualToIgnoringCase("text/plain; charset=UTF-8");
        assertThat(request.getBody().toByteArray()).isEqualTo("grüße €".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void byteArrayBodyIsSentAsIs() throws Exception {
        byte[] bytes = {0, 1, 2, (byte) 0xfe, (byte) 0xff};
        callOk(
                "workflow-http:" + url("/bytes"),
                exchange -> exchange.getMessage().setBody(bytes));

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getBody().toByteArray()).isEqualTo(bytes);
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/octet-stream");
    }

    @Test
    void inputStreamBodyIsSentWhole() throws Exception {
        byte[] bytes = "streamed content".getBytes(StandardCharsets.UTF_8);
        callOk(
                "workflow-http:" + url("/stream"),
                exchange -> exchange.getMessage().setBody(new ByteArrayInputStream(bytes)));

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getBody().toByteArray()).isEqualTo(bytes);
    }

    @Test
    void mapBodyIsSentAsJson() throws Exception {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", 7);
        body.put("tags", List.of("x", "y"));
        callOk(
                "workflow-http:" + url("/json"),
                exchange -> exchange.getMessage().setBody(body));

        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("Content-Type")).startsWith("application/json");
        assertThat(bodyText(request)).isEqualTo("{\"id\":7,\"tags\":[\"x\",\"y\"]}");
    }

    @Test
    void contentTypeOptionOverridesTheBodysOwn() throws Exception {
        callOk(
                "workflow-http:" + url("/xml") + "?contentType=application/xml",
                exchange -> exchange.getMessage().setBody("<a/>"));

        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("application/xml");
        assertThat(bodyText(request)).isEqualTo("<a/>");
    }

    @Test
    void paramsAreAddedToTheQueryEncoded() throws Exception {
        Map<String, Object> params = new LinkedHashMap<>();
        params.put("q", "a b&c=d");
        params.put("tag", List.of("1", "2"));
        params.put("city", "Zürich");
        callOk(
                "workflow-http:" + url("/search?page=2"),
                exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.PARAMS, params));

        RecordedRequest request = sent();
        assertThat(request.getTarget())
                .startsWith("/search?page=2&")
                .doesNotContain(" ")
                .doesNotContain("ü");
        assertThat(request.getUrl().queryParameter("page")).isEqualTo("2");
        assertThat(request.getUrl().queryParameter("q")).isEqualTo("a b&c=d");
        assertThat(request.getUrl().queryParameterValues("tag")).containsExactly("1", "2");
        assertThat(request.getUrl().queryParameter("city")).isEqualTo("Zürich");
    }

    @Test
    void headersMapIsSentAndListValuesRepeat() throws Exception {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("X-One", "1");
        headers.put("X-Many", List.of("a", "b"));
        callOk(
                "workflow-http:" + url("/h"),
                exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.HEADERS, headers));

        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("X-One")).isEqualTo("1");
        assertThat(request.getHeaders().values("X-Many")).containsExactly("a", "b");
    }

    @Test
    void onlyTheHeadersMapIsSentNeverControlOrMessageHeaders() throws Exception {
        Map<String, Object> headers = new LinkedHashMap<>();
        headers.put("X-Kept", "k");
        headers.put("CamelInTheMap", "c");
        headers.put("camelLowerCase", "c");
        callOk("workflow-http:" + url("/h"), exchange -> {
            exchange.getMessage().setHeader(WorkflowHttpConstants.HEADERS, headers);
            exchange.getMessage().setHeader("X-Ordinary", "o");
            exchange.getMessage().setHeader("CamelSomething", "s");
            exchange.getMessage().setHeader(WorkflowHttpConstants.overrideHeader("timeout"), "10s");
        });

        RecordedRequest request = sent();
        assertThat(request.getHeaders().get("X-Kept")).isEqualTo("k");
        assertThat(request.getHeaders().get("X-Ordinary")).isNull();
        assertThat(request.getHeaders().names()).noneMatch(name -> name.regionMatches(true, 0, "camel", 0, 5));
    }

    @Test
    void bearerTokenIsSentAndWinsOverBasic() throws Exception {
        callOk(
                "workflow-http:" + url("/auth") + "?authBearerToken=tok-123&authUsername=user&authPassword=pw",
                exchange -> {});

        assertThat(sent().getHeaders().values("Authorization")).containsExactly("Bearer tok-123");
    }

    @Test
    void usernameAndPasswordAreSentAsBasic() throws Exception {
        callOk("workflow-http:" + url("/auth") + "?authUsername=user&authPassword=pa:ss", exchange -> {});

        String expected = Base64.getEncoder().encodeToString("user:pa:ss".getBytes(StandardCharsets.UTF_8));
        assertThat(sent().getHeaders().values("Authorization")).containsExactly("Basic " + expected);
    }

    @Test
    void defaultUserAgentNamesTheComponentAndItsVersion() throws Exception {
        callOk("workflow-http:" + url("/ua"), exchange -> {});

        assertThat(sent().getHeaders().get("User-Agent")).matches("camel-workflow-http/\\d+\\.\\d+\\.\\d+.*");
    }

    @Test
    void userAgentOptionReplacesTheDefault() throws Exception {
        callOk("workflow-http:" + url("/ua") + "?userAgent=my-flow/2.0", exchange -> {});

        assertThat(sent().getHeaders().values("User-Agent")).containsExactly("my-flow/2.0");
    }

    @Test
    void queryParametersThatAreNotOptionsStayOnTheTarget() throws Exception {
        callOk("workflow-http:" + url("/x") + "?page=2&timeout=5s", exchange -> {});

        assertThat(sent().getTarget()).isEqualTo("/x?page=2");
    }

    @Test
    void percentEncodedPathIsSentAsWritten() throws Exception {
        // %20, %25 and %23 reach the component as written; Camel's own URI normalization already decodes
        // %2F, %3F, %2B and %40 before any component sees them, so those cannot be kept
        callOk("workflow-http:" + url("/files/a%20b%25c%23d") + "?v=1", exchange -> {});

        assertThat(sent().getTarget()).isEqualTo("/files/a%20b%25c%23d?v=1");
    }

    @Test
    void endpointTargetKeepsEscapesAndIpv6Brackets() {
        // resolution only, nothing is sent
        WorkflowHttpEndpoint escaped = context.getEndpoint(
                "workflow-http:http://127.0.0.1:1/x%20y?timeout=5s&a=1", WorkflowHttpEndpoint.class);
        WorkflowHttpEndpoint ipv6 =
                context.getEndpoint("workflow-http:http://[::1]:1/x?a=1", WorkflowHttpEndpoint.class);

        assertThat(escaped.getUrl()).isEqualTo("http://127.0.0.1:1/x%20y?a=1");
        assertThat(ipv6.getUrl()).isEqualTo("http://[::1]:1/x?a=1");
    }

    @Test
    void credentialsInTheUrlAreRefusedWithoutShowingThem() {
        assertThatThrownBy(() -> context.getEndpoint("workflow-http:http://me:pw1234@127.0.0.1:1/x?a=1"))
                .hasMessageContaining("authUsername")
                .hasMessageNotContaining("pw1234");
    }

    @Test
    void urlHeaderReplacesTheTarget() throws Exception {
        callOk(
                "workflow-http:" + url("/endpoint?a=1"),
                exchange -> exchange.getMessage().setHeader(WorkflowHttpConstants.URL, url("/override?z=9")));

        assertThat(sent().getTarget()).isEqualTo("/override?z=9");
    }

    @Test
    void methodHeaderOverridesForOneExchange() throws Exception {
        callOk("workflow-http:" + url("/m") + "?method=POST", exchange -> {
            exchange.getMessage().setHeader("CamelWorkflowHttpMethod", "PUT");
            exchange.getMessage().setBody("replaced");
        });

        RecordedRequest request = sent();
        assertThat(request.getMethod()).isEqualTo("PUT");
        assertThat(bodyText(request)).isEqualTo("replaced");
    }

    @Test
    void throwOnHttpErrorHeaderOverridesForOneExchange() throws Exception {
        server.enqueue(new MockResponse.Builder().code(500).body("broken").build());
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("workflow-http:" + url("/err"));
            }
        });

        Exchange result = template.request(
                "direct:call",
                exchange -> exchange.getMessage().setHeader("CamelWorkflowHttpThrowOnHttpError", "false"));

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getHeader(WorkflowHttpConstants.RESPONSE_CODE))
                .isEqualTo(500);
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("broken");

        // the override was for that exchange only: the endpoint still throws
        server.enqueue(new MockResponse.Builder().code(500).body("broken").build());
        Exchange next = template.request("direct:call", exchange -> {});
        assertThat(next.getException()).isInstanceOf(WorkflowHttpStatusException.class);
    }
}
