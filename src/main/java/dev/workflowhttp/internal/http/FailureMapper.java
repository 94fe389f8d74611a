package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpProtocolException;
import dev.workflowhttp.WorkflowHttpTruncatedBodyException;
import dev.workflowhttp.internal.util.UrlMasking;
import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.util.zip.ZipException;
import javax.net.ssl.SSLException;
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

    private FailureMapper() {}

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
                return new WorkflowHttpProtocolException(url, phase, withoutSecrets(cause));
            }
            if (cause instanceof ZipException || cause instanceof HttpException) {
                return new WorkflowHttpProtocolException(url, phase, withoutSecrets(cause));
            }
            // closed, reset or any other read failure once the body began: what arrived is not the whole body
            return new WorkflowHttpTruncatedBodyException(url, phase, withoutSecrets(cause));
        }
        if (cause instanceof ProtocolException || cause instanceof org.apache.hc.core5.http.ParseException) {
            return new WorkflowHttpProtocolException(url, phase, withoutSecrets(cause));
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
        return new WorkflowHttpException(
                String.format("%s in phase %s: %s (%s)", what, phase, describe(cause), url),
                url,
                phase,
                withoutSecrets(cause));
    }

    private static String describe(Throwable cause) {
        String message = UrlMasking.maskUrlsIn(cause.getMessage());
        return message == null
                ? cause.getClass().getSimpleName()
                : cause.getClass().getSimpleName() + ": " + message;
    }

    /**
     * {@code cause}, or a stand-in with the same class name, masked message and stack trace when a message in its
     * chain holds a URL (a redirect location, say): the cause is printed with the exception wherever it is logged.
     */
    static Throwable withoutSecrets(Throwable cause) {
        if (cause == null || !mentionsUrl(cause)) {
            return cause;
        }
        String message = UrlMasking.maskUrlsIn(cause.getMessage());
        IOException standIn = new IOException(
                cause.getClass().getName() + (message == null ? "" : ": " + message), withoutSecrets(cause.getCause()));
        standIn.setStackTrace(cause.getStackTrace());
        return standIn;
    }

    private static boolean mentionsUrl(Throwable cause) {
        for (Throwable current = cause; current != null; current = current.getCause()) {
            String message = current.getMessage();
            if (message != null && !message.equals(UrlMasking.maskUrlsIn(message))) {
                return true;
            }
            if (current.getCause() == current) {
                break;
            }
        }
        return false;
    }
}
