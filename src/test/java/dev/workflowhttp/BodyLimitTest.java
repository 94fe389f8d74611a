package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code maxBodySize} bounds the decoded body: an endless body, a declared length over the limit and a gzip bomb all
 * fail with {@link WorkflowHttpBodyTooLargeException} quickly, without reading on; a normal gzip body is decoded.
 */
class BodyLimitTest extends WorkflowHttpTestSupport {

    private static final long ONE_MIB = 1024 * 1024;

    /**
     * Upper bound for a failure that needs no waiting (every call here has a 10 s deadline). Generous because the
     * build runs on shared, noisy 2-core machines; what it rules out is waiting for the deadline or for the server.
     */
    private static final long QUICK_MILLIS = 2000;

    private HostileServer hostile;
    private MockWebServer mock;

    @AfterEach
    void closeServers() throws Exception {
        if (hostile != null) {
            hostile.close();
        }
        if (mock != null) {
            mock.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void endlessChunkedBodyIsTooLarge(String bodyMode) throws Exception {
        byte[] chunk = chunk(8192);
        hostile = HostileServer.start(c -> {
            c.readRequest();
            c.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nTransfer-Encoding: chunked\r\n\r\n");
            while (true) {
                c.write(chunk); // until the client closes the socket under it
            }
        });
        Exchange result = call(hostile.url("/endless"), bodyMode, "maxBodySize=" + ONE_MIB);
        expectTooLarge(result, bodyMode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void declaredLengthOverLimitIsRefusedAtTheHeaders(String bodyMode) throws Exception {
        hostile = HostileServer.start(c -> {
            c.readRequest();
            // announces 20 MiB but sends none of it: only a refusal at the headers ends this call before the deadline
            c.write("HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\nContent-Length: " + 20 * ONE_MIB
                    + "\r\n\r\n");
            c.awaitClosedByClient(Duration.ofSeconds(5));
        });
        Exchange result = call(hostile.url("/huge"), bodyMode, "maxBodySize=" + ONE_MIB);
        // the step itself fails, in both modes: no stream over a body already known to be too large
        assertThat(result.getException()).isInstanceOf(WorkflowHttpBodyTooLargeException.class);
        assertThat(((WorkflowHttpBodyTooLargeException) result.getException()).getMaxBodySize())
                .isEqualTo(ONE_MIB);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void gzipBombIsTooLargeCountedOnDecodedBytes(String bodyMode) throws Exception {
        // 64 MiB of zeros gzip to about 64 KB: far under the 10 MiB limit on the wire, far over it decoded. (A 1 GiB
        // bomb proves the same but takes seconds to build.)
        byte[] bomb = gzip(new byte[(int) (64 * ONE_MIB)]);
        long limit = 10 * ONE_MIB;
        assertThat((long) bomb.length).as("the encoded body fits the limit").isLessThan(limit);
        mock = startMock();
        mock.enqueue(new MockResponse.Builder()
                .addHeader("Content-Encoding", "gzip")
                .addHeader("Content-Type", "application/octet-stream")
                .body(new Buffer().write(bomb))
                .build());

        Exchange result = call("http://127.0.0.1:" + mock.getPort() + "/bomb", bodyMode, "maxBodySize=" + limit);
        expectTooLarge(result, bodyMode);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void normalGzipBodyIsDecoded(String bodyMode) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 2000; i++) {
            text.append("line ").append(i).append(" of a compressed body\n");
        }
        mock = startMock();
        mock.enqueue(new MockResponse.Builder()
                .addHeader("Content-Encoding", "gzip")
                .addHeader("Content-Type", "text/plain; charset=utf-8")
                .body(new Buffer().write(gzip(text.toString().getBytes(StandardCharsets.UTF_8))))
                .build());

        Exchange result = call("http://127.0.0.1:" + mock.getPort() + "/text", bodyMode, "maxBodySize=" + ONE_MIB);
        assertThat(result.getException()).isNull();
        assertThat(new String(result.getMessage().getBody(byte[].class), StandardCharsets.UTF_8))
                .isEqualTo(text.toString());
        // the body handed on is decoded: it must not claim to be gzip
        assertThat(result.getMessage().getHeader("Content-Encoding")).isNull();
    }

    /** Calls {@code url} with a 10 s deadline and reads the body whole in a later step. */
    private Exchange call(String url, String bodyMode, String options) throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the reading step below, not Camel's stream caching, is what reads a streamed body
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + url + "?timeout=10s&bodyMode=" + bodyMode + "&" + options)
                        .process(exchange -> {
                            InputStream in = exchange.getMessage().getBody(InputStream.class);
                            exchange.getMessage().setBody(in.readAllBytes());
                        });
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:call", exchange -> {});
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("ended without waiting for the deadline").isLessThan(QUICK_MILLIS);
        return result;
    }

    private static void expectTooLarge(Exchange result, String bodyMode) {
        Throwable error = result.getException();
        if (bodyMode.equals("materialize")) {
            assertThat(error).isInstanceOf(WorkflowHttpBodyTooLargeException.class);
        } else {
            // the reading step failed while reading
            assertThat(error).isInstanceOf(IOException.class);
            assertThat(error.getCause()).isInstanceOf(WorkflowHttpBodyTooLargeException.class);
        }
    }

    private static MockWebServer startMock() throws IOException {
        MockWebServer server = new MockWebServer();
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    private static byte[] chunk(int size) {
        byte[] data = new byte[size];
        Arrays.fill(data, (byte) 'x');
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(size) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out, 1 << 16)) {
            gzip.write(data);
        }
        return out.toByteArray();
    }
}
