package dev.workflowhttp.internal.limit;

import dev.workflowhttp.internal.net.HostRules;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/**
 * What a limit belongs to: scheme, host and port (RFC 6454), written {@code scheme://host:port} with the port always
 * written out. Host names are compared as written, case ignored (a trailing dot dropped); IP literals by address, so
 * {@code [::1]} and {@code [0:0:0:0:0:0:0:1]} are one origin. Its {@link #toString()} is bounded by the origins a
 * component calls, never a full URL: fit for a meter tag.
 */
public record Origin(String scheme, String host, int port) {

    public Origin {
        if (scheme == null || scheme.isBlank() || host == null || host.isBlank() || port < 0 || port > 65535) {
            throw new IllegalArgumentException(String.format(
                    "Not an origin: scheme '%s', host '%s', port %d (expected scheme://host[:port], e.g. "
                            + "https://api.example.com)",
                    scheme, host, port));
        }
        scheme = scheme.toLowerCase(Locale.ROOT);
        host = canonicalHost(host);
    }

    /** The origin of an absolute URL; the port is the scheme's default when the URL has none. */
    public static Origin of(URI uri) {
        if (uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an absolute URL with a host: '" + uri
                    + "' (expected scheme://host[:port]/..., e.g. https://api.example.com/items)");
        }
        int port = uri.getPort() >= 0 ? uri.getPort() : defaultPort(uri.getScheme());
        return new Origin(uri.getScheme(), uri.getHost(), port);
    }

    /**
     * Reads {@code scheme://host[:port]} (a path, if any, is ignored), as written by {@link #toString()} or by a
     * user.
     */
    public static Origin parse(String text) {
        URI uri;
        try {
            uri = new URI(text == null ? "" : text.trim());
        } catch (URISyntaxException e) {
            uri = null;
        }
        if (uri == null || uri.getScheme() == null || uri.getHost() == null) {
            throw new IllegalArgumentException("Not an origin: '" + text
                    + "' (expected scheme://host[:port], e.g. https://api.example.com or http://127.0.0.1:8080)");
        }
        return of(uri);
    }

    private static int defaultPort(String scheme) {
        return switch (scheme.toLowerCase(Locale.ROOT)) {
            case "https", "wss" -> 443;
            case "http", "ws" -> 80;
            default ->
                throw new IllegalArgumentException(
                        "No default port for scheme '" + scheme + "': write the port (scheme://host:port)");
        };
    }

    private static String canonicalHost(String host) {
        String name = HostRules.normalize(host);
        InetAddress literal = HostRules.literal(name);
        if (literal == null) {
            return name;
        }
        return literal instanceof Inet6Address ? "[" + literal.getHostAddress() + "]" : literal.getHostAddress();
    }

    @Override
    public String toString() {
        return scheme + "://" + host + ":" + port;
    }
}
