package dev.workflowhttp.client;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.zip.ZipException;

import javax.net.ssl.SSLException;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpProtocolException;
import dev.workflowhttp.WorkflowHttpTruncatedBodyException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.MalformedChunkCodingException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.http.ProtocolException;
import org.apache.hc.core5.http.TruncatedChunkException;

/**
 * Turns what the HTTP client reports into the step's errors, by the phase the call was in.
 */
final class FailureMapper {

    private FailureMapper() {
    }

    static WorkflowHttpException map(Throwable cause, Phase phase, String url) {
        if (cause instanceof WorkflowHttpException known) {
            return known;
        }
        if (cause instanceof BodyAbortedException aborted) {
            return aborted.failure();
        }
        if (cause instanceof RedirectRefusedException refused) {
            return refused.failure();
        }
        boolean bodyStarted = phase == Phase.BODY || phase == Phase.STREAM;
        if (bodyStarted) {
            if (cause instanceof MalformedChunkCodingException && !(cause instanceof TruncatedChunkException)) {
                return new WorkflowHttpProtocolException(url, phase, cause);
            }
            if (cause instanceof ZipException || cause instanceof HttpException) {
                return new WorkflowHttpProtocolException(url, phase, cause);
            }
            // closed, reset or any other read failure once the body began: what arrived is not the whole body
            return new WorkflowHttpTruncatedBodyException(url, phase, cause);
        }
        if (cause instanceof ProtocolException || cause instanceof org.apache.hc.core5.http.ParseException) {
            return new WorkflowHttpProtocolException(url, phase, cause);
        }
        String what;
        if (cause instanceof UnknownHostException) {
            what = "unknown host";
        } else if (cause instanceof ConnectException || cause instanceof NoRouteToHostException) {
            what = "connection failed";
        } else if (cause instanceof SSLException) {
            what = "TLS failed";
        } else if (cause instanceof NoHttpResponseException || cause instanceof ConnectionClosedException) {
            what = "server closed the connection without a response";
        } else {
            what = "request failed";
        }
        return new WorkflowHttpException(String.format("%s in phase %s: %s (%s)", what, phase,
                describe(cause), url), url, phase, cause);
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message == null ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + message;
    }
}
