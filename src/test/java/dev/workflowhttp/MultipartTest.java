package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import okhttp3.MultipartReader;
import okio.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code CamelWorkflowHttpMultipart}: fields and files sent as multipart/form-data, each part with its name, file name
 * and content type, read back by OkHttp's own multipart parser on the server side.
 */
class MultipartTest extends WorkflowHttpTestSupport {

    /** One part as the server received it. */
    record Received(String disposition, String contentType, String body) {}

    @TempDir
    Path dir;

    private MockWebServer server;
    private final AtomicInteger requests = new AtomicInteger();
    private volatile int failFirst;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            if (requests.incrementAndGet() <= failFirst) {
                return new MockResponse.Builder().code(503).body("busy").build();
            }
            return new MockResponse.Builder().body("stored").build();
        });
    }

    private Exchange send(String options, Map<String, Object> multipart) throws Exception {
        String step = oneStepRoute("workflow-http:" + server.url("/upload") + "?timeout=10s" + options);
        return template.request(step, e -> e.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, multipart));
    }

    private static List<Received> parts(RecordedRequest request) throws IOException {
        String contentType = request.getHeaders().get("Content-Type");
        assertThat(contentType).startsWith("multipart/form-data; boundary=");
        String boundary = contentType.substring(contentType.indexOf("boundary=") + 9);
        List<Received> parts = new ArrayList<>();
        try (MultipartReader reader = new MultipartReader(new Buffer().write(request.getBody()), boundary)) {
            MultipartReader.Part part;
            while ((part = reader.nextPart()) != null) {
                parts.add(new Received(
                        part.headers().get("Content-Disposition"),
                        part.headers().get("Content-Type"),
                        part.body().readUtf8()));
            }
        }
        return parts;
    }

    @Test
    void fieldsAndFilesArriveWithTheirNamesFileNamesAndContentTypes() throws Exception {
        Path report = Files.writeString(dir.resolve("report.csv"), "day,orders\n1,42\n");
        Path raw = Files.write(dir.resolve("dump.wfh-unknown"), new byte[] {1, 2, 3});
        Map<String, Object> multipart = new LinkedHashMap<>();
        multipart.put("title", "Daily report ü");
        multipart.put("report", FormPart.file(report, "text/csv"));
        multipart.put("raw", raw.toFile());
        multipart.put(
                "note",
                FormPart.of(
                        "see \"attached\"".getBytes(StandardCharsets.UTF_8),
                        "note \"1\".txt",
                        "text/plain; charset=UTF-8"));
        multipart.put("tag", List.of("a", "b"));

        Exchange result = send("", multipart);

        assertThat(result.getException()).isNull();
        RecordedRequest request = server.takeRequest();
        assertThat(request.getMethod()).isEqualTo("POST");
        assertThat(request.getHeaders().get("Content-Length"))
                .isEqualTo(String.valueOf(request.getBody().size()));
        assertThat(parts(request))
                .containsExactly(
                        new Received("form-data; name=\"title\"", null, "Daily report ü"),
                        new Received(
                                "form-data; name=\"report\"; filename=\"report.csv\"",
                                "text/csv",
                                "day,orders\n1,42\n"),
                        new Received(
                                "form-data; name=\"raw\"; filename=\"dump.wfh-unknown\"",
                                "application/octet-stream",
                                "\u0001\u0002\u0003"),
                        new Received(
                                "form-data; name=\"note\"; filename=\"note %221%22.txt\"",
                                "text/plain; charset=UTF-8", "see \"attached\""),
                        new Received("form-data; name=\"tag\"", null, "a"),
                        new Received("form-data; name=\"tag\"", null, "b"));
    }

    @Test
    void aStreamPartIsSentChunkedAndOnlyOnce() throws Exception {
        failFirst = 1;
        AtomicInteger closed = new AtomicInteger();
        InputStream stream = new ByteArrayInputStream("streamed".getBytes(StandardCharsets.UTF_8)) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        Map<String, Object> multipart = Map.of("data", FormPart.of(stream, "data.txt", "text/plain"));

        Exchange result = send("&retryAttempts=2&retryNonIdempotent=true&retryBackoff=10ms/1/10ms", multipart);

        // the stream was read by the first attempt: a retry would send a part without its content
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpStatusException.class)
                .hasMessageContaining("503");
        assertThat(server.getRequestCount()).isEqualTo(1);
        RecordedRequest request = server.takeRequest();
        assertThat(request.getHeaders().get("Transfer-Encoding")).isEqualTo("chunked");
        assertThat(parts(request))
                .containsExactly(
                        new Received("form-data; name=\"data\"; filename=\"data.txt\"", "text/plain", "streamed"));
        assertThat(closed.get())
                .as("the stream part, closed when the call failed")
                .isPositive();
    }

    @Test
    void aStreamPartIsClosedOnceSent() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        InputStream stream = new ByteArrayInputStream(new byte[100_000]) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };

        Exchange result = send("", Map.of("data", stream));

        assertThat(result.getException()).isNull();
        assertThat(parts(server.takeRequest()).get(0).body()).hasSize(100_000);
        assertThat(closed.get()).isPositive();
    }

    @Test
    void aBodyOfFilesIsSentAgainWholeOnARetry() throws Exception {
        failFirst = 1;
        Path file = Files.writeString(dir.resolve("a.txt"), "x".repeat(200_000));

        Exchange result =
                send("&retryAttempts=2&retryNonIdempotent=true&retryBackoff=10ms/1/10ms", Map.of("file", file));

        assertThat(result.getException()).isNull();
        assertThat(server.getRequestCount()).isEqualTo(2);
        for (int i = 0; i < 2; i++) {
            List<Received> parts = parts(server.takeRequest());
            assertThat(parts).hasSize(1);
            assertThat(parts.get(0).body()).hasSize(200_000);
        }
    }

    @Test
    void aMissingFileFailsBeforeAnyConnectionNamingThePartAndThePath() throws Exception {
        Path missing = dir.resolve("nowhere.csv");

        Exchange result = send("", Map.of("report", missing));

        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("CamelWorkflowHttpMultipart")
                .hasMessageContaining("part 'report'")
                .hasMessageContaining(missing.toString())
                .hasMessageContaining("does not exist");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void streamPartsOfARequestThatIsNotSentAreClosed() throws Exception {
        AtomicInteger closed = new AtomicInteger();
        InputStream stream = new ByteArrayInputStream(new byte[10]) {
            @Override
            public void close() {
                closed.incrementAndGet();
            }
        };
        Map<String, Object> multipart = new LinkedHashMap<>();
        multipart.put("data", stream);
        multipart.put("report", dir.resolve("missing.csv"));

        Exchange result = send("", multipart);

        assertThat(result.getException()).hasMessageContaining("does not exist");
        assertThat(closed.get()).isEqualTo(1);
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theStreamedBodyOfAnotherStepIsRefusedAsAPart() throws Exception {
        String routeId = "relay";
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId)
                        .to("workflow-http:" + server.url("/download") + "?bodyMode=stream")
                        .process(e -> {
                            e.getMessage()
                                    .setHeader(
                                            WorkflowHttpConstants.MULTIPART,
                                            Map.of("file", e.getMessage().getBody()));
                            e.getMessage().setBody(null);
                        })
                        .to("workflow-http:" + server.url("/upload"));
            }
        });

        Exchange result = template.request("direct:" + routeId, e -> {});

        assertThat(result.getException()).hasMessageContaining("streamed body of a workflow-http step cannot be sent");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }

    @Test
    void aContentTypeInTheHeadersMapIsRefusedWithAMultipartBody() throws Exception {
        String step = oneStepRoute("workflow-http:" + server.url("/upload"));

        Exchange result = template.request(step, e -> {
            e.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, Map.of("a", "b"));
            e.getMessage().setHeader(WorkflowHttpConstants.HEADERS, Map.of("Content-Type", "multipart/form-data"));
        });

        assertThat(result.getException()).hasMessageContaining("cannot set Content-Type");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aMultipartBodyNeedsAMethodWithABodyAndNoOtherBody() throws Exception {
        Exchange get = send("&method=GET", Map.of("a", "b"));
        assertThat(get.getException()).hasMessageContaining("needs the method POST, PUT or PATCH, not GET");

        String step = oneStepRoute("workflow-http:" + server.url("/upload"));
        Exchange both = template.request(step, e -> {
            e.getMessage().setBody("a body");
            e.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, Map.of("a", "b"));
        });
        assertThat(both.getException()).hasMessageContaining("cannot be combined with a message body");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void theDeadlineCoversSendingAFileToAServerThatStopsReading() throws Exception {
        // the server reads the request head, then nothing: the socket buffers fill and the upload stalls
        CountDownLatch testOver = new CountDownLatch(1);
        HostileServer stalled = closeAfterLeakCheck(HostileServer.start(connection -> {
            HostileServer.readHead(connection.in()); // and then not a byte of the body
            testOver.await(10, TimeUnit.SECONDS);
        }));
        Path big = dir.resolve("big.bin");
        Files.write(big, new byte[64 * 1024 * 1024]);
        String step = oneStepRoute("workflow-http:" + stalled.url("/upload") + "?timeout=1s");

        long start = System.nanoTime();
        Exchange result = template.request(
                step, e -> e.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, Map.of("file", big)));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        // 1 s deadline; the slack is for a shared, noisy machine, far below "never"
        assertThat(took).isLessThan(Duration.ofSeconds(6));
        testOver.countDown();
    }
}
