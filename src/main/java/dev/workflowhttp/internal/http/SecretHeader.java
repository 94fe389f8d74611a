package dev.workflowhttp.internal.http;

import dev.workflowhttp.internal.util.UrlMasking;
import org.apache.hc.core5.http.message.BasicHeader;

/**
 * A request header carrying a credential: sent as it is, but shown masked, for the HTTP client logs headers with
 * their {@code toString()} ({@code org.apache.hc.client5.http.headers} at DEBUG).
 */
public final class SecretHeader extends BasicHeader {

    private static final long serialVersionUID = 1L;

    public SecretHeader(String name, String value) {
        super(name, value, true);
    }

    @Override
    public String toString() {
        return getName() + ": " + UrlMasking.MASK;
    }
}
