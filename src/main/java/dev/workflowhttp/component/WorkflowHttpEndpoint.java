package dev.workflowhttp.component;

import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.internal.http.ClientSettings;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.limit.LimitSpec;
import dev.workflowhttp.internal.limit.Origin;
import dev.workflowhttp.internal.util.UrlMasking;
import java.util.Map;
import java.util.Set;
import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;
import org.apache.camel.support.service.ServiceHelper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls an HTTP service as a workflow step, with one deadline over the whole call.
 */
@UriEndpoint(
        firstVersion = "0.1.0",
        scheme = "workflow-http",
        title = "Workflow HTTP",
        syntax = "workflow-http:url",
        producerOnly = true,
        lenientProperties = true,
        category = {Category.HTTP},
        headersClass = WorkflowHttpConstants.class)
public class WorkflowHttpEndpoint extends DefaultEndpoint {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowHttpEndpoint.class);
    private static final Set<String> SHOWN_OPTIONS = WorkflowHttpConfiguration.shownOptions();

    @UriPath(description = "The target http:// or https:// URL; query parameters that are not options stay on it.")
    @Metadata(required = true)
    private final String url;

    private final WorkflowHttpConfiguration configuration;
    // the option groups of the configuration, shown to Camel: its generated endpoint configurer and metadata
    @UriParam
    private final CallOptions call;

    @UriParam
    private final RedirectOptions redirects;

    @UriParam
    private final NetworkOptions network;

    @UriParam
    private final AuthOptions auth;

    @UriParam
    private final OAuth2Options oauth2;

    @UriParam
    private final ProxyOptions proxy;

    @UriParam
    private final RetryOptions retry;

    @UriParam
    private final PollingOptions polling;

    @UriParam
    private final PaginationOptions pagination;

    @UriParam
    private final LimitOptions limits;
    /** The options as the calls read them, resolved once. */
    private final StepSettings settings;

    /** The origin whose limits this endpoint declared while it runs, or null. */
    private volatile Origin limitedOrigin;

    private volatile ClientSettings clientSettings;
    /** The endpoint's OAuth2 token, when it has a token endpoint. */
    private volatile OAuth2Tokens oauth2Tokens;
    /** The target parsed and masked once (the component checked it when it created the endpoint). */
    private final RequestFactory.Target target;

    WorkflowHttpEndpoint(
            String endpointUri, WorkflowHttpComponent component, String url, WorkflowHttpConfiguration configuration) {
        super(endpointUri, component);
        this.url = url;
        this.configuration = configuration;
        this.settings = StepSettings.of(configuration);
        this.call = configuration.getCall();
        this.redirects = configuration.getRedirects();
        this.network = configuration.getNetwork();
        this.auth = configuration.getAuth();
        this.oauth2 = configuration.getOauth2();
        this.proxy = configuration.getProxy();
        this.retry = configuration.getRetry();
        this.polling = configuration.getPolling();
        this.pagination = configuration.getPagination();
        this.limits = configuration.getLimits();
        this.target = RequestFactory.Target.of(url);
    }

    @Override
    public WorkflowHttpComponent getComponent() {
        return (WorkflowHttpComponent) super.getComponent();
    }

    /**
     * Takes the component's client for this endpoint's TLS and proxy settings (starting it if no endpoint needed it
     * yet), so a key store that cannot be read fails the route at start rather than its first call.
     */
    @Override
    protected void doStart() throws Exception {
        super.doStart();
        // Camel starts the producers inside EIPs (split, multicast, circuit breakers, error handlers) while it
        // initializes routes, before it starts components: whichever order it chose, the component's shared client,
        // scheduler and threads exist before this endpoint borrows them. Starting a started service does nothing.
        ServiceHelper.startService(getComponent());
        ClientSettings defaults = runtime().defaultClientSettings();
        ClientSettings client = new ClientSettings(
                settings.getSslContextParameters() != null ? settings.getSslContextParameters() : defaults.tls(),
                settings.isInsecureSkipVerify(),
                settings.getProxy());
        if (client.insecureSkipVerify()) {
            LOG.warn(
                    "TLS certificate verification is off for {} (insecureSkipVerify=true): any certificate is "
                            + "trusted, for any host name",
                    this);
        }
        runtime().clientFor(client);
        clientSettings = client;
        if (settings.getOauth2() != null && oauth2Tokens == null) {
            oauth2Tokens = new OAuth2Tokens(this::runtime, this::client, settings);
        }
        declareLimits();
    }

    /**
     * Declares this endpoint's rateLimit and maxConcurrent for its target's origin, shared with every endpoint naming
     * it; without them, the component's originLimits for that origin (if any) are declared now, so that a conflict
     * shows at route start.
     *
     * @throws IllegalArgumentException naming both declarations when the origin already has other limits
     */
    private void declareLimits() {
        Origin origin = Origin.of(target.uri());
        LimitSpec own = limits.limits();
        if (own == null) {
            runtime().limiterFor(origin);
            return;
        }
        runtime().declareLimits(origin, own, toString());
        limitedOrigin = origin;
    }

    @Override
    protected void doStop() throws Exception {
        Origin origin = limitedOrigin;
        if (origin != null) {
            limitedOrigin = null;
            WorkflowHttpRuntime current = getComponent().currentRuntime();
            if (current != null) {
                current.withdrawLimits(origin, toString());
            }
        }
        super.doStop();
    }

    /** The endpoint's OAuth2 tokens, or null when it has no token endpoint. */
    OAuth2Tokens oauth2Tokens() {
        return oauth2Tokens;
    }

    /**
     * The HTTP client this endpoint's calls go through: the component's for this endpoint's settings, looked up per
     * call, so a component stopped and started again (its clients closed and made anew) is followed.
     */
    PooledClient client() {
        return runtime().clientFor(clientSettings);
    }

    /**
     * What the calls of this endpoint share, the component's while it runs: looked up per call, so a component
     * stopped and started again (its clients closed and made anew) is followed.
     */
    WorkflowHttpRuntime runtime() {
        return getComponent().runtime();
    }

    @Override
    public Producer createProducer() {
        return new WorkflowHttpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("workflow-http is a step (to:), it cannot start a route (from:)");
    }

    @Override
    public boolean isLenientProperties() {
        return true;
    }

    /**
     * The endpoint URI as Camel and this component show it (in logs, route dumps, metrics tags, JMX): the target's
     * user-info and query values and the credential options masked. Camel's own sanitizer masks the options flagged
     * secret in workflow-http.json by name, but not the target URL's user-info nor its query values.
     * {@link #getEndpointUri()} keeps the real URI: Camel uses it to find and compare endpoints.
     */
    @Override
    public String toString() {
        return UrlMasking.maskEndpointUri(getEndpointUri(), SHOWN_OPTIONS);
    }

    /** The target URL, with the query parameters that were not options. */
    public String getUrl() {
        return url;
    }

    RequestFactory.Target target() {
        return target;
    }

    public WorkflowHttpConfiguration getConfiguration() {
        return configuration;
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

    /** The endpoint's own settings, as no header overrides them. */
    StepSettings settings() {
        return settings;
    }

    /**
     * The settings for one exchange: the endpoint's, or, when {@code CamelWorkflowHttp<Option>} headers override
     * options, a copy of its options with theirs bound through the generated configurers, resolved anew.
     *
     * @throws IllegalArgumentException naming the header and the value when an override is invalid, or naming the
     *                                  option when only the endpoint may set it
     */
    StepSettings settingsFor(Exchange exchange) {
        WorkflowHttpConfiguration overridden = null;
        for (Map.Entry<String, Object> header :
                exchange.getMessage().getHeaders().entrySet()) {
            String name = header.getKey();
            if (!name.startsWith(WorkflowHttpConstants.OVERRIDE_PREFIX)) {
                continue;
            }
            String option = EndpointUris.optionOfHeader(name);
            if (option == null) {
                continue;
            }
            if (overridden == null) {
                overridden = configuration.clone();
            }
            try {
                OptionBinding.bindOverride(getCamelContext(), overridden, option, header.getValue());
            } catch (OptionBinding.EndpointOnlyException e) {
                throw new IllegalArgumentException(String.format(
                        "Header %s: option %s cannot be set per exchange "
                                + "(it decides where the call may go, whom it trusts, which proxy it uses or the limits of the "
                                + "target's origin); set it on the endpoint",
                        name, option));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Header " + name + ": " + e.getMessage(), e);
            }
        }
        // the options as overridden must still fit together
        return overridden == null ? settings : StepSettings.of(overridden);
    }
}
