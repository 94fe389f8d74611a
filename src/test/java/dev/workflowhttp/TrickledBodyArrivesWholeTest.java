package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The regression this project exists for: a body that trickles in over seconds, under a one-hour timeout, reaches
 * the next step whole, in both body modes. A deadline released when the step returned (not when the body was
 * consumed) would cut it off.
 */
class TrickledBodyArrivesWholeTest extends WorkflowHttpTestSupport {

    private static final int LINES = 300;

    private MockWebServer server;
    private String body;

    @BeforeEach
    void startServer() throws Exception {
        server = closeAfterLeakCheck(new MockWebServer());
        server.start(java.net.InetAddress.getLoopbackAddress(), 0);
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < LINES; i++) {
            text.append("line ").append(i).append(" of the feed\n");
        }
        body = text.toString();
        // about 6.5 KB at 256 bytes every 120 ms: a bit over 3 s
        server.enqueue(new MockResponse.Builder()
                .body(body)
                .throttleBody(256, 120, TimeUnit.MILLISECONDS)
                .build());
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void trickledBodyArrivesWholeUnderLongTimeout(String bodyMode) throws Exception {
        String url = server.url("/feed").toString();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:feed")
                        .to("workflow-http:" + url + "?timeout=1h&bodyMode=" + bodyMode)
                        .convertBodyTo(String.class);
            }
        });
        long start = System.nanoTime();
        Exchange result = template.request("direct:feed", exchange -> {});
        long tookMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo(body);
        assertThat(result.getMessage().getHeader("CamelHttpResponseCode")).isEqualTo(200);
        // the server really trickled: otherwise this test would prove nothing
        assertThat(tookMillis).isGreaterThanOrEqualTo(2500);
    }
}
