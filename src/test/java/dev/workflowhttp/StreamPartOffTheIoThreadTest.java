package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A multipart stream part is read on threads of its own: a stream that waits for its bytes (as one from the network
 * does) holds no call but its own. The component has one I/O thread and one continuation thread here, so a stream
 * read on either would stall the other call of a test, or the delivery of the upload's own outcome.
 */
class StreamPartOffTheIoThreadTest extends WorkflowHttpTestSupport {

    private final List<String> bodies = new CopyOnWriteArrayList<>();
    private MockWebServer server;

    /** A stream that sends its head, then waits until released (or closed), then sends its tail. */
    private static final class WaitingStream extends InputStream {
        final CountDownLatch waiting = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);
        final Set<String> readers = ConcurrentHashMap.newKeySet();
        final boolean closeWakesRead;
        volatile boolean closed;
        private int step;

        WaitingStream(boolean closeWakesRead) {
            this.closeWakesRead = closeWakesRead;
        }

        @Override
        public int read() {
            throw new UnsupportedOperationException("read in windows");
        }

        @Override
        public int read(byte[] bytes, int offset, int length) throws IOException {
            readers.add(Thread.currentThread().getName());
            byte[] piece;
            switch (step++) {
                case 0 -> piece = "head-".getBytes(StandardCharsets.UTF_8);
                case 1 -> {
                    waiting.countDown();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException("interrupted");
                    }
                    if (closed) {
                        throw new IOException("stream closed");
                    }
                    piece = "tail".getBytes(StandardCharsets.UTF_8);
                }
                default -> {
                    return -1;
                }
            }
            System.arraycopy(piece, 0, bytes, offset, piece.length);
            return piece.length;
        }

        @Override
        public void close() {
            closed = true;
            if (closeWakesRead) {
                release.countDown();
            }
        }
    }

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setIoThreads(1);
        component.setContinuationThreads(1);
    }

    @BeforeEach
    void routes() throws Exception {
        server = loopbackServer(request -> {
            bodies.add(request.getBody() == null ? "" : request.getBody().utf8());
            return new MockResponse.Builder().body("ok").build();
        });
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:upload").to("workflow-http:" + server.url("/upload") + "?method=POST&timeout=20s");
                from("direct:get").to("workflow-http:" + server.url("/get") + "?timeout=5s");
            }
        });
    }

    private CompletableFuture<Exchange> upload(InputStream stream, String timeout) {
        return template.asyncSend("direct:upload", exchange -> {
            exchange.getMessage().setHeader(WorkflowHttpConstants.overrideHeader("timeout"), timeout);
            exchange.getMessage().setHeader(WorkflowHttpConstants.MULTIPART, Map.of("data", stream));
        });
    }

    @Test
    void aStreamPartThatWaitsHoldsNoOtherCall() throws Exception {
        WaitingStream stream = new WaitingStream(true);
        CompletableFuture<Exchange> uploading = upload(stream, "20s");
        assertThat(stream.waiting.await(10, TimeUnit.SECONDS))
                .as("the stream part is being read")
                .isTrue();

        // the one I/O thread is free: another call completes while the stream waits
        Exchange other = template.request("direct:get", exchange -> {});
        assertThat(other.getException()).isNull();
        assertThat(other.getMessage().getBody(String.class)).isEqualTo("ok");
        assertThat(uploading).isNotDone();

        stream.release.countDown();
        Exchange uploaded = uploading.get(10, TimeUnit.SECONDS);
        assertThat(uploaded.getException()).isNull();
        assertThat(bodies).anySatisfy(body -> assertThat(body).contains("head-tail"));
        assertThat(stream.readers)
                .isNotEmpty()
                .noneMatch(name -> name.startsWith("workflow-http-io") || name.contains("WorkflowHttpContinuation"));
        assertReleased();
    }

    @Test
    void aStreamPartThatNeverEndsFailsAtTheDeadlineAndIsClosed() throws Exception {
        WaitingStream stream = new WaitingStream(true);

        Exchange result = upload(stream, "1s").get(10, TimeUnit.SECONDS);

        assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
        // closing it is what lets the thread that waited in read() go
        await().atMost(Duration.ofSeconds(5)).until(() -> stream.closed);
        assertReleased();
    }

    @Test
    void aStreamWhoseReadOutlivesItsCloseStillLetsTheCallEndAtItsDeadline() throws Exception {
        // a read that even close does not end (a pipe whose writer is gone quiet) holds only the thread reading it
        WaitingStream stream = new WaitingStream(false);
        try {
            Exchange result = upload(stream, "1s").get(10, TimeUnit.SECONDS);

            assertThat(result.getException()).isInstanceOf(WorkflowHttpTimeoutException.class);
            assertThat(stream.closed).isTrue();
            Exchange other = template.request("direct:get", exchange -> {});
            assertThat(other.getException()).isNull();
            assertReleased();
        } finally {
            stream.release.countDown();
        }
    }

    @Test
    void aStreamPartThatThrowsFailsTheCallAtOnceNamingWhy() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("the source went away");
            }
        };

        Exchange result = upload(broken, "20s").get(10, TimeUnit.SECONDS);

        assertThat(result.getException())
                .isNotInstanceOf(WorkflowHttpTimeoutException.class)
                .hasStackTraceContaining("the source went away");
        assertReleased();
    }
}
