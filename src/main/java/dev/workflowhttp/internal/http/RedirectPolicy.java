package dev.workflowhttp.internal.http;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.util.CredentialHeaders;
import dev.workflowhttp.internal.util.UrlMasking;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Iterator;
import java.util.Locale;
import org.apache.hc.client5.http.impl.DefaultRedirectStrategy;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpException;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpStatus;
import org.apache.hc.core5.http.protocol.HttpContext;

/**
 * How the step follows redirects, on top of the HTTP client's own handling (which re-plans the route of each hop, so
 * every hop passes the {@code restrictedNetworks} and host checks before it connects):
 * <ul>
 * <li>a redirect from https to http is refused unless {@code allowInsecureRedirects};</li>
 * <li>a redirect back to a request already made in this call is a loop, and more than {@code maxRedirects} is an
 * error: both fail the call rather than return the 3xx;</li>
 * <li>a hop to another origin (scheme, host or port) goes without the credential headers: the client's default
 * refuses such a redirect quietly instead.</li>
 * </ul>
 */
final class RedirectPolicy extends DefaultRedirectStrategy {

    static final RedirectPolicy INSTANCE = new RedirectPolicy();

    private RedirectPolicy() {}

    @Override
    public URI getLocationURI(HttpRequest request, HttpResponse response, HttpContext context) throws HttpException {
        URI location = super.getLocationURI(request, response, context);
        RedirectTrail trail = CallContext.redirects(context);
        if (trail == null) {
            return location;
        }
        URI current = uriOf(request);
        int followed = trail.answeredWithRedirect(request.getMethod(), current);
        if (followed >= trail.maxRedirects()) {
            throw refused(
                    trail,
                    String.format(
                            "too many redirects: more than maxRedirects=%d, the last to %s",
                            trail.maxRedirects(), UrlMasking.mask(location.toString())));
        }
        if (trail.madeBefore(nextMethod(request.getMethod(), response.getCode()), location)) {
            throw refused(
                    trail,
                    String.format(
                            "redirect loop: %s redirects back to %s, already requested in this "
                                    + "call (after %d redirects)",
                            UrlMasking.mask(current.toString()), UrlMasking.mask(location.toString()), followed));
        }
        boolean downgrade =
                "https".equalsIgnoreCase(current.getScheme()) && "http".equalsIgnoreCase(location.getScheme());
        if (downgrade && !trail.allowInsecure()) {
            throw refused(
                    trail,
                    String.format(
                            "redirect from https to http refused: %s redirects to %s (set "
                                    + "allowInsecureRedirects=true to follow it)",
                            UrlMasking.mask(current.toString()), UrlMasking.mask(location.toString())));
        }
        trail.following(location);
        return location;
    }

    @Override
    public boolean isRedirectAllowed(
            HttpHost currentTarget, HttpHost newTarget, HttpRequest redirect, HttpContext context) {
        if (!Origins.same(currentTarget, newTarget)) {
            // the redirect request is the client's fresh copy: what is removed here is gone for every later hop
            for (Iterator<Header> headers = redirect.headerIterator(); headers.hasNext(); ) {
                Header header = headers.next();
                if (header.isSensitive() || CredentialHeaders.isCredential(header.getName())) {
                    headers.remove();
                }
            }
        }
        return true;
    }

    /** The method the client uses for the next hop (see its redirect handling). */
    private static String nextMethod(String method, int status) {
        boolean getOrHead = "GET".equalsIgnoreCase(method) || "HEAD".equalsIgnoreCase(method);
        if (status == HttpStatus.SC_SEE_OTHER && !getOrHead
                || (status == HttpStatus.SC_MOVED_PERMANENTLY || status == HttpStatus.SC_MOVED_TEMPORARILY)
                        && "POST".equalsIgnoreCase(method)) {
            return "GET";
        }
        return method.toUpperCase(Locale.ROOT);
    }

    private static URI uriOf(HttpRequest request) throws HttpException {
        try {
            return request.getUri();
        } catch (URISyntaxException e) {
            throw new HttpException("Invalid request URI", e);
        }
    }

    private static RedirectRefusedException refused(RedirectTrail trail, String what) {
        return new RedirectRefusedException(
                new WorkflowHttpException(what + " (" + trail.url() + ")", trail.url(), Phase.HEADERS));
    }
}
