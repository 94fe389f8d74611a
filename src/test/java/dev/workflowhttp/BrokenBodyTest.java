package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A body the server breaks (closed early, reset, chunked stream cut, malformed chunk, garbage status line) fails the
 * exchange; it never reaches the next step as a silently shorter body. In {@code stream} mode the reading step gets an
 * {@link IOException} whose cause is the step's exception.
 */
class BrokenBodyTest extends WorkflowHttpTestSupport {

    private static final int DECLARED = 100 * 1024;
    private static final byte[] KILOBYTE = filled(1024, 'a');

    /**
     * Upper bound for a failure that needs no waiting at all (the call's timeout is 10 s). Generous because the build
     * runs on shared, noisy 2-core machines; what it rules out is waiting for the deadline.
     */
    private static final long QUICK_MILLIS = 2000;

    private HostileServer server;

    @AfterEach
    void closeServer() throws Exception {
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void contentLengthBodyClosedEarlyIsTruncated(String bodyMode) throws Exception {
        server = HostileServer.start(c -> {
            c.readRequest();
            c.write(head("Content-Length: " + DECLARED));
            c.write(KILOBYTE);
            c.close();
        });
        expectFailure(call(bodyMode), bodyMode, WorkflowHttpTruncatedBodyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void connectionResetMidBodyIsTruncated(String bodyMode) throws Exception {
        server = HostileServer.start(c -> {
            c.readRequest();
            c.write(head("Content-Length: " + DECLARED));
            c.write(KILOBYTE);
            c.reset();
        });
        expectFailure(call(bodyMode), bodyMode, WorkflowHttpTruncatedBodyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void chunkedBodyCutBeforeLastChunkIsTruncated(String bodyMode) throws Exception {
        server = HostileServer.start(c -> {
            c.readRequest();
            c.write(head("Transfer-Encoding: chunked"));
            for (int i = 0; i < 2; i++) {
                c.write("400\r\n");
                c.write(KILOBYTE);
                c.write("\r\n");
            }
            // no "0\r\n\r\n": the server goes away before the last chunk
            c.close();
        });
        expectFailure(call(bodyMode), bodyMode, WorkflowHttpTruncatedBodyException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void malformedChunkHeaderFailsNeverAShorterBody(String bodyMode) throws Exception {
        server = HostileServer.start(c -> {
            c.readRequest();
            c.write(head("Transfer-Encoding: chunked"));
            c.write("400\r\n");
            c.write(KILOBYTE);
            c.write("\r\n");
            c.write("zz-not-a-size\r\n");
            c.write(KILOBYTE);
            // keep the connection open: the failure must come from the garbage, not from a close
            c.awaitClosedByClient(Duration.ofSeconds(5));
        });
        // today a WorkflowHttpProtocolException; the contract only promises the base class
        expectFailure(call(bodyMode), bodyMode, WorkflowHttpException.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void garbageInsteadOfStatusLineFails(String bodyMode) throws Exception {
        server = HostileServer.start(c -> {
            c.readRequest();
            c.write("this is no HTTP status line\r\nneither is this\r\n\r\n");
            c.awaitClosedByClient(Duration.ofSeconds(5));
        });
        Exchange result = call(bodyMode);
        // fails at the status line, before any body: the step itself fails in both modes
        assertThat(result.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .isNotInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(result.getMessage().getBody()).isNull();
    }

    /** Calls the server with a 10 s deadline, then reads the body whole in a later step (as a stream in stream mode). */
    private Exchange call(String bodyMode) throws Exception {
        String url = server.url("/broken");
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                // the reading step below, not Camel's stream caching, is what reads a streamed body
                from("direct:call")
                        .noStreamCaching()
                        .to("workflow-http:" + url + "?timeout=10s&bodyMode=" + bodyMode)
                        .process(exchange -> {
                            InputStream in = exchange.getMessage().getBody(InputStream.class);
                            exchange.getMessage().setBody(in.readAllBytes());
                        });
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:call", exchange -> {});
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(tookMillis).as("failed without waiting for the deadline").isLessThan(QUICK_MILLIS);
        return result;
    }

    private static void expectFailure(Exchange result, String bodyMode, Class<? extends WorkflowHttpException> type) {
        Throwable error = result.getException();
        if (bodyMode.equals("materialize")) {
            assertThat(error).isInstanceOf(type);
            assertThat(result.getMessage().getBody())
                    .as("no partial body handed on")
                    .isNull();
        } else {
            // the reading step failed: an IOException whose cause is the step's own exception
            assertThat(error).isInstanceOf(IOException.class);
            assertThat(error.getCause()).isInstanceOf(type);
            assertThat(result.getException(type))
                    .as("found by looking through the causes")
                    .isNotNull();
        }
    }

    private static String head(String lengthHeader) {
        return "HTTP/1.1 200 OK\r\nContent-Type: application/octet-stream\r\n" + lengthHeader + "\r\n\r\n";
    }

    private static byte[] filled(int size, char c) {
        byte[] bytes = new byte[size];
        Arrays.fill(bytes, (byte) c);
        return bytes;
    }
}
