package dev.workflowhttp.component;

import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.WorkflowHttpStatusException;
import dev.workflowhttp.internal.http.BodyInputStream;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import java.nio.charset.Charset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.camel.Exchange;
import org.apache.camel.ExchangePropertyKey;
import org.apache.camel.Message;
import org.apache.camel.spi.HeaderFilterStrategy;
import org.apache.camel.util.CaseInsensitiveMap;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.Header;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The response of a call on the exchange's message, as camel-http puts it there: the body, the status code and text,
 * the content type (and its charset for Camel's conversions to text), the other headers through Camel's header filter
 * (repeated ones as a list); a status outside {@code okStatusCodes} as a {@link WorkflowHttpStatusException} instead.
 */
final class ResponseBinding {

    private static final Logger LOG = LoggerFactory.getLogger(ResponseBinding.class);

    private ResponseBinding() {}

    /**
     * Puts the response on the exchange's message (or its error status on the exchange).
     *
     * @return whether the message's body is now a live stream of the call
     */
    static boolean bind(
            Exchange exchange,
            RealTimeoutScope scope,
            HttpResult result,
            StepSettings config,
            HeaderFilterStrategy filter,
            RequestFactory.Prepared request) {
        String maskedUrl = request.maskedUrl();
        if (!config.acceptedStatusCodes().contains(result.statusCode())) {
            scope.markHttpError();
        }
        if (!result.statusAccepted()) {
            exchange.setException(statusException(result, maskedUrl));
            return false;
        }
        Message message = exchange.getMessage();
        // header names are case-insensitive, like the message's: "X-A" and "x-a" are one repeated header
        Map<String, Object> received = new CaseInsensitiveMap();
        for (Header header : result.headers()) {
            String name = header.getName();
            if ("Content-Length".equalsIgnoreCase(name)
                    || "Content-Type".equalsIgnoreCase(name)
                    || "Content-Encoding".equalsIgnoreCase(name)
                    || filter.applyFilterToExternalHeaders(name, header.getValue(), exchange)) {
                continue;
            }
            received.merge(name, header.getValue(), ResponseBinding::appendValue);
        }
        message.getHeaders().putAll(received);
        message.removeHeader("Content-Length");
        if (result.contentType() != null) {
            message.setHeader("Content-Type", result.contentType());
            // so that Camel converts the byte[] body to text with the response's charset, as camel-http does
            try {
                Charset charset = ContentType.parse(result.contentType()).getCharset();
                if (charset != null) {
                    exchange.setProperty(ExchangePropertyKey.CHARSET_NAME, charset.name());
                }
            } catch (RuntimeException e) {
                // an unknown or malformed charset: Camel's default applies
            }
        } else {
            message.removeHeader("Content-Type");
        }
        if (result.contentLength() >= 0) {
            message.setHeader("Content-Length", result.contentLength());
        }
        if (config.isConditionalGet()) {
            boolean notModified = result.statusCode() == 304;
            message.setHeader(WorkflowHttpConstants.NOT_MODIFIED, notModified);
            if (!notModified) {
                ConditionalGet.remember(config, request, result);
            }
        }
        message.setHeader(WorkflowHttpConstants.RESPONSE_CODE, result.statusCode());
        message.setHeader(WorkflowHttpConstants.RESPONSE_TEXT, result.reasonPhrase());
        message.setBody(result.body());
        LOG.debug("Received {} for {}", result.statusCode(), scope);
        return result.body() instanceof BodyInputStream stream && stream.isLive();
    }

    static WorkflowHttpStatusException statusException(HttpResult result, String maskedUrl) {
        Object body = result.body();
        return new WorkflowHttpStatusException(
                maskedUrl,
                result.statusCode(),
                result.reasonPhrase(),
                headerMap(result.headers()),
                body instanceof byte[] bytes ? bytes : new byte[0],
                result.errorBodyCut());
    }

    @SuppressWarnings("unchecked")
    private static Object appendValue(Object existing, Object value) {
        List<Object> values;
        if (existing instanceof List<?> list) {
            values = (List<Object>) list;
        } else {
            values = new ArrayList<>();
            values.add(existing);
        }
        values.add(value);
        return values;
    }

    private static Map<String, List<String>> headerMap(Header[] headers) {
        Map<String, List<String>> map = new LinkedHashMap<>();
        for (Header header : headers) {
            map.computeIfAbsent(header.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(header.getValue());
        }
        return map;
    }
}
