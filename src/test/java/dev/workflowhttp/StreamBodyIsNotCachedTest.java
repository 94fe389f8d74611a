package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.StreamCache;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * In {@code stream} mode the next step gets the live stream, not a copy. Camel's stream caching (on by default) would
 * otherwise read the whole body into memory between the step and the next one: the memory a streamed body is meant
 * to save would be spent, and a deadline passing mid-body would fail Camel's caching (a {@code StreamCacheException}
 * marked as exhausted) instead of the step that reads the body.
 */
class StreamBodyIsNotCachedTest extends WorkflowHttpTestSupport {

    private static final int BODY_SIZE = 256 * 1024;

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    @ParameterizedTest
    @ValueSource(strings = {"InOnly", "InOut"})
    void theNextStepReadsTheLiveStream(String pattern) throws Exception {
        server.enqueue(new MockResponse.Builder().body("x".repeat(BODY_SIZE)).build());
        String url = server.url("/big").toString();
        AtomicReference<Object> seen = new AtomicReference<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stream")
                        .to("workflow-http:" + url + "?bodyMode=stream")
                        .process(exchange -> {
                            seen.set(exchange.getMessage().getBody());
                            try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
                                exchange.getMessage().setBody(body.readAllBytes().length);
                            }
                        });
            }
        });
        Exchange result = pattern.equals("InOut")
                ? template.request("direct:stream", exchange -> {})
                : template.send("direct:stream", exchange -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(Integer.class)).isEqualTo(BODY_SIZE);
        assertThat(seen.get()).isInstanceOf(InputStream.class).isNotInstanceOf(StreamCache.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {"InOnly", "InOut"})
    void aDeadlineMidBodyFailsTheReadOfTheNextStep(String pattern) throws Exception {
        // 64 KiB over about 3 s, under a 700 ms deadline
        server.enqueue(new MockResponse.Builder()
                .body("y".repeat(64 * 1024))
                .throttleBody(2048, 100, TimeUnit.MILLISECONDS)
                .build());
        String url = server.url("/slow").toString();
        AtomicReference<Throwable> readFailure = new AtomicReference<>();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:stream")
                        .to("workflow-http:" + url + "?bodyMode=stream&timeout=700ms")
                        .process(exchange -> {
                            try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
                                body.readAllBytes();
                            } catch (IOException e) {
                                readFailure.set(e);
                                throw e;
                            }
                        });
            }
        });
        Exchange result = pattern.equals("InOut")
                ? template.request("direct:stream", exchange -> {})
                : template.send("direct:stream", exchange -> {});

        assertThat(readFailure.get())
                .as("the failure seen by the step reading the body")
                .isNotNull()
                .hasCauseInstanceOf(WorkflowHttpTimeoutException.class);
        assertThat(result.getException()).isSameAs(readFailure.get());
        assertThat(((WorkflowHttpTimeoutException) readFailure.get().getCause()).getPhase())
                .isEqualTo(Phase.STREAM);
    }
}
