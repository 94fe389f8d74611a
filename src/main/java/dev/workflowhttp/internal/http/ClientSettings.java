package dev.workflowhttp.internal.http;

import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * What sets one HTTP client (and its connection pool) apart from another: whom TLS trusts and which certificate it
 * presents, and the proxy. Endpoints with equal settings share one client; a connection opened under one setting is
 * never lent to a call under another.
 *
 * @param tls               trust store, key store and client certificate; {@code null} for the JVM's defaults
 * @param insecureSkipVerify trust any certificate and any host name
 * @param proxy             the proxy, or {@code null}
 */
public record ClientSettings(SSLContextParameters tls, boolean insecureSkipVerify, ProxySettings proxy) {

    public static final ClientSettings DEFAULT = new ClientSettings(null, false, null);

    @Override
    public String toString() {
        return "tls=" + (insecureSkipVerify ? "insecure" : tls == null ? "default" : "custom")
                + (proxy == null ? "" : ", " + proxy);
    }
}
