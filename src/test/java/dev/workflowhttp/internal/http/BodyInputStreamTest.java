package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpTruncatedBodyException;
import dev.workflowhttp.support.HostileServer;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A streamed body as a later step reads it, from a server that misbehaves on purpose: a cut connection is an error
 * with the step's exception as cause, never a quiet end; closing early ends the call.
 */
class BodyInputStreamTest {

    @RegisterExtension
    final LoopbackCalls calls = new LoopbackCalls();

    private HostileServer server;

    private InputStream streamFrom(HostileServer.Handler handler, long maxBodySize) throws Exception {
        server = calls.hostileServer(handler);
        LoopbackCalls.Outcome outcome = calls.get(server.url("/feed"), LoopbackCalls.stream(maxBodySize));
        assertThat(outcome.failure()).isNull();
        return (InputStream) outcome.result().body();
    }

    @Test
    void aConnectionCutBeforeTheDeclaredLengthFailsTheReadWithTheTruncatedBodyException() throws Exception {
        InputStream body = streamFrom(
                connection -> {
                    connection.readRequest();
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 100\r\n\r\n0123456789");
                    connection.close();
                },
                -1);

        IOException failure = catchThrowableOfType(IOException.class, body::readAllBytes);

        assertThat(failure.getCause()).isInstanceOf(WorkflowHttpTruncatedBodyException.class);
        assertThat(failure).hasMessageStartingWith("response body cut off");
        IOException again = catchThrowableOfType(IOException.class, body::read);
        assertThat(again)
                .as("a second read learns why too")
                .hasCauseInstanceOf(WorkflowHttpTruncatedBodyException.class);
    }

    @Test
    void aBodyPastMaxBodySizeFailsTheReadWithTheBodyTooLargeException() throws Exception {
        InputStream body = streamFrom(
                connection -> {
                    connection.readRequest();
                    connection.write("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n14\r\n" + "x".repeat(20)
                            + "\r\n0\r\n\r\n");
                },
                10);

        IOException failure = catchThrowableOfType(IOException.class, body::readAllBytes);

        assertThat(failure).hasCauseInstanceOf(WorkflowHttpBodyTooLargeException.class);
    }

    @Test
    void closingBeforeTheEndEndsTheCallAndClosesTheConnection() throws Exception {
        Duration[] closedAfter = new Duration[1];
        InputStream body = streamFrom(
                connection -> {
                    connection.readRequest();
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 1000000\r\n\r\nfirst bytes");
                    closedAfter[0] = connection.awaitClosedByClient(Duration.ofSeconds(10));
                },
                -1);
        assertThat(body.read()).isEqualTo('f');

        body.close();

        org.awaitility.Awaitility.await("the client closed the connection")
                .atMost(Duration.ofSeconds(10))
                .until(() -> server.connections().get(0).handlerDone());
        assertThat(closedAfter[0])
                .as("closed by the client, not by the 10 s wait")
                .isLessThan(Duration.ofSeconds(9));
        assertThat(calls.client.availableConnections())
                .as("not returned to the pool")
                .isZero();
    }

    @Test
    void theEndIsReportedOnlyWhenTheBodyReallyEnded() throws Exception {
        InputStream body = streamFrom(
                connection -> {
                    connection.readRequest();
                    connection.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
                    connection.awaitClosedByClient(Duration.ofSeconds(10));
                },
                -1);

        assertThat(body.readAllBytes()).hasSize(5);
        assertThat(body.read()).isEqualTo(-1);
        org.awaitility.Awaitility.await("a body read whole returns its connection")
                .atMost(Duration.ofSeconds(5))
                .until(() -> calls.client.availableConnections() == 1);
    }
}
