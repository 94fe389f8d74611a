package dev.workflowhttp.component;

import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.fasterxml.jackson.core.JsonPointer;
import dev.workflowhttp.BodyMode;
import dev.workflowhttp.internal.http.ProxySettings;
import dev.workflowhttp.internal.http.StatusCodes;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.RestrictedNetworks;
import dev.workflowhttp.internal.util.Durations;
import org.apache.camel.CamelContext;
import org.apache.camel.RuntimeCamelException;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.GeneratedPropertyConfigurer;
import org.apache.camel.spi.PropertyConfigurerGetter;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of one {@code workflow-http} endpoint. The same names, as {@code CamelWorkflowHttp<Option>} headers,
 * override them for one exchange.
 */
@UriParams
@Configurer
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
    @UriParam(defaultValue = "200-299", javaType = "java.lang.String",
              description = "Accepted statuses: ranges and single codes, comma separated.")
    private StatusCodes okStatusCodes = StatusCodes.parse("okStatusCodes", "200-299");
    @UriParam(defaultValue = "false", description = "Follow 3xx redirects; the deadline spans every hop.")
    private boolean followRedirects;
    @UriParam(defaultValue = "5", description = "Most redirects followed.")
    private int maxRedirects = 5;
    @EndpointOnly
    @UriParam(defaultValue = "link-local", enums = "none,link-local,private",
              description = "Networks the target may not resolve into.")
    private RestrictedNetworks restrictedNetworks = RestrictedNetworks.LINK_LOCAL;
    @UriParam(label = "security", secret = true,
              description = "Sends the header Authorization: Bearer followed by this token (wins over basic).")
    private String authBearerToken;
    @UriParam(label = "security", secret = true, description = "User name for basic authentication.")
    private String authUsername;
    @UriParam(label = "security", secret = true, description = "Password for basic authentication.")
    private String authPassword;
    @UriParam(label = "security", defaultValue = "basic", enums = "basic,digest",
              description = "How authUsername and authPassword are sent: basic, with the first request; digest, in"
                            + " answer to the server's challenge (a second request, within the same deadline), only to"
                            + " the target's host and port.")
    private String authScheme = "basic";
    @EndpointOnly
    @UriParam(label = "security",
              description = "OAuth2 client credentials: the token endpoint's URL. The token is fetched when first"
                            + " needed (within the call's deadline), kept until shortly before it expires, fetched"
                            + " once however many calls need it, sent as Authorization: Bearer, and fetched again once"
                            + " when the target answers 401.")
    private String oauth2TokenEndpoint;
    @EndpointOnly
    @UriParam(label = "security", secret = true, description = "OAuth2 client id.")
    private String oauth2ClientId;
    @EndpointOnly
    @UriParam(label = "security", secret = true, description = "OAuth2 client secret.")
    private String oauth2ClientSecret;
    @EndpointOnly
    @UriParam(label = "security", description = "OAuth2 scope asked for (space separated); none by default.")
    private String oauth2Scope;
    @EndpointOnly
    @UriParam(label = "security", defaultValue = "false",
              description = "Send the OAuth2 client id and secret in the token request's form instead of HTTP basic"
                            + " authentication.")
    private boolean oauth2BodyAuthentication;
    @UriParam(description = "The User-Agent header; camel-workflow-http and the version by default.")
    private String userAgent;
    @UriParam(description = "Content-Type of the request body.")
    private String contentType;
    @EndpointOnly
    @UriParam(label = "security", javaType = "java.lang.String",
              description = "Host patterns the step may call (and nothing else): names, wildcard names (star dot domain), IP"
                            + " addresses, CIDR networks; comma separated. The component's list applies as well.")
    private HostRules allowedHosts = HostRules.none();
    @EndpointOnly
    @UriParam(label = "security", javaType = "java.lang.String",
              description = "Host patterns the step may not call: names, wildcard names (star dot domain), IP addresses, CIDR"
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
    @UriParam(label = "retry", defaultValue = "500ms/2/10s", javaType = "java.lang.String",
              description = "Backoff between attempts: initial/multiplier/max, each wait jittered down by up to half.")
    private RetryBackoff retryBackoff = RetryBackoff.parse("retryBackoff", "500ms/2/10s");
    @UriParam(label = "retry", defaultValue = "429,502,503,504", javaType = "java.lang.String",
              description = "Statuses that are retried (connection failures are retried too).")
    private StatusCodes retryOn = StatusCodes.parse("retryOn", "429,502,503,504");
    @UriParam(label = "retry", defaultValue = "false",
              description = "Also retry POST and PATCH, which are not idempotent.")
    private boolean retryNonIdempotent;

    @UriParam(label = "polling", defaultValue = "false",
              description = "For a GET polled again and again: remember the target's ETag and Last-Modified and send"
                            + " If-None-Match / If-Modified-Since next time; a 304 Not Modified is then a success with an"
                            + " empty body and the header CamelWorkflowHttpNotModified=true, for the route to filter on.")
    private boolean conditionalGet;

    @EndpointOnly
    @UriParam(label = "polling", javaType = "org.apache.camel.spi.StateRepository<String, String>",
              description = "Where conditionalGet remembers the validators (a #bean reference to a Camel"
                            + " StateRepository, which several instances may share); the component's own, in memory,"
                            + " by default.")
    private StateRepository<String, String> conditionalRepository;

    @UriParam(label = "pagination",
              description = "Follow the pages of a GET, all under the step's one deadline, and hand them on as one"
                            + " List of page bodies: link, the Link header's rel=next (RFC 8288); or a JSON Pointer"
                            + " such as /links/next, the next page's URL (or, with cursorParam, its cursor) in each"
                            + " page's JSON body. A page without a next one is the last. Off when empty.")
    private String nextPage;
    @UriParam(label = "pagination",
              description = "With nextPage set to a JSON Pointer: the value found there is a cursor, sent as this query"
                            + " parameter of the first page's URL (cursorParam=cursor gives ?cursor=...).")
    private String cursorParam;
    @UriParam(label = "pagination", defaultValue = "100",
              description = "Most pages fetched; a page that points to one more fails the step (naming it) rather"
                            + " than hand on fewer pages than there are.")
    private int maxPages = 100;
    @UriParam(defaultValue = "none", enums = "none,exchange",
              description = "Cookies a server sets: none (not kept, not sent), or exchange: kept for the rest of the"
                            + " exchange (a login step, then calls) and sent where the cookie's domain and path"
                            + " allow; never shared between exchanges.")
    private String cookies = "none";

    // endpoint only: a simple expression from a message header would be code from data
    @EndpointOnly
    @UriParam(label = "retry",
              description = "Sends an Idempotency-Key header with POST and PATCH, the same on every attempt of the same"
                            + " message (the step's retries and Camel's redeliveries), so that a server that honours"
                            + " it runs the request once: messageId (the Camel message id, which a JMS redelivery keeps)"
                            + " or a simple expression such as ${header.orderId}. Off when empty.")
    private String idempotencyKey;

    @EndpointOnly
    @UriParam(label = "advanced", defaultValue = "false",
              description = "Run the rest of the route on the HTTP client's I/O thread that completed the call,"
                            + " instead of handing it to a continuation thread: one thread hand-off less per call."
                            + " Only for bodyMode=materialize, and only for routes whose later steps never block: a"
                            + " blocked I/O thread stalls every call it serves.")
    private boolean continueOnIoThread;

    /**
     * Camel's configurer generated from this class's {@code @UriParam} fields (by camel-component-maven-plugin, after
     * this class is compiled, hence looked up by name): it calls the setters.
     */
    private static final class Generated {
        static final GeneratedPropertyConfigurer CONFIGURER = load();

        private static GeneratedPropertyConfigurer load() {
            String name = WorkflowHttpConfiguration.class.getName() + "Configurer";
            try {
                return (GeneratedPropertyConfigurer) Class.forName(name, true,
                        WorkflowHttpConfiguration.class.getClassLoader()).getDeclaredConstructor().newInstance();
            } catch (ReflectiveOperationException | LinkageError e) {
                throw new IllegalStateException(name + " is missing: the jar was built without Camel's "
                        + "camel-component-maven-plugin (build it with Maven)", e);
            }
        }
    }

    /**
     * Sets one option from its text (URI) or typed (header) value: the value is read strictly as the option's type
     * ({@link OptionValues}: "banana" is no duration, "5s" no port), then the generated configurer calls the setter,
     * which checks its range.
     *
     * @throws IllegalArgumentException naming the option and the value when the value is invalid, or when the name
     *                                  is not an option
     */
    public void apply(CamelContext context, String option, Object value) {
        Class<?> type = optionType(option);
        if (type == null) {
            throw new IllegalArgumentException("Unknown option " + option);
        }
        Object typed = OptionValues.parse(option, type, value);
        try {
            Generated.CONFIGURER.configure(context, this, option, typed, false);
        } catch (RuntimeCamelException e) {
            // a setter's own refusal, wrapped by the configurer
            if (e.getCause() instanceof IllegalArgumentException refusal) {
                throw refusal;
            }
            throw e;
        }
    }

    /** The Java type of an option as the generated configurer binds it, or null for a name that is no option. */
    public static Class<?> optionType(String option) {
        return ((PropertyConfigurerGetter) Generated.CONFIGURER).getOptionType(option, false);
    }

    /**
     * Checks the options that only make sense together.
     *
     * @throws IllegalArgumentException naming the options
     */
    public void validate() {
        if (nextPage != null) {
            if (method != null && !method.equals("GET")) {
                throw new IllegalArgumentException("Option nextPage follows the pages of a GET, not of a " + method);
            }
            if (bodyMode == BodyMode.STREAM) {
                throw new IllegalArgumentException("Option nextPage cannot be combined with bodyMode=stream: the pages"
                        + " are read whole and handed on together");
            }
            if (conditionalGet) {
                throw new IllegalArgumentException("Option nextPage cannot be combined with conditionalGet");
            }
            if (cursorParam != null && nextPage.equals(Pagination.LINK)) {
                throw new IllegalArgumentException("Option cursorParam needs nextPage to be a JSON Pointer (the "
                        + "cursor's place in the body), not link");
            }
        } else if (cursorParam != null) {
            throw new IllegalArgumentException("Option cursorParam needs nextPage (a JSON Pointer to the cursor)");
        }
        if (oauth2TokenEndpoint != null) {
            if (oauth2ClientId == null || oauth2ClientSecret == null) {
                throw new IllegalArgumentException("Option oauth2TokenEndpoint needs oauth2ClientId and "
                        + "oauth2ClientSecret");
            }
            if (authBearerToken != null || authUsername != null) {
                throw new IllegalArgumentException("Option oauth2TokenEndpoint cannot be combined with "
                        + (authBearerToken != null ? "authBearerToken" : "authUsername")
                        + ": the step sends the OAuth2 token as its Authorization");
            }
        } else if (oauth2ClientId != null || oauth2ClientSecret != null || oauth2Scope != null
                || oauth2BodyAuthentication) {
            throw new IllegalArgumentException("Options oauth2ClientId, oauth2ClientSecret, oauth2Scope and "
                    + "oauth2BodyAuthentication need oauth2TokenEndpoint");
        }
        if (continueOnIoThread && bodyMode == BodyMode.STREAM) {
            throw new IllegalArgumentException("Option continueOnIoThread cannot be combined with bodyMode=stream: a "
                    + "later step reading the stream would wait on the very thread that delivers its bytes");
        }
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


    private static String parseMethod(String text) {
        String upper = text.toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option method: '%s' (expected one of %s)", text, String.join(", ", METHODS)));
        }
        return upper;
    }





    // ---- setters: what the generated configurer calls, each value already of its type; each checks its range

    public void setMethod(String method) {
        this.method = method == null ? null : parseMethod(method.trim());
    }

    public void setTimeout(Duration timeout) {
        this.timeout = notNegative("timeout", timeout);
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = notNegative("connectTimeout", connectTimeout);
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = notNegative("idleTimeout", idleTimeout);
    }

    public void setBodyMode(BodyMode bodyMode) {
        this.bodyMode = required("bodyMode", bodyMode);
    }

    public void setMaxBodySize(long maxBodySize) {
        this.maxBodySize = inRange("maxBodySize", maxBodySize, -1, Long.MAX_VALUE);
    }

    public void setThrowOnHttpError(boolean throwOnHttpError) {
        this.throwOnHttpError = throwOnHttpError;
    }

    /** Ranges and single codes, comma separated ({@code 200-299,304}). */
    public void setOkStatusCodes(String okStatusCodes) {
        this.okStatusCodes = StatusCodes.parse("okStatusCodes", required("okStatusCodes", okStatusCodes).trim());
    }

    public void setFollowRedirects(boolean followRedirects) {
        this.followRedirects = followRedirects;
    }

    public void setMaxRedirects(int maxRedirects) {
        this.maxRedirects = (int) inRange("maxRedirects", maxRedirects, 0, 100);
    }

    public void setRestrictedNetworks(RestrictedNetworks restrictedNetworks) {
        this.restrictedNetworks = required("restrictedNetworks", restrictedNetworks);
    }

    public void setAuthBearerToken(String authBearerToken) {
        this.authBearerToken = authBearerToken == null ? null : authBearerToken.trim();
    }

    public void setAuthUsername(String authUsername) {
        this.authUsername = authUsername == null ? null : authUsername.trim();
    }

    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public void setOauth2TokenEndpoint(String oauth2TokenEndpoint) {
        if (oauth2TokenEndpoint == null || oauth2TokenEndpoint.isBlank()) {
            this.oauth2TokenEndpoint = null;
            return;
        }
        try {
            RequestFactory.checkUrl(oauth2TokenEndpoint.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("Invalid value for option oauth2TokenEndpoint: " + e.getMessage(), e);
        }
        this.oauth2TokenEndpoint = oauth2TokenEndpoint.trim();
    }

    public void setOauth2ClientId(String oauth2ClientId) {
        this.oauth2ClientId = oauth2ClientId == null || oauth2ClientId.isBlank() ? null : oauth2ClientId.trim();
    }

    public void setOauth2ClientSecret(String oauth2ClientSecret) {
        this.oauth2ClientSecret = oauth2ClientSecret == null || oauth2ClientSecret.isEmpty() ? null : oauth2ClientSecret;
    }

    public void setOauth2Scope(String oauth2Scope) {
        this.oauth2Scope = oauth2Scope == null || oauth2Scope.isBlank() ? null : oauth2Scope.trim();
    }

    public void setOauth2BodyAuthentication(boolean oauth2BodyAuthentication) {
        this.oauth2BodyAuthentication = oauth2BodyAuthentication;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent == null ? null : userAgent.trim();
    }

    public void setContentType(String contentType) {
        this.contentType = contentType == null ? null : contentType.trim();
    }

    /** Host patterns, comma separated (the option's text: names, *.domain wildcards, addresses, CIDR networks). */
    public void setAllowedHosts(String allowedHosts) {
        this.allowedHosts = HostRules.parse("allowedHosts", allowedHosts == null ? "" : allowedHosts.trim());
    }

    public void setDeniedHosts(String deniedHosts) {
        this.deniedHosts = HostRules.parse("deniedHosts", deniedHosts == null ? "" : deniedHosts.trim());
    }

    public void setAllowInsecureRedirects(boolean allowInsecureRedirects) {
        this.allowInsecureRedirects = allowInsecureRedirects;
    }

    public void setInsecureSkipVerify(boolean insecureSkipVerify) {
        this.insecureSkipVerify = insecureSkipVerify;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = proxyHost == null || proxyHost.isBlank() ? null : proxyHost.trim();
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort == null ? null : (int) inRange("proxyPort", proxyPort, 1, 65535);
    }

    public void setProxyUsername(String proxyUsername) {
        this.proxyUsername = proxyUsername == null ? null : proxyUsername.trim();
    }

    public void setProxyPassword(String proxyPassword) {
        this.proxyPassword = proxyPassword;
    }

    public void setNonProxyHosts(String nonProxyHosts) {
        this.nonProxyHosts = HostRules.parse("nonProxyHosts", nonProxyHosts == null ? "" : nonProxyHosts.trim());
    }

    public void setRetryAttempts(int retryAttempts) {
        this.retryAttempts = (int) inRange("retryAttempts", retryAttempts, 0, 100);
    }

    /** initial/multiplier/max ({@code 500ms/2/10s}). */
    public void setRetryBackoff(String retryBackoff) {
        this.retryBackoff = RetryBackoff.parse("retryBackoff", required("retryBackoff", retryBackoff).trim());
    }

    /** Statuses, comma separated ({@code 429,502,503,504}). */
    public void setRetryOn(String retryOn) {
        this.retryOn = StatusCodes.parse("retryOn", required("retryOn", retryOn).trim());
    }

    public void setRetryNonIdempotent(boolean retryNonIdempotent) {
        this.retryNonIdempotent = retryNonIdempotent;
    }

    public void setConditionalGet(boolean conditionalGet) {
        this.conditionalGet = conditionalGet;
    }

    public void setConditionalRepository(StateRepository<String, String> conditionalRepository) {
        this.conditionalRepository = conditionalRepository;
    }

    public void setAuthScheme(String authScheme) {
        this.authScheme = oneOf("authScheme", authScheme, "basic", "digest");
    }

    public void setNextPage(String nextPage) {
        if (nextPage == null || nextPage.isBlank()) {
            this.nextPage = null;
            return;
        }
        String value = nextPage.trim();
        if (value.equalsIgnoreCase(Pagination.LINK)) {
            this.nextPage = Pagination.LINK;
            return;
        }
        if (!value.startsWith("/")) {
            throw new IllegalArgumentException(String.format("Invalid value for option nextPage: '%s' (expected link, "
                    + "or a JSON Pointer starting with /, such as /links/next)", nextPage));
        }
        try {
            JsonPointer.compile(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(String.format("Invalid value for option nextPage: '%s' is not a JSON "
                    + "Pointer: %s", nextPage, e.getMessage()), e);
        }
        this.nextPage = value;
    }

    public void setCursorParam(String cursorParam) {
        this.cursorParam = cursorParam == null || cursorParam.isBlank() ? null : cursorParam.trim();
    }

    public void setMaxPages(int maxPages) {
        this.maxPages = (int) inRange("maxPages", maxPages, 1, 100_000);
    }

    public void setCookies(String cookies) {
        this.cookies = oneOf("cookies", cookies, "none", "exchange");
    }

    public void setIdempotencyKey(String idempotencyKey) {
        this.idempotencyKey = idempotencyKey == null || idempotencyKey.isBlank() ? null : idempotencyKey.trim();
    }

    public void setContinueOnIoThread(boolean continueOnIoThread) {
        this.continueOnIoThread = continueOnIoThread;
    }

    private static Duration notNegative(String option, Duration value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        if (value.isNegative()) {
            throw new IllegalArgumentException(String.format("Invalid value for option %s: '%s' is negative", option,
                    Durations.format(value)));
        }
        return value;
    }

    /** {@code value}, case ignored, when it is one of {@code allowed}. */
    private static String oneOf(String option, String value, String... allowed) {
        String lower = required(option, value).trim().toLowerCase(Locale.ROOT);
        if (!List.of(allowed).contains(lower)) {
            throw new IllegalArgumentException(String.format("Invalid value for option %s: '%s' (expected %s)", option,
                    value, String.join(" or ", allowed)));
        }
        return lower;
    }

    private static <T> T required(String option, T value) {
        if (value == null) {
            throw new IllegalArgumentException("Invalid value for option " + option + ": no value");
        }
        return value;
    }

    private static long inRange(String option, long value, long min, long max) {
        if (value < min || value > max) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option %s: '%d' (expected a whole number from %d to %d)", option, value, min,
                    max));
        }
        return value;
    }

    // ---- getters

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

    public String getAuthBearerToken() {
        return authBearerToken;
    }

    public String getAuthUsername() {
        return authUsername;
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public String getNextPage() {
        return nextPage;
    }

    public String getCursorParam() {
        return cursorParam;
    }

    public int getMaxPages() {
        return maxPages;
    }

    public String getOauth2TokenEndpoint() {
        return oauth2TokenEndpoint;
    }

    public String getOauth2ClientId() {
        return oauth2ClientId;
    }

    public String getOauth2ClientSecret() {
        return oauth2ClientSecret;
    }

    public String getOauth2Scope() {
        return oauth2Scope;
    }

    public boolean isOauth2BodyAuthentication() {
        return oauth2BodyAuthentication;
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

    public boolean isContinueOnIoThread() {
        return continueOnIoThread;
    }

    /** Whether the cookies servers set are kept for the rest of the exchange. */
    public boolean isExchangeCookies() {
        return cookies.equals("exchange");
    }

    public boolean isConditionalGet() {
        return conditionalGet;
    }

    public StateRepository<String, String> getConditionalRepository() {
        return conditionalRepository;
    }

    /** The statuses that count as success: okStatusCodes, and 304 with conditionalGet. */
    public StatusCodes acceptedStatusCodes() {
        return conditionalGet ? okStatusCodes.with(304) : okStatusCodes;
    }

    public boolean isDigestAuth() {
        return authScheme.equals("digest");
    }

    public String getAuthScheme() {
        return authScheme;
    }

    public String getCookies() {
        return cookies;
    }

    public String getIdempotencyKey() {
        return idempotencyKey;
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

    public String getProxyHost() {
        return proxyHost;
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public String getProxyUsername() {
        return proxyUsername;
    }

    public String getProxyPassword() {
        return proxyPassword;
    }

    public String getNonProxyHosts() {
        return nonProxyHosts.toString();
    }

    /** The proxy this endpoint goes through, or null. */
    public ProxySettings getProxy() {
        return proxyHost == null ? null
                : new ProxySettings(proxyHost, proxyPort, proxyUsername, proxyPassword, nonProxyHosts);
    }
}
