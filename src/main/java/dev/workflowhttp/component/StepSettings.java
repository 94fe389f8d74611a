package dev.workflowhttp.component;

import dev.workflowhttp.BodyMode;
import dev.workflowhttp.internal.http.ProxySettings;
import dev.workflowhttp.internal.http.StatusCodes;
import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.RestrictedNetworks;
import java.time.Duration;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.support.jsse.SSLContextParameters;

/**
 * The options of a step as the call reads them: resolved once from a {@link WorkflowHttpConfiguration} (its texts
 * parsed into status code sets, host rules, the backoff, the proxy), per endpoint, and again for an exchange only
 * when a header overrides an option. Immutable.
 */
final class StepSettings {

    private final String method;
    private final Duration timeout;
    private final Duration connectTimeout;
    private final Duration idleTimeout;
    private final BodyMode bodyMode;
    private final long maxBodySize;
    private final boolean throwOnHttpError;
    private final StatusCodes okStatusCodes;
    private final StatusCodes acceptedStatusCodes;
    private final String userAgent;
    private final String contentType;
    private final boolean exchangeCookies;
    private final boolean continueOnIoThread;
    private final boolean synchronous;

    private final boolean followRedirects;
    private final int maxRedirects;
    private final boolean allowInsecureRedirects;

    private final RestrictedNetworks restrictedNetworks;
    private final HostRules allowedHosts;
    private final HostRules deniedHosts;
    private final boolean insecureSkipVerify;
    private final SSLContextParameters sslContextParameters;
    private final ProxySettings proxy;

    private final String authBearerToken;
    private final String authUsername;
    private final String authPassword;
    private final boolean digestAuth;
    private final OAuth2Options oauth2;

    private final int retryAttempts;
    private final RetryBackoff retryBackoff;
    private final StatusCodes retryOn;
    private final boolean retryNonIdempotent;
    private final String idempotencyKey;

    private final boolean conditionalGet;
    private final StateRepository<String, String> conditionalRepository;
    private final String nextPage;
    private final String cursorParam;
    private final int maxPages;

    private StepSettings(WorkflowHttpConfiguration options) {
        CallOptions call = options.getCall();
        method = call.getMethod();
        timeout = call.getTimeout();
        connectTimeout = call.getConnectTimeout();
        idleTimeout = call.getIdleTimeout();
        bodyMode = call.getBodyMode();
        maxBodySize = call.getMaxBodySize();
        throwOnHttpError = call.isThrowOnHttpError();
        okStatusCodes = StatusCodes.parse("okStatusCodes", call.getOkStatusCodes());
        conditionalGet = options.getPolling().isConditionalGet();
        acceptedStatusCodes = conditionalGet ? okStatusCodes.with(304) : okStatusCodes;
        conditionalRepository = options.getPolling().getConditionalRepository();
        userAgent = call.getUserAgent();
        contentType = call.getContentType();
        exchangeCookies = call.getCookies().equals("exchange");
        continueOnIoThread = call.isContinueOnIoThread();
        synchronous = call.isSynchronous();

        followRedirects = options.getRedirects().isFollowRedirects();
        maxRedirects = options.getRedirects().getMaxRedirects();
        allowInsecureRedirects = options.getRedirects().isAllowInsecureRedirects();

        NetworkOptions network = options.getNetwork();
        restrictedNetworks = RestrictedNetworks.parse("restrictedNetworks", network.getRestrictedNetworks());
        allowedHosts = HostRules.parse("allowedHosts", network.getAllowedHosts());
        deniedHosts = HostRules.parse("deniedHosts", network.getDeniedHosts());
        insecureSkipVerify = network.isInsecureSkipVerify();
        sslContextParameters = network.getSslContextParameters();
        ProxyOptions proxyOptions = options.getProxy();
        proxy = proxyOptions.getProxyHost() == null
                ? null
                : new ProxySettings(
                        proxyOptions.getProxyHost(),
                        proxyOptions.getProxyPort(),
                        proxyOptions.getProxyUsername(),
                        proxyOptions.getProxyPassword(),
                        HostRules.parse("nonProxyHosts", proxyOptions.getNonProxyHosts()));

        AuthOptions auth = options.getAuth();
        authBearerToken = auth.getAuthBearerToken();
        authUsername = auth.getAuthUsername();
        authPassword = auth.getAuthPassword();
        digestAuth = auth.getAuthScheme().equals("digest");
        oauth2 = options.getOauth2().getOauth2TokenEndpoint() == null
                ? null
                : options.getOauth2().copy();

        RetryOptions retry = options.getRetry();
        retryAttempts = retry.getRetryAttempts();
        retryBackoff = RetryBackoff.parse("retryBackoff", retry.getRetryBackoff());
        retryOn = StatusCodes.parse("retryOn", retry.getRetryOn());
        retryNonIdempotent = retry.isRetryNonIdempotent();
        idempotencyKey = retry.getIdempotencyKey();

        nextPage = options.getPagination().getNextPage();
        cursorParam = options.getPagination().getCursorParam();
        maxPages = options.getPagination().getMaxPages();
    }

