package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.Phase;
import dev.workflowhttp.TimeoutScope;
import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpStatusException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import okio.Buffer;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What the response side hands on, against a real loopback server: the whole body at its last byte, a stream at the
 * headers, a bounded body for an error status, and a refusal when the body is larger than allowed.
 */
class ResponseConsumerTest {

    @RegisterExtension
    final LoopbackCalls calls = new LoopbackCalls();

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = calls.mockServer();
    }

    private String url() {
        return LoopbackCalls.url(server, "/orders");
    }

    @Test
    void materializeHandsOnTheWholeBodyAndCompletesTheScope() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .addHeader("Content-Type", "text/plain")
                .body("order 42")
                .build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(-1));

        assertThat(outcome.failure()).isNull();
        assertThat(new String((byte[]) outcome.result().body(), StandardCharsets.UTF_8))
                .isEqualTo("order 42");
        assertThat(outcome.result().contentLength()).isEqualTo(8);
        assertThat(outcome.result().contentType()).startsWith("text/plain");
        assertThat(outcome.scope().getOutcome()).isEqualTo(TimeoutScope.State.COMPLETED);
        outcome.scope().release();
    }

    @Test
    void aResponseWithoutABodyIsAnEmptyBody() throws Exception {
        server.enqueue(new MockResponse.Builder().code(204).build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(-1));

        assertThat((byte[]) outcome.result().body()).isEmpty();
        assertThat(outcome.result().statusCode()).isEqualTo(204);
        outcome.scope().release();
    }

    @Test
    void aDeclaredLengthOverMaxBodySizeIsRefusedAtTheHeaders() throws Exception {
        server.enqueue(new MockResponse.Builder().body("x".repeat(1000)).build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(10));

        assertThat(outcome.failure()).isInstanceOf(WorkflowHttpBodyTooLargeException.class);
        assertThat(((WorkflowHttpBodyTooLargeException) outcome.failure()).getPhase())
                .isEqualTo(Phase.BODY);
        outcome.scope().release();
    }

    @Test
    void aChunkedBodyOverMaxBodySizeFailsAsItArrives() throws Exception {
        server.enqueue(
                new MockResponse.Builder().chunkedBody("x".repeat(1000), 100).build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(10));

        assertThat(outcome.failure())
                .isInstanceOf(WorkflowHttpBodyTooLargeException.class)
                .hasMessageContaining("maxBodySize=10");
        outcome.scope().release();
    }

    @Test
    void anErrorStatusKeepsTheFirst64KiBOfItsBodyAndSaysItWasCut() throws Exception {
        Buffer big = new Buffer().write(new byte[100 * 1024]);
        server.enqueue(new MockResponse.Builder().code(500).body(big).build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(-1));

        assertThat(outcome.result().statusAccepted()).isFalse();
        assertThat(outcome.result().errorBodyCut()).isTrue();
        assertThat((byte[]) outcome.result().body()).hasSize(WorkflowHttpStatusException.MAX_ERROR_BODY);
        outcome.scope().release();
    }

    @Test
    void anErrorStatusWithASmallBodyKeepsItWhole() throws Exception {
        server.enqueue(
                new MockResponse.Builder().code(404).body("no such order").build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.materialize(-1));

        assertThat(outcome.result().statusAccepted()).isFalse();
        assertThat(outcome.result().errorBodyCut()).isFalse();
        assertThat(new String((byte[]) outcome.result().body(), StandardCharsets.UTF_8))
                .isEqualTo("no such order");
        outcome.scope().release();
    }

    @Test
    void streamModeHandsOnAStreamAtTheHeadersThatEndsTheCallAtItsLastByte() throws Exception {
        server.enqueue(new MockResponse.Builder()
                .chunkedBody("a".repeat(200_000), 8192)
                .build());

        LoopbackCalls.Outcome outcome = calls.get(url(), LoopbackCalls.stream(-1));

        assertThat(outcome.scope().getState())
                .as("handed on before the body was read")
                .isEqualTo(TimeoutScope.State.ACTIVE);
        try (InputStream body = (InputStream) outcome.result().body()) {
            assertThat(body.readAllBytes()).hasSize(200_000);
        }
        assertThat(outcome.scope().getState()).isEqualTo(TimeoutScope.State.RELEASED);
        assertThat(outcome.scope().getOutcome()).isEqualTo(TimeoutScope.State.COMPLETED);
    }
}
