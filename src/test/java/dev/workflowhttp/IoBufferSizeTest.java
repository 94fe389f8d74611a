package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.PropertyBindingSupport;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code ioBufferSize}: the size reaches the connections (the chunks of an upload are as large as the buffer lets
 * them be), and with 128 KiB connection buffers a streamed body still arrives whole and in order, whether the server
 * sends it at once or trickles it, with or without a length, and the connection goes back to the pool; a size out of
 * range is refused when the component is configured, naming the option.
 */
class IoBufferSizeTest extends WorkflowHttpTestSupport {

    private static final byte[] BODY = new byte[3 * 1024 * 1024 + 17];

    static {
        new Random(7).nextBytes(BODY);
    }

    private MockWebServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setIoBufferSize(128 * 1024);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(InetAddress.getLoopbackAddress(), 0);
    }

    private byte[] readStreamed(String options) throws Exception {
        String url = server.url("/big").toString();
        String routeId = "read" + System.nanoTime();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + routeId)
                        .to("workflow-http:" + url + "?bodyMode=stream&timeout=20s" + options)
                        .process(exchange -> {
                            try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
                                exchange.getMessage().setBody(body.readAllBytes());
                            }
                        });
            }
        });
        Exchange result = template.request("direct:" + routeId, exchange -> {});
        assertThat(result.getException()).isNull();
        return result.getMessage().getBody(byte[].class);
    }

    @Test
    void aLargeStreamedBodyArrivesWholeAndInOrder() throws Exception {
        server.enqueue(new MockResponse.Builder().body(new Buffer().write(BODY)).build());

        assertThat(Arrays.equals(readStreamed(""), BODY))
                .as("the body read equals the body sent")
                .isTrue();
        assertReleased();
    }

    @Test
    void aChunkedBodyArrivesWhole() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .chunkedBody(new Buffer().write(BODY), 50_000)
                .build());

        assertThat(Arrays.equals(readStreamed(""), BODY)).isTrue();
        assertReleased();
    }

    @Test
    void aTrickledBodySmallerThanOneBufferArrivesWhole() throws Exception {
        // 40 KiB in 1 KiB slices every 10 ms: many reads that each find less than a buffer's worth
        byte[] small = Arrays.copyOf(BODY, 40 * 1024);
        server.enqueue(new MockResponse.Builder()
                .body(new Buffer().write(small))
                .throttleBody(1024, 10, TimeUnit.MILLISECONDS)
                .build());

        assertThat(Arrays.equals(readStreamed(""), small)).isTrue();
        assertReleased();
    }

    @Test
    void theBufferSizeReachesTheConnections() throws Exception {
        // a chunked upload (a stream part has no length) is written in chunks that fit the connection's outgoing
        // buffer: the server sees none larger than 128 KiB here, and with HttpCore's default of 32 KiB none would be
        // larger than 32 KiB, so chunks over 32 KiB show the option is what the connections were built with
        server.enqueue(new MockResponse.Builder().body("ok").build());
        String step = oneStepRoute("workflow-http:" + server.url("/upload") + "?method=POST&timeout=20s");

        Exchange result = template.request(
                step,
                exchange -> exchange.getMessage()
                        .setHeader(WorkflowHttpConstants.MULTIPART, Map.of("data", new ByteArrayInputStream(BODY))));

        assertThat(result.getException()).isNull();
        List<Integer> chunks = server.takeRequest().getChunkSizes();
        assertThat(chunks).isNotEmpty().allSatisfy(size -> assertThat(size).isLessThanOrEqualTo(128 * 1024));
        assertThat(chunks).anySatisfy(size -> assertThat(size).isGreaterThan(32 * 1024));
        assertReleased();
    }

    @Test
    void aSizeOutOfRangeIsRefusedNamingTheOption() {
        WorkflowHttpComponent fresh = new WorkflowHttpComponent();

        assertThatThrownBy(() -> fresh.setIoBufferSize(100))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("ioBufferSize")
                .hasMessageContaining("100")
                .hasMessageContaining("1024");
        // as Camel Main binds camel.component.workflow-http.ioBufferSize
        assertThatThrownBy(() -> PropertyBindingSupport.build()
                        .withCamelContext(context)
                        .withTarget(fresh)
                        .withProperty("ioBufferSize", "4194304")
                        .bind())
                .hasStackTraceContaining("Invalid value for component option ioBufferSize: 4194304");
    }
}