    /**
     * The settings of {@code options}, which must fit together.
     *
     * @throws IllegalArgumentException naming the options that do not
     */
    static StepSettings of(WorkflowHttpConfiguration options) {
        options.validate();
        return new StepSettings(options);
    }

    String getMethod() {
        return method;
    }

    Duration getTimeout() {
        return timeout;
    }

    Duration getConnectTimeout() {
        return connectTimeout;
    }

    Duration getIdleTimeout() {
        return idleTimeout;
    }

    BodyMode getBodyMode() {
        return bodyMode;
    }

    long getMaxBodySize() {
        return maxBodySize;
    }

    boolean isThrowOnHttpError() {
        return throwOnHttpError;
    }

    StatusCodes getOkStatusCodes() {
        return okStatusCodes;
    }

    /** The statuses that count as success: okStatusCodes, and 304 with conditionalGet. */
    StatusCodes acceptedStatusCodes() {
        return acceptedStatusCodes;
    }

    String getUserAgent() {
        return userAgent;
    }

    String getContentType() {
        return contentType;
    }

    /** Whether the cookies servers set are kept for the rest of the exchange. */
    boolean isExchangeCookies() {
        return exchangeCookies;
    }

    boolean isContinueOnIoThread() {
        return continueOnIoThread;
    }

    boolean isSynchronous() {
        return synchronous;
    }

    boolean isFollowRedirects() {
        return followRedirects;
    }

    int getMaxRedirects() {
        return maxRedirects;
    }

    boolean isAllowInsecureRedirects() {
        return allowInsecureRedirects;
    }

    RestrictedNetworks getRestrictedNetworks() {
        return restrictedNetworks;
    }

    HostRules getAllowedHosts() {
        return allowedHosts;
    }

    HostRules getDeniedHosts() {
        return deniedHosts;
    }

    boolean isInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    /** The proxy the calls go through, or null. */
    ProxySettings getProxy() {
        return proxy;
    }

    String getAuthBearerToken() {
        return authBearerToken;
    }

    String getAuthUsername() {
        return authUsername;
    }

    String getAuthPassword() {
        return authPassword;
    }

    boolean isDigestAuth() {
        return digestAuth;
    }

    /** The OAuth2 client credentials (a copy, as endpoint-only options are never overridden), or null. */
    OAuth2Options getOauth2() {
        return oauth2;
    }

    int getRetryAttempts() {
        return retryAttempts;
    }

    RetryBackoff getRetryBackoff() {
        return retryBackoff;
    }

    StatusCodes getRetryOn() {
        return retryOn;
    }

    boolean isRetryNonIdempotent() {
        return retryNonIdempotent;
    }

    String getIdempotencyKey() {
        return idempotencyKey;
    }

    boolean isConditionalGet() {
        return conditionalGet;
    }

    StateRepository<String, String> getConditionalRepository() {
        return conditionalRepository;
    }

    String getNextPage() {
        return nextPage;
    }

    String getCursorParam() {
        return cursorParam;
    }

    int getMaxPages() {
        return maxPages;
    }
}
