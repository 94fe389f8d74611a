package dev.workflowhttp.component;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.workflowhttp.BodyMode;
import dev.workflowhttp.internal.http.ProxySettings;
import dev.workflowhttp.internal.http.StatusCodes;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.RestrictedNetworks;
import dev.workflowhttp.internal.util.Durations;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of one {@code workflow-http} endpoint. The same names, as {@code CamelWorkflowHttp<Option>} headers,
 * override them for one exchange.
 */
@UriParams
public final class WorkflowHttpConfiguration implements Cloneable {

    /** Every option name, as written in the endpoint URI: the {@code @UriParam} fields of this class, in order. */
    public static final List<String> OPTIONS;
    /** Options whose values are credentials ({@code @UriParam(secret = true)}): masked wherever they are shown. */
    public static final Set<String> SECRET_OPTIONS;
    /** Options no {@code CamelWorkflowHttp<Option>} header can override ({@link EndpointOnly}). */
    public static final Set<String> ENDPOINT_ONLY;

    static {
        List<String> options = new ArrayList<>();
        Set<String> secret = new LinkedHashSet<>();
        Set<String> endpointOnly = new LinkedHashSet<>();
        for (Field field : WorkflowHttpConfiguration.class.getDeclaredFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            if (param == null) {
                continue;
            }
            String name = param.name().isEmpty() ? field.getName() : param.name();
            options.add(name);
            if (param.secret()) {
                secret.add(name);
            }
            if (field.isAnnotationPresent(EndpointOnly.class)) {
                endpointOnly.add(name);
            }
        }
        OPTIONS = List.copyOf(options);
        SECRET_OPTIONS = Collections.unmodifiableSet(secret);
        ENDPOINT_ONLY = Collections.unmodifiableSet(endpointOnly);
    }

    /** Options whose values may be shown as they are (every option but the secret ones). */
    public static Set<String> shownOptions() {
        Set<String> shown = new LinkedHashSet<>(OPTIONS);
        shown.removeAll(SECRET_OPTIONS);
        return shown;
    }

