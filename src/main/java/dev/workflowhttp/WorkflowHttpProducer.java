package dev.workflowhttp;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;

import dev.workflowhttp.client.CallSettings;
import dev.workflowhttp.client.ChainHandlers;
import dev.workflowhttp.client.HttpCall;
import dev.workflowhttp.client.HttpResult;
import dev.workflowhttp.client.RequestFactory;
import dev.workflowhttp.scope.TimeoutScope;
import org.apache.camel.AsyncCallback;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.support.DefaultAsyncProducer;
import org.apache.camel.support.SynchronizationAdapter;
import org.apache.hc.client5.http.config.RequestConfig;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.Header;
import org.apache.hc.core5.util.Timeout;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one call per exchange without holding a thread while it is in flight. The exchange carries the call's
 * {@link TimeoutScope}; an on-completion hook releases it once the exchange is done, whatever happened to the body.
 * The route goes on from the component's continuation threads, never from the client's I/O threads.
 */
public class WorkflowHttpProducer extends DefaultAsyncProducer {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowHttpProducer.class);

    private final WorkflowHttpEndpoint endpoint;
    private final WorkflowHttpComponent component;

    public WorkflowHttpProducer(WorkflowHttpEndpoint endpoint) {
        super(endpoint);
        this.endpoint = endpoint;
        this.component = endpoint.getComponent();
    }

    @Override
    public boolean process(Exchange exchange, AsyncCallback callback) {
        WorkflowHttpConfiguration config;
        RequestFactory.Prepared request;
        try {
            config = endpoint.configurationFor(exchange);
            request = component.requests().prepare(exchange, endpoint.getUrl(), config);
        } catch (IllegalArgumentException e) {
            exchange.setException(new WorkflowHttpException(e.getMessage(), UrlMasking.mask(endpoint.getUrl()), null, e));
            callback.done(true);
            return true;
        }
        TimeoutScope scope = component.scopes().open(config.getTimeout(), config.getConnectTimeout(),
                config.getIdleTimeout(), request.method() + " " + request.maskedUrl());
        exchange.setProperty(WorkflowHttpConstants.TIMEOUT_SCOPE, scope);
        exchange.getExchangeExtension().addOnCompletion(new ScopeRelease(scope));

        HttpClientContext context = HttpClientContext.create();
        context.setAttribute(ChainHandlers.POLICY_ATTRIBUTE, config.getRestrictedNetworks());
        context.setRequestConfig(RequestConfig.custom()
                .setRedirectsEnabled(config.isFollowRedirects())
                .setMaxRedirects(config.getMaxRedirects())
                .setResponseTimeout(Timeout.DISABLED)
                .build());
        CallSettings settings = new CallSettings(config.getBodyMode() == BodyMode.STREAM, config.getMaxBodySize(),
                config.getOkStatusCodes(), config.isThrowOnHttpError(), request.maskedUrl());
        LOG.debug("Calling {}", scope);
        new HttpCall(scope, settings).start(component.client(), request.producer(), context)
                .whenComplete((result, error) -> continueRoute(exchange, scope, config, result, error, callback));
        return false;
    }

    private void continueRoute(Exchange exchange, TimeoutScope scope, WorkflowHttpConfiguration config,
                               HttpResult result, Throwable error,
                               AsyncCallback callback) {
        Runnable next = () -> {
            try {
                if (error != null) {
                    Throwable cause = error instanceof CompletionException && error.getCause() != null
                            ? error.getCause() : error;
                    LOG.debug("Failed {}: {}", scope, cause.getMessage());
                    exchange.setException(cause);
                } else {
                    applyResult(exchange, scope, result, config);
                }
            } catch (RuntimeException e) {
                exchange.setException(e);
            } finally {
                callback.done(false);
            }
        };
        try {
            component.continuation().execute(next);
        } catch (RejectedExecutionException e) {
            // the component is stopping: finish on this thread rather than lose the exchange
            next.run();
        }
    }

    private void applyResult(Exchange exchange, TimeoutScope scope, HttpResult result,
                             WorkflowHttpConfiguration config) {
        if (!config.getOkStatusCodes().contains(result.statusCode())) {
            scope.markHttpError();
        }
        if (!result.statusAccepted()) {
            exchange.setException(new WorkflowHttpStatusException(scope.getDescription().substring(
                    scope.getDescription().indexOf(' ') + 1), result.statusCode(), result.reasonPhrase(),
                    headerMap(result.headers()), (byte[]) result.body(), result.errorBodyCut()));
            return;
        }
        Message message = exchange.getMessage();
        HeaderFilterStrategy filter = component.headerFilterStrategy();
        Map<String, Object> received = new LinkedHashMap<>();
        for (Header header : result.headers()) {
            String name = header.getName();
            if ("Content-Length".equalsIgnoreCase(name) || "Content-Type".equalsIgnoreCase(name)
                    || "Content-Encoding".equalsIgnoreCase(name)
                    || filter.applyFilterToExternalHeaders(name, header.getValue(), exchange)) {
                continue;
            }
            received.merge(name, header.getValue(), WorkflowHttpProducer::appendValue);
        }
        message.getHeaders().putAll(received);
        message.removeHeader("Content-Length");
        if (result.contentType() != null) {
            message.setHeader("Content-Type", result.contentType());
        } else {
            message.removeHeader("Content-Type");
        }
        if (result.contentLength() >= 0) {
            message.setHeader("Content-Length", result.contentLength());
        }
        message.setHeader(WorkflowHttpConstants.RESPONSE_CODE, result.statusCode());
        message.setHeader(WorkflowHttpConstants.RESPONSE_TEXT, result.reasonPhrase());
        message.setBody(result.body());
        if (config.getBodyMode() == BodyMode.STREAM) {
            // Camel's stream caching (on by default) would copy the whole body into memory before the next step: the
            // next step reads the live stream instead, under the call's deadline, as stream mode promises
            exchange.getExchangeExtension().setStreamCacheDisabled(true);
        }
        LOG.debug("Received {} for {}", result.statusCode(), scope);
    }

    @SuppressWarnings("unchecked")
    private static Object appendValue(Object existing, Object value) {
        List<Object> values;
        if (existing instanceof List<?> list) {
            values = (List<Object>) list;
        } else {
            values = new java.util.ArrayList<>();
            values.add(existing);
        }
        values.add(value);
        return values;
    }

    private static Map<String, List<String>> headerMap(Header[] headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), k -> new java.util.ArrayList<>())
                    .add(header.getValue());
        }
        return map;
    }

    /** Releases the step's scope when the exchange is done, whichever way it ended. */
    private static final class ScopeRelease extends SynchronizationAdapter {
        private final TimeoutScope scope;

        ScopeRelease(TimeoutScope scope) {
            this.scope = scope;
        }

        @Override
        public void onDone(Exchange exchange) {
            scope.release();
        }

        @Override
        public String toString() {
            return "ScopeRelease[" + scope.getDescription() + "]";
        }
    }
}
