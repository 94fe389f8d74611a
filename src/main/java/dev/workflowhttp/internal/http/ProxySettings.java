package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.util.UrlMasking;

/**
 * The HTTP proxy of an endpoint: {@code http://} targets are sent to it as absolute URIs, {@code https://} targets
 * through a {@code CONNECT} tunnel. Hosts matching {@code nonProxyHosts} are reached directly.
 *
 * @param username with {@code password}: basic authentication, sent when the proxy asks for it (407)
 */
public record ProxySettings(String host, int port, String username, String password, HostRules nonProxyHosts) {

    /** Whether {@code targetHost} is reached without the proxy. */
    public boolean bypasses(String targetHost) {
        return nonProxyHosts.matchName(targetHost) != null;
    }

    @Override
    public String toString() {
        // a record's own toString would print the password
        return "proxy " + host + ":" + port + (username == null ? "" : " as " + UrlMasking.MASK)
                + (nonProxyHosts.isEmpty() ? "" : ", not for " + nonProxyHosts);
    }
}
