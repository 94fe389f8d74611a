package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.WorkflowHttpTimeoutException;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * A multipart request body as a loopback server receives it: fields, files and streams in order, the declared
 * length exact, a stream part read on the executor given for it, and a part that fails failing the call at once.
 */
class MultipartBodyTest {

    @RegisterExtension
    final LoopbackCalls calls = new LoopbackCalls();

    private MockWebServer server;
    private final AtomicInteger reads = new AtomicInteger();
    private final ExecutorService readerThreads = Executors.newSingleThreadExecutor();
    private final java.util.concurrent.Executor streamReader = task -> {
        reads.incrementAndGet();
        readerThreads.execute(task);
    };

    @TempDir
    Path dir;

    @BeforeEach
    void startServer() throws Exception {
        server = calls.mockServer();
    }

    @AfterEach
    void stopReaderThread() throws Exception {
        readerThreads.shutdownNow();
        assertThat(readerThreads.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    private LoopbackCalls.Outcome post(MultipartBody body) throws Exception {
        server.enqueue(new MockResponse.Builder().body("ok").build());
        LoopbackCalls.Outcome outcome = calls.call(
                "POST", LoopbackCalls.url(server, "/upload"), body.newProducer(), LoopbackCalls.materialize(-1));
        if (outcome.scope() != null) {
            outcome.scope().release();
        }
        return outcome;
    }

    private static String text(RecordedRequest request) {
        return request.getBody().utf8();
    }

    @Test
    void fieldsAndFilesArriveInOrderWithTheDeclaredLength() throws Exception {
        Path file = Files.writeString(dir.resolve("report.csv"), "a,b\n1,2\n");
        MultipartBody body = MultipartBody.of(
                List.of(
                        new MultipartBody.Part("name", null, null, "Ada".getBytes(StandardCharsets.UTF_8)),
                        new MultipartBody.Part("report", "report.csv", "text/csv", file)),
                List.of(Files.size(file)),
                streamReader);

        assertThat(post(body).failure()).isNull();

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        String b = body.boundary();
        assertThat(request.getHeaders().get("Content-Type")).isEqualTo("multipart/form-data; boundary=" + b);
        assertThat(request.getHeaders().get("Content-Length")).isEqualTo(String.valueOf(body.length()));
        assertThat(text(request))
                .isEqualTo("--" + b + "\r\nContent-Disposition: form-data; name=\"name\"\r\n\r\n"
                        + "Ada\r\n--" + b
                        + "\r\nContent-Disposition: form-data; name=\"report\"; filename=\"report.csv\"\r\n"
                        + "Content-Type: text/csv\r\n\r\na,b\n1,2\n\r\n--" + b + "--\r\n");
        assertThat(reads).as("no stream part, no reader task").hasValue(0);
    }

    @Test
    void quotesAndLineBreaksInNamesArePercentEncoded() throws Exception {
        MultipartBody body = MultipartBody.of(
                List.of(new MultipartBody.Part("a\"b\r\nX-Injected: 1", "f\".txt", null, new byte[0])),
                List.of(),
                streamReader);

        post(body);

        assertThat(text(server.takeRequest(5, TimeUnit.SECONDS)))
                .contains("name=\"a%22b%0D%0AX-Injected: 1\"; filename=\"f%22.txt\"\r\n");
    }

    @Test
    void aStreamPartIsSentChunkedAndReadOnTheExecutorGivenForIt() throws Exception {
        byte[] content = new byte[300_000];
        content[299_999] = 'z';
        MultipartBody body = MultipartBody.of(
                List.of(new MultipartBody.Part(
                        "data", "data.bin", "application/octet-stream", new ByteArrayInputStream(content))),
                List.of(),
                streamReader);

        assertThat(body.length()).isEqualTo(-1);
        assertThat(post(body).failure()).isNull();

        RecordedRequest request = server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(request.getHeaders().get("Transfer-Encoding")).isEqualTo("chunked");
        byte[] received = request.getBody().toByteArray();
        String tail = "\r\n--" + body.boundary() + "--\r\n";
        assertThat(received.length).isEqualTo(content.length + tail.length() + headLength(body, received));
        assertThat(received[received.length - tail.length() - 1]).isEqualTo((byte) 'z');
        assertThat(reads).as("read on the executor").hasPositiveValue();
    }

    private static int headLength(MultipartBody body, byte[] received) {
        String text = new String(received, 0, 300, StandardCharsets.ISO_8859_1);
        return text.indexOf("\r\n\r\n") + 4;
    }

    @Test
    void aFileThatChangedSinceItWasMeasuredFailsTheCall() throws Exception {
        Path file = Files.writeString(dir.resolve("grows.txt"), "0123456789");
        MultipartBody body = MultipartBody.of(
                List.of(new MultipartBody.Part("f", "grows.txt", "text/plain", file)), List.of(5L), streamReader);

        LoopbackCalls.Outcome outcome = post(body);

        assertThat(outcome.failure())
                .hasMessageContaining("changed while it was sent")
                .hasMessageContaining("5 bytes when the request was prepared");
    }

    @Test
    void aStreamPartThatReturnsNothingForAWhileIsReadAgainWithoutBurningACore() throws Exception {
        AtomicInteger emptyReads = new AtomicInteger();
        long givesDataAfter = System.nanoTime() + Duration.ofSeconds(1).toNanos();
        InputStream hesitant = new InputStream() {
            private final InputStream content = new ByteArrayInputStream("finally".getBytes(StandardCharsets.UTF_8));

            @Override
            public int read() throws java.io.IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] bytes, int offset, int length) throws java.io.IOException {
                if (System.nanoTime() < givesDataAfter) {
                    emptyReads.incrementAndGet();
                    return 0;
                }
                return content.read(bytes, offset, length);
            }
        };
        MultipartBody body = MultipartBody.of(
                List.of(new MultipartBody.Part("f", "x", "text/plain", hesitant)), List.of(), streamReader);

        assertThat(post(body).failure()).isNull();

        assertThat(text(server.takeRequest(5, TimeUnit.SECONDS))).contains("finally");
        // a second of empty reads: a reader that spins read 20,000 times on a busy 2-core host (far more on an idle
        // one), one that pauses a millisecond after its first 64 at most about 1,064 (fewer when pauses run long)
        assertThat(emptyReads.get()).as("empty reads in a second").isBetween(1, 3_000);
    }

    @Test
    void aStreamPartThatThrowsFailsTheCallAtOnceNotAtItsDeadline() throws Exception {
        InputStream broken = new InputStream() {
            @Override
            public int read() {
                throw new IllegalStateException("disk gone");
            }

            @Override
            public int read(byte[] bytes, int offset, int length) {
                throw new IllegalStateException("disk gone");
            }
        };
        MultipartBody body = MultipartBody.of(
                List.of(new MultipartBody.Part("f", "x", "text/plain", broken)), List.of(), streamReader);
        long start = System.nanoTime();

        LoopbackCalls.Outcome outcome = post(body);

        assertThat(outcome.failure())
                .isNotInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("disk gone");
        // the deadline is 10 s: a failure well before it came from the stream, not the timer (slack for a busy host)
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    }
}
