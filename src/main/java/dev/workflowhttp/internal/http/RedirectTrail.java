package dev.workflowhttp.internal.http;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The redirects of one call so far, and the rules they follow: at most {@code maxRedirects}, never back to a
 * request already made, and from https to http only when {@code allowInsecureRedirects} is set.
 */
public final class RedirectTrail {

    private final int maxRedirects;
    private final boolean allowInsecure;
    private final String url;
    private final List<String> requests = new ArrayList<>();
    private int followed;
    private URI location;

    /**
     * @param url the call's target, masked, for messages
     */
    public RedirectTrail(int maxRedirects, boolean allowInsecure, String url) {
        this.maxRedirects = maxRedirects;
        this.allowInsecure = allowInsecure;
        this.url = url;
    }

    int maxRedirects() {
        return maxRedirects;
    }

    boolean allowInsecure() {
        return allowInsecure;
    }

    String url() {
        return url;
    }

    /** Records the request that was answered with a redirect; returns how many redirects were followed before. */
    synchronized int answeredWithRedirect(String method, URI uri) {
        String request = request(method, uri);
        if (!requests.contains(request)) {
            requests.add(request);
        }
        return followed++;
    }

    /** Records the location a redirect is followed to. */
    synchronized void following(URI next) {
        location = next;
    }

    /**
     * The URL of the last redirect followed, which is where the response came from (the base of the references in
     * it), or null when the call was not redirected.
     */
    public synchronized URI lastLocation() {
        return location;
    }

    /** Whether the same request was made before in this call. */
    synchronized boolean madeBefore(String method, URI uri) {
        return requests.contains(request(method, uri));
    }

    /**
     * A request as the server sees it: the same whether the URL writes its scheme's default port or not, its scheme
     * and host in upper or lower case, or an empty path for {@code /}. The fragment never reaches the server.
     */
    private static String request(String method, URI uri) {
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        return method + " " + Origins.of(uri).toLowerCase(Locale.ROOT) + path + query;
    }
}
