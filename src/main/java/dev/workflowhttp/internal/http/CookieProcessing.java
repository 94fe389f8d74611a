package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.util.UrlMasking;
import java.net.URISyntaxException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import org.apache.hc.client5.http.RouteInfo;
import org.apache.hc.client5.http.cookie.Cookie;
import org.apache.hc.client5.http.cookie.CookieOrigin;
import org.apache.hc.client5.http.cookie.CookieSpec;
import org.apache.hc.client5.http.cookie.CookieStore;
import org.apache.hc.client5.http.cookie.MalformedCookieException;
import org.apache.hc.client5.http.impl.cookie.RFC6265CookieSpecFactory;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.client5.http.psl.PublicSuffixMatcherLoader;
import org.apache.hc.core5.http.EntityDetails;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.http.HttpHeaders;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.HttpRequestInterceptor;
import org.apache.hc.core5.http.HttpResponse;
import org.apache.hc.core5.http.HttpResponseInterceptor;
import org.apache.hc.core5.http.Method;
import org.apache.hc.core5.http.URIScheme;
import org.apache.hc.core5.http.protocol.HttpContext;
import org.apache.hc.core5.net.URIAuthority;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The client's cookie handling, in place of HttpClient's own ({@code RequestAddCookies},
 * {@code ResponseProcessCookies}), which print cookie values: a rejected cookie at WARN, every cookie accepted or
 * sent at DEBUG. Here no cookie value is handed to a logger. The rules are the client's (RFC 6265, strict, with the
 * public suffix list): on each hop, the cookies of the call's store that match its origin go out in a {@code Cookie}
 * header shown masked, and the {@code Set-Cookie} headers of the answer are parsed and checked against that origin
 * before they are kept.
 */
final class CookieProcessing implements HttpRequestInterceptor, HttpResponseInterceptor {

    static final CookieProcessing INSTANCE = new CookieProcessing();

    private static final Logger LOG = LoggerFactory.getLogger(CookieProcessing.class);

    private final CookieSpec spec = new RFC6265CookieSpecFactory(
                    RFC6265CookieSpecFactory.CompatibilityLevel.STRICT, PublicSuffixMatcherLoader.getDefault())
            .create(null);

    private CookieProcessing() {}

    @Override
    public void process(HttpRequest request, EntityDetails entity, HttpContext httpContext) {
        if (Method.CONNECT.isSame(request.getMethod()) || Method.TRACE.isSame(request.getMethod())) {
            return;
        }
        HttpClientContext context = HttpClientContext.castOrCreate(httpContext);
        CookieStore store = context.getCookieStore();
        RouteInfo route = context.getHttpRoute();
        if (store == null || route == null) {
            return;
        }
        CookieOrigin origin = originOf(request, route);
        // kept for the answer to this hop: its Set-Cookie headers are judged against the origin it came from
        context.setCookieOrigin(origin);
        Instant now = Instant.now();
        List<Cookie> matching = new ArrayList<>();
        boolean expired = false;
        for (Cookie cookie : store.getCookies()) {
            if (cookie.isExpired(now)) {
                expired = true;
            } else if (spec.match(cookie, origin)) {
                matching.add(cookie);
            }
        }
        if (expired) {
            store.clearExpired(now);
        }
        if (!matching.isEmpty()) {
            for (Header header : spec.formatCookies(matching)) {
                request.addHeader(new SecretHeader(header.getName(), header.getValue()));
            }
        }
    }

    @Override
    public void process(HttpResponse response, EntityDetails entity, HttpContext httpContext) {
        HttpClientContext context = HttpClientContext.castOrCreate(httpContext);
        CookieStore store = context.getCookieStore();
        CookieOrigin origin = context.getCookieOrigin();
        if (store == null || origin == null) {
            return;
        }
        Iterator<Header> headers = response.headerIterator(HttpHeaders.SET_COOKIE);
        while (headers.hasNext()) {
            Header header = headers.next();
            List<Cookie> cookies;
            try {
                cookies = spec.parse(header, origin);
            } catch (MalformedCookieException e) {
                // the parser's message may quote the header, value and all
                LOG.warn("Set-Cookie header from {} ignored: it is not a valid cookie", origin.getHost());
                continue;
            }
            for (Cookie cookie : cookies) {
                try {
                    spec.validate(cookie, origin);
                    store.addCookie(cookie);
                } catch (MalformedCookieException e) {
                    LOG.warn(
                            "cookie {} rejected (domain {}, path {}) from {}: {}",
                            cookie.getName(),
                            cookie.getDomain(),
                            cookie.getPath(),
                            origin.getHost(),
                            withoutValue(e, cookie));
                }
            }
        }
    }

    private static CookieOrigin originOf(HttpRequest request, RouteInfo route) {
        URIAuthority authority = request.getAuthority();
        String host = authority != null
                ? authority.getHostName()
                : route.getTargetHost().getHostName();
        int port = authority != null && authority.getPort() >= 0
                ? authority.getPort()
                : route.getTargetHost().getPort();
        String path;
        try {
            path = request.getUri().getPath();
        } catch (URISyntaxException e) {
            path = request.getPath();
        }
        if (path == null || path.isEmpty()) {
            path = "/";
        }
        boolean secure = route.isSecure() || URIScheme.HTTPS.same(request.getScheme());
        return new CookieOrigin(host, Math.max(port, 0), path, secure);
    }

    /** The reason a cookie was refused, with its value masked should the reason quote it. */
    private static String withoutValue(MalformedCookieException e, Cookie cookie) {
        String reason = String.valueOf(e.getMessage());
        String value = cookie.getValue();
        return value == null || value.isEmpty() ? reason : reason.replace(value, UrlMasking.MASK);
    }
}
