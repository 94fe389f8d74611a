package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.net.HostRules;
import java.net.InetAddress;
import java.net.URI;
import java.util.Locale;
import org.apache.hc.core5.http.HttpHost;

/**
 * Origins (scheme, host, port; RFC 6454) of http and https targets: what decides whether credentials go along — to
 * a redirect's next hop, a next page, the target of an OAuth2 token.
 */
public final class Origins {

    private Origins() {}

    public static boolean same(URI a, URI b) {
        return same(a.getScheme(), a.getHost(), a.getPort(), b.getScheme(), b.getHost(), b.getPort());
    }

    public static boolean same(HttpHost a, HttpHost b) {
        return same(a.getSchemeName(), a.getHostName(), a.getPort(), b.getSchemeName(), b.getHostName(), b.getPort());
    }

    /** The URL's port, or the one its scheme implies when none is written. */
    public static int port(URI uri) {
        return port(uri.getScheme(), uri.getPort());
    }

    /** {@code scheme://host:port}, the port written out. */
    public static String of(URI uri) {
        return uri.getScheme().toLowerCase(Locale.ROOT) + "://" + uri.getHost() + ":" + port(uri);
    }

    private static boolean same(String schemeA, String hostA, int portA, String schemeB, String hostB, int portB) {
        return schemeA.equalsIgnoreCase(schemeB)
                && sameHost(hostA, hostB)
                && port(schemeA, portA) == port(schemeB, portB);
    }

    /** Names compared as written (case ignored); IP literals by address ({@code [::1]} is {@code [0:0:0:0:0:0:0:1]}). */
    private static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        InetAddress literalA = HostRules.literal(a);
        return literalA != null && literalA.equals(HostRules.literal(b));
    }

    private static int port(String scheme, int port) {
        return port >= 0 ? port : "https".equalsIgnoreCase(scheme) ? 443 : 80;
    }
}
