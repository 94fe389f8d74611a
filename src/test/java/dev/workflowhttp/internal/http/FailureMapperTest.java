package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpProtocolException;
import dev.workflowhttp.WorkflowHttpTruncatedBodyException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.TruncatedChunkException;
import org.junit.jupiter.api.Test;

/** What the client reports, turned into the step's exceptions by the phase the call was in. */
class FailureMapperTest {

    private static final String URL = "http://127.0.0.1:1/orders?token=xxxxxx";

    @Test
    void aStepExceptionPassesAsItIs() {
        WorkflowHttpException known = new WorkflowHttpBodyTooLargeException(URL, Phase.BODY, 10);

        assertThat(FailureMapper.map(known, Phase.BODY, URL)).isSameAs(known);
        assertThat(FailureMapper.map(new BodyAbortedException(known), Phase.HEADERS, URL))
                .isSameAs(known);
    }

    @Test
    void aConnectionEndingInTheBodyIsATruncatedBody() {
        WorkflowHttpException mapped =
                FailureMapper.map(new ConnectionClosedException("Premature end"), Phase.BODY, URL);

        assertThat(mapped)
                .isInstanceOf(WorkflowHttpTruncatedBodyException.class)
                .hasMessage("response body cut off: Premature end (" + URL + ")");
        assertThat(mapped.getPhase()).isEqualTo(Phase.BODY);
    }

    @Test
    void aTruncatedChunkIsATruncatedBodyButAMalformedOneIsAProtocolError() {
        assertThat(FailureMapper.map(new TruncatedChunkException("cut"), Phase.STREAM, URL))
                .isInstanceOf(WorkflowHttpTruncatedBodyException.class);
        assertThat(FailureMapper.map(new MalformedChunkCodingException("bad size"), Phase.BODY, URL))
                .isInstanceOf(WorkflowHttpProtocolException.class)
                .hasMessage("malformed response in BODY: bad size (" + URL + ")");
    }

    @Test
    void corruptGzipInTheBodyIsAProtocolError() {
        assertThat(FailureMapper.map(new ZipException("invalid block type"), Phase.BODY, URL))
                .isInstanceOf(WorkflowHttpProtocolException.class);
    }

    @Test
    void aMalformedStatusLineBeforeTheBodyIsAProtocolError() {
        assertThat(FailureMapper.map(new ProtocolException("Invalid status line"), Phase.HEADERS, URL))
                .isInstanceOf(WorkflowHttpProtocolException.class)
                .hasMessageContaining("HEADERS");
    }

    @Test
    void connectFailuresAreNamedWithThePhase() {
        assertThat(FailureMapper.map(new UnknownHostException("nowhere.invalid"), Phase.CONNECT, URL))
                .hasMessage("unknown host in phase CONNECT: UnknownHostException: nowhere.invalid (" + URL + ")");
        assertThat(FailureMapper.map(new ConnectException("refused"), Phase.CONNECT, URL))
                .hasMessageStartingWith("connection failed in phase CONNECT");
        assertThat(FailureMapper.map(new SSLHandshakeException("no cert"), Phase.CONNECT, URL))
                .hasMessageStartingWith("TLS failed in phase CONNECT");
        assertThat(FailureMapper.map(new ConnectionClosedException("closed"), Phase.HEADERS, URL))
                .hasMessageStartingWith("server closed the connection without a response in phase HEADERS");
    }

    @Test
    void aUrlInTheClientsMessageIsMaskedInTheMessageAndInTheCause() {
        IOException cause = new IOException(
                "redirect to https://user:pw@other.example/x?key=S3CRET refused",
                new IOException("inner https://other.example/?key=S3CRET"));

        WorkflowHttpException mapped = FailureMapper.map(cause, Phase.HEADERS, URL);

        assertThat(mapped.getMessage())
                .doesNotContain("S3CRET")
                .doesNotContain("user:pw")
                .contains("https://xxxxxx@other.example/x?key=xxxxxx");
        assertThat(mapped.getCause().getMessage())
                .doesNotContain("S3CRET")
                .as("the stand-in names the class it stands for")
                .startsWith("java.io.IOException: ");
        assertThat(mapped.getCause().getCause().getMessage()).doesNotContain("S3CRET");
        assertThat(mapped.getCause().getStackTrace()).isEqualTo(cause.getStackTrace());
    }

    @Test
    void aCauseWithoutAUrlIsKeptAsItIs() {
        IOException cause = new IOException("Connection reset");

        assertThat(FailureMapper.withoutSecrets(cause)).isSameAs(cause);
    }
}
