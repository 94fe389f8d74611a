package dev.workflowhttp.component;

import dev.workflowhttp.BodyMode;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The options of one {@code workflow-http} endpoint, grouped by concern in {@code @UriParams} classes, which the
 * endpoint shows to Camel's tooling. Camel's configurers generated from those groups bind them: the endpoint's from
 * its URI (and {@code #bean} references), a copy's from the {@code CamelWorkflowHttp<Option>} headers that override
 * options for one exchange (see {@link OptionBinding}). Each setter checks its own value; {@link #validate()} checks
 * the options that only make sense together.
 */
public class WorkflowHttpConfiguration implements Cloneable {

    /** Every option name, as written in the endpoint URI (from Camel's generated configurers). */
    public static final List<String> OPTIONS = OptionBinding.names();
    /** Options whose values are credentials ({@code @UriParam(secret = true)}): masked wherever they are shown. */
    public static final Set<String> SECRET_OPTIONS = OptionBinding.secretNames();
    /** Options no {@code CamelWorkflowHttp<Option>} header can override ({@link EndpointOnly}). */
    public static final Set<String> ENDPOINT_ONLY = OptionBinding.endpointOnlyNames();

    private CallOptions call = new CallOptions();
    private RedirectOptions redirects = new RedirectOptions();
    private NetworkOptions network = new NetworkOptions();
    private AuthOptions auth = new AuthOptions();
    private OAuth2Options oauth2 = new OAuth2Options();
    private ProxyOptions proxy = new ProxyOptions();
    private RetryOptions retry = new RetryOptions();
    private PollingOptions polling = new PollingOptions();
    private PaginationOptions pagination = new PaginationOptions();
    private LimitOptions limits = new LimitOptions();

    /** Options whose values may be shown as they are (every option but the secret ones). */
    public static Set<String> shownOptions() {
        Set<String> shown = new LinkedHashSet<>(OPTIONS);
        shown.removeAll(SECRET_OPTIONS);
        return shown;
    }

    public CallOptions getCall() {
        return call;
    }

    public RedirectOptions getRedirects() {
        return redirects;
    }

    public NetworkOptions getNetwork() {
        return network;
    }

    public AuthOptions getAuth() {
        return auth;
    }

    public OAuth2Options getOauth2() {
        return oauth2;
    }

    public ProxyOptions getProxy() {
        return proxy;
    }

    public RetryOptions getRetry() {
        return retry;
    }

    public PollingOptions getPolling() {
        return polling;
    }

    public PaginationOptions getPagination() {
        return pagination;
    }

    public LimitOptions getLimits() {
        return limits;
    }

    /**
     * Checks the options that only make sense together.
     *
     * @throws IllegalArgumentException naming the options
     */
    public void validate() {
        String method = call.getMethod();
        String nextPage = pagination.getNextPage();
        String cursorParam = pagination.getCursorParam();
        if (nextPage != null) {
            if (method != null && !method.equals("GET")) {
                throw new IllegalArgumentException("Option nextPage follows the pages of a GET, not of a " + method);
            }
            if (call.getBodyMode() == BodyMode.STREAM) {
                throw new IllegalArgumentException("Option nextPage cannot be combined with bodyMode=stream: the pages"
                        + " are read whole and handed on together");
            }
            if (polling.isConditionalGet()) {
                throw new IllegalArgumentException("Option nextPage cannot be combined with conditionalGet");
            }
            if (cursorParam != null && nextPage.equals(Pagination.LINK)) {
                throw new IllegalArgumentException("Option cursorParam needs nextPage to be a JSON Pointer (the "
                        + "cursor's place in the body), not link");
            }
        } else if (cursorParam != null) {
            throw new IllegalArgumentException("Option cursorParam needs nextPage (a JSON Pointer to the cursor)");
        }
        if (oauth2.getOauth2TokenEndpoint() != null) {
            if (oauth2.getOauth2ClientId() == null || oauth2.getOauth2ClientSecret() == null) {
                throw new IllegalArgumentException(
                        "Option oauth2TokenEndpoint needs oauth2ClientId and " + "oauth2ClientSecret");
            }
            if (auth.getAuthBearerToken() != null || auth.getAuthUsername() != null) {
                throw new IllegalArgumentException("Option oauth2TokenEndpoint cannot be combined with "
                        + (auth.getAuthBearerToken() != null ? "authBearerToken" : "authUsername")
                        + ": the step sends the OAuth2 token as its Authorization");
            }
        } else if (oauth2.getOauth2ClientId() != null
                || oauth2.getOauth2ClientSecret() != null
                || oauth2.getOauth2Scope() != null
                || oauth2.isOauth2BodyAuthentication()) {
            throw new IllegalArgumentException("Options oauth2ClientId, oauth2ClientSecret, oauth2Scope and "
                    + "oauth2BodyAuthentication need oauth2TokenEndpoint");
        }
        if (call.isContinueOnIoThread() && call.getBodyMode() == BodyMode.STREAM) {
            throw new IllegalArgumentException("Option continueOnIoThread cannot be combined with bodyMode=stream: a "
                    + "later step reading the stream would wait on the very thread that delivers its bytes");
        }
        boolean proxyDetails = proxy.getProxyPort() != null
                || proxy.getProxyUsername() != null
                || proxy.getProxyPassword() != null
                || !proxy.getNonProxyHosts().isEmpty();
        if (proxy.getProxyHost() == null && proxyDetails) {
            throw new IllegalArgumentException(
                    "Options proxyPort, proxyUsername, proxyPassword and nonProxyHosts " + "need proxyHost");
        }
        if (proxy.getProxyHost() != null && proxy.getProxyPort() == null) {
            throw new IllegalArgumentException("Option proxyHost needs proxyPort");
        }
        if (proxy.getProxyPassword() != null && proxy.getProxyUsername() == null) {
            throw new IllegalArgumentException("Option proxyPassword needs proxyUsername");
        }
    }

    /** A copy whose groups can be changed without changing this configuration's. */
    @Override
    public WorkflowHttpConfiguration clone() {
        try {
            WorkflowHttpConfiguration copy = (WorkflowHttpConfiguration) super.clone();
            copy.call = call.copy();
            copy.redirects = redirects.copy();
            copy.network = network.copy();
            copy.auth = auth.copy();
            copy.oauth2 = oauth2.copy();
            copy.proxy = proxy.copy();
            copy.retry = retry.copy();
            copy.polling = polling.copy();
            copy.pagination = pagination.copy();
            copy.limits = limits.copy();
            return copy;
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
    }
}
