package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpBodyTooLargeException;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpRestrictedNetworkException;
import dev.workflowhttp.WorkflowHttpStatusException;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.TargetPolicy;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import org.apache.hc.client5.http.DnsResolver;
import org.apache.hc.client5.http.async.methods.SimpleBody;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.classic.methods.HttpUriRequestBase;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.ClassicHttpResponse;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpEntity;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.io.entity.ByteArrayEntity;

/**
 * One call made on the calling thread with the blocking client ({@link PooledClient#blocking()}), for a caller that
 * waits for it anyway: the thread writes the request and reads the answer itself, as camel-http's does, where the
 * asynchronous client would cross to its I/O thread and back. The same promises as {@link HttpCall}: the scope's
 * deadline (or idle timeout, or release) aborts the call by cancelling the request, which closes its connection and
 * ends a blocked read; the target is checked by name and on every resolved address and the connection pinned to the
 * address checked; the body is read whole in {@code materialize} mode, within {@code maxBodySize}; an error status
 * keeps a bounded body. One hop (no redirects), plain {@code http}, no proxy: other calls take the asynchronous client.
 */
public final class BlockingCall {

    private static final int READ_CHUNK = 64 * 1024;

    private BlockingCall() {}

    /**
     * Makes the call on this thread.
     *
     * @return the response, its body read whole; the scope is completed
     * @throws WorkflowHttpException the step's exception; the scope is settled (timed out or failed)
     */
    public static HttpResult run(
            PooledClient client,
            SimpleHttpRequest request,
            HttpClientContext context,
            RealTimeoutScope scope,
            CallSettings settings)
            throws WorkflowHttpException {
        URI uri = uriOf(request);
        HttpUriRequestBase classic = new HttpUriRequestBase(request.getMethod(), uri);
        for (Header header : request.getHeaders()) {
            classic.addHeader(header);
        }
        SimpleBody body = request.getBody();
        if (body != null) {
            classic.setEntity(new ByteArrayEntity(body.getBodyBytes(), body.getContentType()));
        }
        // the blocking client's chain marks the connection made (phase HEADERS) on the call's scope
        CallContext.bindCall(context, scope, null);
        // the deadline, an idle timeout or an early release closes the connection: a blocked read ends at once
        scope.onAbort(failure -> classic.cancel());
        try {
            HttpHost target = checkedTarget(uri, client.dns(), context, settings.url());
            scope.leaseRequested();
            try (ClassicHttpResponse response = client.blocking().executeOpen(target, classic, context)) {
                return read(response, scope, settings);
            }
        } catch (BodyAbortedException e) {
            scope.fail(e.failure());
            throw settled(scope, settings);
        } catch (IOException | RuntimeException e) {
            WorkflowHttpException settled = scope.getFailure();
            if (settled != null) {
                throw settled; // the deadline (or a release) cancelled the request: its own failure
            }
            scope.fail(FailureMapper.map(e, scope.getPhase(), settings.url()));
            throw settled(scope, settings);
        }
    }

    private static HttpResult read(ClassicHttpResponse response, RealTimeoutScope scope, CallSettings settings)
            throws IOException {
        scope.touch();
        int code = response.getCode();
        boolean accepted = settings.okStatusCodes().contains(code);
        boolean errorStatus = !accepted && settings.throwOnHttpError();
        HttpEntity entity = response.getEntity();
        scope.enterPhase(Phase.BODY);
        long length = entity == null ? 0 : entity.getContentLength();
        boolean decoded = entity != null && entity.getContentEncoding() != null;
        long max = errorStatus ? WorkflowHttpStatusException.MAX_ERROR_BODY : settings.maxBodySize();
        if (!errorStatus && max >= 0 && length > max && !decoded) {
            throw new BodyAbortedException(new WorkflowHttpBodyTooLargeException(settings.url(), Phase.BODY, max));
        }
        CollectingSink sink = new CollectingSink(max, length);
        boolean cut = false;
        if (entity != null) {
            // reads as large as the body (up to 64 KiB) go past the connection's own 8 KiB buffer, in fewer calls
            byte[] buffer = new byte[length > 0 ? (int) Math.min(length, READ_CHUNK) : 8192];
            try (InputStream in = entity.getContent()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    scope.touch();
                    if (!sink.append(ByteBuffer.wrap(buffer, 0, n))) {
                        if (!errorStatus) {
                            throw new BodyAbortedException(
                                    new WorkflowHttpBodyTooLargeException(settings.url(), Phase.BODY, max));
                        }
                        // enough of an error body for the exception: the connection is closed, not read on
                        cut = true;
                        break;
                    }
                }
            }
        }
        if (!scope.complete()) {
            throw new IOException("settled before the body was read whole");
        }
        return new HttpResult(
                code,
                response.getReasonPhrase(),
                response.getHeaders(),
                sink.toByteArray(),
                entity == null ? -1 : decoded ? -1 : entity.getContentLength(),
                entity == null ? null : entity.getContentType(),
                accepted || !settings.throwOnHttpError(),
                cut);
    }

    /**
     * The target checked by name and on every address it resolves to, pinned to the first address checked (a second
     * answer, a DNS rebinding, could point elsewhere); the name stays for the {@code Host} header.
     */
    private static HttpHost checkedTarget(URI uri, DnsResolver dns, HttpClientContext context, String url)
            throws UnknownHostException, BodyAbortedException {
        String host = uri.getHost();
        int port = Origins.port(uri);
        TargetPolicy policy = CallContext.policy(context);
        InetAddress literal = HostRules.literal(host);
        InetAddress[] addresses = literal != null ? new InetAddress[] {literal} : dns.resolve(host);
        if (addresses == null || addresses.length == 0) {
            throw new UnknownHostException(host);
        }
        if (policy != null) {
            TargetPolicy.Refusal refusal = policy.checkName(host);
            if (refusal != null) {
                throw refused(url, host, refusal);
            }
            for (InetAddress address : addresses) {
                refusal = policy.checkAddress(host, address);
                if (refusal != null) {
                    throw refused(url, host, refusal);
                }
            }
        }
        return new HttpHost(uri.getScheme(), addresses[0], host, port);
    }

    private static BodyAbortedException refused(String url, String host, TargetPolicy.Refusal refusal) {
        return new BodyAbortedException(new WorkflowHttpRestrictedNetworkException(
                url, HostRules.normalize(host), refusal.rule(), refusal.reason()));
    }

    private static WorkflowHttpException settled(RealTimeoutScope scope, CallSettings settings) {
        WorkflowHttpException failure = scope.getFailure();
        return failure != null
                ? failure
                : new WorkflowHttpException(
                        "call cancelled (" + settings.url() + ")", settings.url(), scope.getPhase());
    }

    private static URI uriOf(SimpleHttpRequest request) {
        try {
            return request.getUri();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
