package dev.workflowhttp.internal.util;

import java.util.Locale;
import java.util.Set;

/**
 * Request headers that carry credentials: their values are never written to a log or a message, and they are not
 * sent on to a redirect hop of another origin.
 * <p>
 * {@code Authorization}, {@code Proxy-Authorization}, {@code Cookie} and the usual API-key headers by name, and any
 * header whose name says it holds a token, a secret, a password, a session or an API key
 * ({@code X-Auth-Token}, {@code X-Client-Secret}, {@code X-Api-Key}, ...).
 */
public final class CredentialHeaders {

    private static final Set<String> NAMES = Set.of("authorization", "proxy-authorization", "cookie", "set-cookie");
    private static final String[] NAME_PARTS = {
        "token", "secret", "password", "passwd", "session", "api-key", "apikey", "api_key", "credential", "signature"
    };

    private CredentialHeaders() {}

    public static boolean isCredential(String headerName) {
        String name = headerName.toLowerCase(Locale.ROOT);
        if (NAMES.contains(name)) {
            return true;
        }
        for (String part : NAME_PARTS) {
            if (name.contains(part)) {
                return true;
            }
        }
        return false;
    }
}
