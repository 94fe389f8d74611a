package dev.workflowhttp.component;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Option names of Camel's {@code http} component that a camel-http user would write on this step. Unknown
 * parameters stay on the target URL, so without this list {@code responseTimeout=5s} would be sent to the target as a
 * query parameter and the timeout the user meant would silently not apply; each is refused with this step's option
 * for the same job.
 */
final class CamelHttpOptionNames {

    private static final String WHOLE_CALL = "this step's deadline is 'timeout' (the whole call: lease, connect, "
            + "TLS, send, headers and body); 'idleTimeout' limits the silence between two received bytes";
    private static final String CONNECT = "this step's 'connectTimeout' limits lease + DNS + connect + TLS, always "
            + "within 'timeout' (the whole call)";
    private static final String OWN_CLIENT = "this step builds its own HTTP client: the deadline is 'timeout', "
            + "'connectTimeout' and 'idleTimeout', the pool is the component's 'maxConnections' and "
            + "'maxConnectionsPerRoute' (camel.component.workflow-http.*)";
    private static final String NO_COUNTERPART = "this step has no such option (see the README's option table)";

    /** Lower-case camel-http name → the pointer to this step's option. */
    private static final Map<String, String> POINTERS = new HashMap<>();
    /** Prefixes of camel-http's nested options ({@code httpClient.responseTimeout=5000}). */
    private static final List<String> NESTED = List.of("httpclient.", "httpconnection.");

    static {
        for (String name : List.of("connectionTimeout", "connectionRequestTimeout")) {
            point(name, CONNECT);
        }
        for (String name : List.of("responseTimeout", "soTimeout", "socketTimeout", "readTimeout")) {
            point(name, WHOLE_CALL);
        }
        point("httpMethod", "this step's option is 'method'");
        point("throwExceptionOnFailure", "this step's option is 'throwOnHttpError'");
        point("okStatusCodeRange", "this step's option is 'okStatusCodes' (ranges and single codes, comma separated)");
        point(
                "connectionsPerRoute",
                "the pool per host is the component's 'maxConnectionsPerRoute' "
                        + "(camel.component.workflow-http.maxConnectionsPerRoute)");
        point(
                "maxTotalConnections",
                "the pool is the component's 'maxConnections' " + "(camel.component.workflow-http.maxConnections)");
        point(
                "authMethod",
                "this step's option is 'authScheme' (basic or digest), with 'authUsername' and "
                        + "'authPassword'; or 'authBearerToken'");
        for (String name : List.of("authenticationPreemptive", "authHost", "authDomain")) {
            point(
                    name,
                    "this step sends basic credentials ('authUsername', 'authPassword') with the first request, "
                            + "digest ones ('authScheme=digest') when the target challenges, or a bearer token "
                            + "('authBearerToken')");
        }
        point("proxyAuthHost", "this step's option is 'proxyHost'");
        point("proxyAuthPort", "this step's option is 'proxyPort'");
        point("proxyAuthUsername", "this step's option is 'proxyUsername'");
        point("proxyAuthPassword", "this step's option is 'proxyPassword'");
        for (String name : List.of("proxyAuthScheme", "proxyAuthMethod", "proxyAuthDomain", "proxyAuthNtHost")) {
            point(
                    name,
                    "this step's proxy options are 'proxyHost', 'proxyPort', 'proxyUsername', 'proxyPassword' "
                            + "(basic) and 'nonProxyHosts'");
        }
        point(
                "x509HostnameVerifier",
                "this step always verifies the host name; trust a certificate with "
                        + "'sslContextParameters', or for tests only 'insecureSkipVerify'");
        point(
                "bridgeEndpoint",
                "this step always calls its endpoint's URL, or the URL in the header " + "CamelWorkflowHttpUrl");
        point("ignoreResponseBody", "a body this step does not need can be left unread with 'bodyMode=stream'");
        for (String name : List.of(
                "httpClient",
                "httpClientConfigurer",
                "httpClientOptions",
                "httpConnectionOptions",
                "clientBuilder",
                "clientConnectionManager",
                "httpContext",
                "useSystemProperties",
                "connectionTimeToLive")) {
            point(name, OWN_CLIENT);
        }
        for (String name : List.of(
                "disableStreamCache",
                "headerFilterStrategy",
                "connectionClose",
                "logHttpActivity",
                "httpActivityListener",
                "skipControlHeaders",
                "skipRequestHeaders",
                "skipResponseHeaders",
                "clearExpiredCookies",
                "contentTypeCharsetEnabled",
                "cookieHandler",
                "cookieStore",
                "copyHeaders",
                "customHostHeader",
                "deleteWithBody",
                "getWithBody",
                "preserveHostHeader",
                "oauth2ResourceIndicator",
                "responsePayloadStreamingThreshold")) {
            point(name, NO_COUNTERPART);
        }
        for (String name : List.of("multipartUpload", "multipartUploadName")) {
            point(
                    name,
                    "this step sends multipart/form-data (fields and files, streamed) from the header "
                            + "CamelWorkflowHttpMultipart");
        }
        for (String name : List.of(
                "oauth2CacheTokens",
                "oauth2CachedTokensDefaultExpirySeconds",
                "oauth2CachedTokensExpirationMarginSeconds")) {
            point(
                    name,
                    "this step always keeps the OAuth2 token until shortly before it expires (30 s, or a tenth of "
                            + "its life when that is shorter), and fetches a new one when the target answers 401");
        }
    }

    private CamelHttpOptionNames() {}

    private static void point(String name, String pointer) {
        POINTERS.put(name.toLowerCase(Locale.ROOT), pointer);
    }

    /**
     * Why {@code name} is refused, when it is a camel-http option name (case ignored) that is not also one of this
     * step's options; null for any other name, which then stays on the target URL.
     */
    static String refusal(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        String pointer = POINTERS.get(lower);
        if (pointer == null && NESTED.stream().anyMatch(lower::startsWith)) {
            pointer = OWN_CLIENT;
        }
        if (pointer == null) {
            return null;
        }
        return String.format(
                "'%s' is an option of Camel's http component, not of this step: %s. (If the target "
                        + "really takes a query parameter of that name, pass it in the header CamelWorkflowHttpParams.)",
                name, pointer);
    }
}
