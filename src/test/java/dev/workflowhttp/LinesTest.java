package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * Walking a streamed body's lines: a body cut off or a deadline passed mid-body fails the split loudly, with the
 * step's exception among the causes; long lines arrive whole.
 */
class LinesTest extends WorkflowHttpTestSupport {

    private final List<String> seen = new CopyOnWriteArrayList<>();

    /** Declares 10 lines' worth of bytes, sends three lines, then closes. */
    private HostileServer cutOffFeed() throws Exception {
        return closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\nline-1\nline-2\nline-3\n");
            connection.close();
        }));
    }

    private void route(String url, boolean withLines) throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                var split = from("direct:walk").to("workflow-http:" + url + "?bodyMode=stream&timeout=10s");
                (withLines ? split.split(method(Lines.class, "of")) : split.split(body().tokenize("\n")))
                        .streaming()
                        .stopOnException()
                        .process(e -> seen.add(e.getMessage().getBody(String.class)))
                        .end();
            }
        });
    }

    @Test
    void cutOffBodyFailsTheSplitLoudly() throws Exception {
        route(cutOffFeed().url("/feed"), true);
        Exchange result = template.request("direct:walk", e -> {});
        assertThat(result.getException()).as("the split's outcome").isNotNull();
        assertThat(causes(result.getException())).anyMatch(WorkflowHttpTruncatedBodyException.class::isInstance);
        // lines decoded ahead of the failure may be lost with it; none is invented and the failure is reported
        assertThat(seen).hasSizeLessThanOrEqualTo(3);
        assertThat(seen).isEqualTo(List.of("line-1", "line-2", "line-3").subList(0, seen.size()));
    }

    /**
     * Camel's own tokenizer (Camel 4.18) reports the read error too, with the step's exception among the causes, so
     * {@code onException} for it matches either way.
     */
    @Test
    void camelsTokenizerAlsoFailsWithTheStepsError() throws Exception {
        route(cutOffFeed().url("/feed"), false);
        Exchange result = template.request("direct:walk", e -> {});
        assertThat(result.getException()).as("the split's outcome").isNotNull();
        assertThat(causes(result.getException())).anyMatch(WorkflowHttpTruncatedBodyException.class::isInstance);
    }

    @Test
    void deadlinePassingMidBodyFailsTheSplitInStreamPhase() throws Exception {
        HostileServer trickling = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n");
            for (int i = 0; i < 100; i++) {
                String line = "line-" + i + "\n";
                connection.write(Integer.toHexString(line.length()) + "\r\n" + line + "\r\n");
                Thread.sleep(100);
            }
        }));
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:slow")
                        .to("workflow-http:" + trickling.url("/slow") + "?bodyMode=stream&timeout=700ms")
                        .split(method(Lines.class, "of"))
                        .streaming()
                        .stopOnException()
                        .process(e -> seen.add(e.getMessage().getBody(String.class)))
                        .end();
            }
        });
        Exchange result = template.request("direct:slow", e -> {});
        WorkflowHttpTimeoutException timeout = causes(result.getException()).stream()
                .filter(WorkflowHttpTimeoutException.class::isInstance)
                .map(WorkflowHttpTimeoutException.class::cast)
                .findFirst()
                .orElseThrow(() -> new AssertionError("no timeout among " + causes(result.getException())));
        assertThat(timeout.getPhase()).isEqualTo(Phase.STREAM);
        assertThat(seen).isNotEmpty().hasSizeLessThan(100);
    }

    @Test
    void linesLongerThan64KiBArriveWhole() throws Exception {
        String longLine = "x".repeat(200 * 1024);
        byte[] body = ("short\n" + longLine + "\nlast").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        HostileServer server = closeAfterLeakCheck(HostileServer.start(connection -> {
            connection.readRequest();
            connection.write("HTTP/1.1 200 OK\r\nContent-Length: " + body.length + "\r\n\r\n");
            connection.write(body);
            connection.awaitClosedByClient(Duration.ofSeconds(10));
        }));
        route(server.url("/long"), true);
        Exchange result = template.request("direct:walk", e -> {});
        assertThat(result.getException()).isNull();
        assertThat(seen).containsExactly("short", longLine, "last");
    }

    private static List<Throwable> causes(Throwable failure) {
        List<Throwable> chain = new java.util.ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t); t = t.getCause()) {
            chain.add(t);
        }
        return chain;
    }
}