    private static final List<String> METHODS = List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS",
            "TRACE");

    @UriParam(description = "HTTP method: GET, or POST when the step has a body or form and no method is set.",
              enums = "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS,TRACE")
    private String method;
    @UriParam(defaultValue = "30s", javaType = "java.time.Duration",
              description = "The whole-call deadline: lease, connect, TLS, send, headers, body; 0 for none.")
    private Duration timeout = Duration.ofSeconds(30);
    @UriParam(defaultValue = "10s", javaType = "java.time.Duration",
              description = "Limit for lease, DNS, connect and TLS; never beyond timeout.")
    private Duration connectTimeout = Duration.ofSeconds(10);
    @UriParam(defaultValue = "0", javaType = "java.time.Duration",
              description = "Longest silence between two received bytes; 0 for off.")
    private Duration idleTimeout = Duration.ZERO;
    @UriParam(defaultValue = "materialize", enums = "materialize,stream",
              description = "materialize: read the body whole before the route goes on; stream: hand on an"
                            + " InputStream at the headers, still bound to the deadline.")
    private BodyMode bodyMode = BodyMode.MATERIALIZE;
    @UriParam(defaultValue = "10485760", description = "Limit on the decoded response body in bytes; -1 for none.")
    private long maxBodySize = 10L * 1024 * 1024;
    @UriParam(defaultValue = "true", description = "Fail the exchange on a status outside okStatusCodes.")
    private boolean throwOnHttpError = true;
    @UriParam(defaultValue = "200-299", description = "Accepted statuses: ranges and single codes, comma separated.")
    private StatusCodes okStatusCodes = StatusCodes.parse("okStatusCodes", "200-299");
    @UriParam(defaultValue = "false", description = "Follow 3xx redirects; the deadline spans every hop.")
    private boolean followRedirects;
    @UriParam(defaultValue = "5", description = "Most redirects followed.")
    private int maxRedirects = 5;
    @EndpointOnly
    @UriParam(defaultValue = "link-local", enums = "none,link-local,private",
              description = "Networks the target may not resolve into.")
    private RestrictedNetworks restrictedNetworks = RestrictedNetworks.LINK_LOCAL;
    @UriParam(label = "security", secret = true, description = "Sends Authorization: Bearer <token>.")
    private String authBearer;
    @UriParam(label = "security", secret = true, description = "User name for basic authentication.")
    private String authUsername;
    @UriParam(label = "security", secret = true, description = "Password for basic authentication.")
    private String authPassword;
    @UriParam(description = "The User-Agent header; camel-workflow-http/<version> by default.")
    private String userAgent;
    @UriParam(description = "Content-Type of the request body.")
    private String contentType;
    @EndpointOnly
    @UriParam(label = "security", javaType = "java.lang.String",
              description = "Host patterns the step may call (and nothing else): names, *.domain wildcards, IP"
                            + " addresses, CIDR networks; comma separated. The component's list applies as well.")
    private HostRules allowedHosts = HostRules.none();
    @EndpointOnly
    @UriParam(label = "security", javaType = "java.lang.String",
              description = "Host patterns the step may not call: names, *.domain wildcards, IP addresses, CIDR"
                            + " networks; comma separated. The component's list applies as well.")
    private HostRules deniedHosts = HostRules.none();
    @EndpointOnly
    @UriParam(label = "security", defaultValue = "false",
              description = "Follow a redirect from https to http; refused by default.")
    private boolean allowInsecureRedirects;
    @EndpointOnly
    @UriParam(label = "security", defaultValue = "false",
              description = "Trust any TLS certificate and host name; logs a warning when the endpoint starts.")
    private boolean insecureSkipVerify;
    @EndpointOnly
    @UriParam(label = "security",
              description = "Trust store, key store and client certificate for TLS (a #bean reference); the"
                            + " component's by default.")
    private SSLContextParameters sslContextParameters;
    @EndpointOnly
    @UriParam(label = "proxy", description = "HTTP proxy host.")
    private String proxyHost;
    @EndpointOnly
    @UriParam(label = "proxy", description = "HTTP proxy port.")
    private Integer proxyPort;
    @EndpointOnly
    @UriParam(label = "proxy", secret = true, description = "Proxy user name (basic authentication).")
    private String proxyUsername;
    @EndpointOnly
    @UriParam(label = "proxy", secret = true, description = "Proxy password.")
    private String proxyPassword;
    @EndpointOnly
    @UriParam(label = "proxy", javaType = "java.lang.String",
              description = "Host patterns reached without the proxy, comma separated (as allowedHosts).")
    private HostRules nonProxyHosts = HostRules.none();

    @UriParam(label = "retry", defaultValue = "0",
              description = "Retries after the first attempt, inside the step's deadline; 0 for none.")
    private int retryAttempts;
    @UriParam(label = "retry", defaultValue = "500ms/2/10s",
              description = "Backoff between attempts: initial/multiplier/max, each wait jittered down by up to half.")
    private RetryBackoff retryBackoff = RetryBackoff.parse("retryBackoff", "500ms/2/10s");
    @UriParam(label = "retry", defaultValue = "429,502,503,504",
              description = "Statuses that are retried (connection failures are retried too).")
    private StatusCodes retryOn = StatusCodes.parse("retryOn", "429,502,503,504");
    @UriParam(label = "retry", defaultValue = "false",
              description = "Also retry POST and PATCH, which are not idempotent.")
    private boolean retryNonIdempotent;

    /**
     * Sets one option from its text (URI) or typed (header) value.
     *
     * @throws IllegalArgumentException naming the option and the value when the value is invalid, or when the name
     *                                  is not an option
     */
    public void apply(String option, Object value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        String text = String.valueOf(value).trim();
        switch (option) {
            case "method" -> method = parseMethod(text);
            case "timeout" -> timeout = Durations.parse(option, value);
            case "connectTimeout" -> connectTimeout = Durations.parse(option, value);
            case "idleTimeout" -> idleTimeout = Durations.parse(option, value);
            case "bodyMode" -> bodyMode = value instanceof BodyMode mode ? mode : BodyMode.parse(option, value);
            case "maxBodySize" -> maxBodySize = parseSize(option, text);
            case "throwOnHttpError" -> throwOnHttpError = parseBoolean(option, value);
            case "okStatusCodes" -> okStatusCodes = StatusCodes.parse(option, text);
            case "followRedirects" -> followRedirects = parseBoolean(option, value);
            case "maxRedirects" -> maxRedirects = (int) parseLong(option, text, 0, 100);
            case "restrictedNetworks" -> restrictedNetworks = RestrictedNetworks.parse(option, text);
            case "authBearer" -> authBearer = text;
            case "authUsername" -> authUsername = text;
            case "authPassword" -> authPassword = String.valueOf(value);
            case "userAgent" -> userAgent = text;
            case "contentType" -> contentType = text;
            case "allowedHosts" -> allowedHosts = HostRules.parse(option, text);
            case "deniedHosts" -> deniedHosts = HostRules.parse(option, text);
            case "allowInsecureRedirects" -> allowInsecureRedirects = parseBoolean(option, value);
            case "insecureSkipVerify" -> insecureSkipVerify = parseBoolean(option, value);
            case "sslContextParameters" -> sslContextParameters = parseSslContextParameters(option, value);
            case "proxyHost" -> proxyHost = text.isEmpty() ? null : text;
            case "proxyPort" -> proxyPort = (int) parseLong(option, text, 1, 65535);
            case "proxyUsername" -> proxyUsername = text;
            case "proxyPassword" -> proxyPassword = String.valueOf(value);
            case "nonProxyHosts" -> nonProxyHosts = HostRules.parse(option, text);
            case "retryAttempts" -> retryAttempts = (int) parseLong(option, text, 0, 100);
            case "retryBackoff" -> retryBackoff = RetryBackoff.parse(option, text);
            case "retryOn" -> retryOn = StatusCodes.parse(option, text);
            case "retryNonIdempotent" -> retryNonIdempotent = parseBoolean(option, value);
            default -> throw new IllegalArgumentException("Unknown option " + option);
        }
    }

    /**
     * Checks the options that only make sense together.
     *
     * @throws IllegalArgumentException naming the options
     */
    public void validate() {
        boolean proxyDetails = proxyPort != null || proxyUsername != null || proxyPassword != null
                || !nonProxyHosts.isEmpty();
        if (proxyHost == null && proxyDetails) {
            throw new IllegalArgumentException("Options proxyPort, proxyUsername, proxyPassword and nonProxyHosts "
                    + "need proxyHost");
        }
        if (proxyHost != null && proxyPort == null) {
            throw new IllegalArgumentException("Option proxyHost needs proxyPort");
        }
        if (proxyPassword != null && proxyUsername == null) {
            throw new IllegalArgumentException("Option proxyPassword needs proxyUsername");
        }
    }

    @Override
    public WorkflowHttpConfiguration clone() {
        try {
            return (WorkflowHttpConfiguration) super.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContextParameters parseSslContextParameters(String option, Object value) {
        if (value instanceof SSLContextParameters parameters) {
            return parameters;
        }
        throw new IllegalArgumentException(String.format(
                "Invalid value for option %s: expected a #bean reference to an SSLContextParameters, got %s", option,
                value instanceof String ? "'" + value + "'" : value.getClass().getName()));
    }

    private static String parseMethod(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option method: '%s' (expected one of %s)", text, String.join(", ", METHODS)));
        }
        return upper;
    }

    private static boolean parseBoolean(String option, Object value) {
        if (value instanceof Boolean flag) {
            return flag;
        }
        String text = String.valueOf(value).trim();
        if ("true".equalsIgnoreCase(text)) {
            return true;
        }
        if ("false".equalsIgnoreCase(text)) {
            return false;
        }
        throw new IllegalArgumentException(String.format(
                "Invalid value for option %s: '%s' (expected true or false)", option, text));
    }

    private static long parseSize(String option, String text) {
        return parseLong(option, text, -1, Long.MAX_VALUE);
    }

    private static long parseLong(String option, String text, long min, long max) {
        try {
            long parsed = Long.parseLong(text);
            if (parsed < min || parsed > max) {
                throw new NumberFormatException();
            }
            return parsed;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%s' (expected a whole number from %d to %d)", option, text, min,
                    max));
        }
    }

    public String getMethod() {
        return method;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public BodyMode getBodyMode() {
        return bodyMode;
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }

    public boolean isThrowOnHttpError() {
        return throwOnHttpError;
    }

    public StatusCodes getOkStatusCodes() {
        return okStatusCodes;
    }

    public boolean isFollowRedirects() {
        return followRedirects;
    }

    public int getMaxRedirects() {
        return maxRedirects;
    }

    public RestrictedNetworks getRestrictedNetworks() {
        return restrictedNetworks;
    }

    public String getAuthBearer() {
        return authBearer;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public int getRetryAttempts() {
        return retryAttempts;
    }

    public RetryBackoff getRetryBackoff() {
        return retryBackoff;
    }

    public StatusCodes getRetryOn() {
        return retryOn;
    }

    public boolean isRetryNonIdempotent() {
        return retryNonIdempotent;
    }

    public String getContentType() {
        return contentType;
    }

    public HostRules getAllowedHosts() {
        return allowedHosts;
    }

    public HostRules getDeniedHosts() {
        return deniedHosts;
    }

    public boolean isAllowInsecureRedirects() {
        return allowInsecureRedirects;
    }

    public boolean isInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** The proxy this endpoint goes through, or null. */
    public ProxySettings getProxy() {
        return proxyHost == null ? null
                : new ProxySettings(proxyHost, proxyPort, proxyUsername, proxyPassword, nonProxyHosts);
    }
}
