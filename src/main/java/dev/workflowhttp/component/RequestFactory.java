package dev.workflowhttp.component;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.internal.http.MultipartBody;
import dev.workflowhttp.internal.http.SecretHeader;
import dev.workflowhttp.internal.util.CredentialHeaders;
import dev.workflowhttp.internal.util.UrlMasking;
import java.io.InputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executor;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.StreamCache;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.client5.http.async.methods.SimpleRequestBuilder;
import org.apache.hc.client5.http.async.methods.SimpleRequestProducer;
import org.apache.hc.core5.http.ContentType;
import org.apache.hc.core5.http.NameValuePair;
import org.apache.hc.core5.http.nio.AsyncRequestProducer;
import org.apache.hc.core5.http.nio.support.BasicRequestProducer;
import org.apache.hc.core5.net.URIBuilder;

/**
 * Builds the request of one exchange from the endpoint's options and the exchange's headers and body.
 */
public final class RequestFactory {

    /** W3C Trace Context and Baggage, and B3 (single and multiple headers). */
    static final List<String> TRACE_HEADERS = List.of(
            "traceparent",
            "tracestate",
            "baggage",
            "b3",
            "X-B3-TraceId",
            "X-B3-SpanId",
            "X-B3-ParentSpanId",
            "X-B3-Sampled",
            "X-B3-Flags");

    private static final Set<String> METHODS_WITH_BODY = Set.of("POST", "PUT", "PATCH");

    private final ObjectMapper json;
    private final String defaultUserAgent;
    private final Executor streamReader;

    /**
     * @param streamReader where the stream parts of multipart bodies are read (never the client's I/O threads)
     */
    public RequestFactory(ObjectMapper json, String defaultUserAgent, Executor streamReader) {
        this.json = json;
        this.defaultUserAgent = defaultUserAgent;
        this.streamReader = streamReader;
    }

    /**
     * A request ready to send (as often as it is attempted), and its URL masked for messages.
     *
     * @param multipart the body when it is {@code multipart/form-data} (sent as it is read), or null
     */
    public record Prepared(
            SimpleHttpRequest request, String method, URI uri, String maskedUrl, MultipartBody multipart) {

        /** A producer of a fresh copy of the request, for one attempt. */
        public AsyncRequestProducer newProducer() {
            return newProducer(null);
        }

        /** A producer of a fresh copy of the request, sending {@code bearerToken} (when not null), for one attempt. */
        public AsyncRequestProducer newProducer(String bearerToken) {
            SimpleHttpRequest copy = SimpleRequestBuilder.copy(request).build();
            if (bearerToken != null) {
                copy.setHeader(new SecretHeader("Authorization", "Bearer " + bearerToken));
            }
            return multipart == null
                    ? SimpleRequestProducer.create(copy)
                    : new BasicRequestProducer(copy, multipart.newProducer());
        }

        /** The same request to another URL (the next page of a GET). */
        public Prepared withUri(URI next) {
            SimpleHttpRequest copy =
                    SimpleRequestBuilder.copy(request).setUri(next).build();
            return new Prepared(copy, method, next, UrlMasking.mask(next.toString()), null);
        }

        /** False when the body can be sent only once (a multipart body with a stream part): not attempted again. */
        public boolean repeatable() {
            return multipart == null || multipart.repeatable();
        }
    }

    String defaultUserAgent() {
        return defaultUserAgent;
    }

    ObjectMapper json() {
        return json;
    }

    /**
     * An endpoint's target URL, parsed and masked once: a call that neither overrides the URL nor adds parameters
     * uses it as it is.
     */
    public record Target(URI uri, String maskedUrl) {
        public static Target of(String url) {
            URI uri = parseUrl(url);
            return new Target(uri, UrlMasking.mask(uri.toString()));
        }
    }

    /**
     * @throws IllegalArgumentException naming the header or option and the value when the exchange's input is bad
     */
    Prepared prepare(Exchange exchange, Target endpointTarget, StepSettings config) {
        Message message = exchange.getMessage();
        String override = message.getHeader(WorkflowHttpConstants.URL, String.class);
        Object params = message.getHeader(WorkflowHttpConstants.PARAMS);
        URI uri;
        String masked;
        if (override == null && params == null) {
            uri = endpointTarget.uri();
            masked = endpointTarget.maskedUrl();
        } else {
            URI target;
            try {
                target = override != null ? parseUrl(override) : endpointTarget.uri();
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Header " + WorkflowHttpConstants.URL + ": " + e.getMessage(), e);
            }
            uri = withParams(target, params);
            masked = UrlMasking.mask(uri.toString());
        }

        Object form = message.getHeader(WorkflowHttpConstants.FORM);
        Object multipartHeader = message.getHeader(WorkflowHttpConstants.MULTIPART);
        Object body = message.getBody();
        boolean hasBody = !isEmpty(body);
        if (form != null && !(form instanceof Map)) {
            throw new IllegalArgumentException("Invalid header " + WorkflowHttpConstants.FORM + ": expected a Map, got "
                    + form.getClass().getName());
        }
        if (config.getContentType() != null) {
            // refused even when no body is sent: a bad option should not wait for the first POST to show
            checkHeader("Content-Type", config.getContentType());
        }
        String method = config.getMethod();
        if (method == null) {
            // a paginated step reads pages: GET, whatever body the message still carries
            method = config.getNextPage() == null && (hasBody || form != null || multipartHeader != null)
                    ? "POST"
                    : "GET";
        }
        SimpleHttpRequest request = new SimpleHttpRequest(method, uri);
        MultipartBody multipart = null;
        if (multipartHeader != null) {
            multipart = Multipart.body(
                    multipartHeader, method, hasBody || form != null, config.getContentType(), masked, streamReader);
        } else if (METHODS_WITH_BODY.contains(method)) {
            if (form != null) {
                if (hasBody) {
                    throw new IllegalArgumentException("Header " + WorkflowHttpConstants.FORM
                            + " cannot be combined with a message body: send one or the other (" + masked + ")");
                }
                String encoded = FormFields.encode(WorkflowHttpConstants.FORM, (Map<?, ?>) form);
                request.setBody(
                        encoded.getBytes(StandardCharsets.UTF_8),
                        contentType(
                                config, ContentType.APPLICATION_FORM_URLENCODED.withCharset(StandardCharsets.UTF_8)));
            } else if (hasBody) {
                setBody(exchange, request, body, config);
            }
        }
        Object headers = message.getHeader(WorkflowHttpConstants.HEADERS);
        if (headers != null) {
            if (!(headers instanceof Map<?, ?> map)) {
                throw new IllegalArgumentException("Invalid header " + WorkflowHttpConstants.HEADERS
                        + ": expected a Map, got " + headers.getClass().getName());
            }
            for (NameValuePair header : FormFields.pairs(WorkflowHttpConstants.HEADERS, map)) {
                checkHeader(header.getName(), header.getValue());
                if (multipart != null
                        && (header.getName().equalsIgnoreCase("Content-Type")
                                || header.getName().equalsIgnoreCase("Content-Length"))) {
                    throw new IllegalArgumentException("Header " + WorkflowHttpConstants.HEADERS + " cannot set "
                            + header.getName() + " with " + WorkflowHttpConstants.MULTIPART + ": the step sends "
                            + "multipart/form-data with its own boundary and length (" + masked + ")");
                }
                if (header.getName().regionMatches(true, 0, "Camel", 0, 5)) {
                    continue;
                }
                if (CredentialHeaders.isCredential(header.getName())) {
                    request.addHeader(new SecretHeader(header.getName(), header.getValue()));
                } else {
                    request.addHeader(header.getName(), header.getValue());
                }
            }
        }
        addTraceContext(message, request);
        addIdempotencyKey(exchange, config, method, request);
        if (config.getAuthBearerToken() != null) {
            checkHeader("Authorization", config.getAuthBearerToken());
            request.setHeader(new SecretHeader("Authorization", "Bearer " + config.getAuthBearerToken()));
        } else if (config.getAuthUsername() != null && !config.isDigestAuth()) {
            String pair =
                    config.getAuthUsername() + ":" + (config.getAuthPassword() == null ? "" : config.getAuthPassword());
            request.setHeader(new SecretHeader(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        }
        if (!request.containsHeader("User-Agent")) {
            String agent = config.getUserAgent() != null ? config.getUserAgent() : defaultUserAgent;
            checkHeader("User-Agent", agent);
            request.setHeader("User-Agent", agent);
        }
        return new Prepared(request, method, uri, masked, multipart);
    }

    /** The header a server that makes POST and PATCH idempotent reads the key from (IETF httpapi draft). */
    static final String IDEMPOTENCY_KEY = "Idempotency-Key";

    /**
     * {@code Idempotency-Key} for POST and PATCH: the message id, or the value of the option's simple expression,
     * computed from the message as it entered the step, so every attempt of it (the step's retries copy this
     * request; Camel's redeliveries build it again from the same message) sends the same key. A key the route set
     * itself in {@code CamelWorkflowHttpHeaders} wins.
     */
    private static void addIdempotencyKey(
            Exchange exchange, StepSettings config, String method, SimpleHttpRequest request) {
        String option = config.getIdempotencyKey();
        if (option == null
                || !(method.equals("POST") || method.equals("PATCH"))
                || request.containsHeader(IDEMPOTENCY_KEY)) {
            return;
        }
        String key = IdempotencyKeys.keyOf(exchange, option);
        if (key == null || key.isEmpty()) {
            throw new IllegalArgumentException("Option idempotencyKey: '" + option + "' gave no key for this message");
        }
        checkHeader(IDEMPOTENCY_KEY, key);
        request.addHeader(IDEMPOTENCY_KEY, key);
    }

    /**
     * The trace context Camel's tracers (camel-opentelemetry2, camel-telemetry-dev...) write into the message headers
     * just before this step runs, with the step's own span as parent: sent on, so that the trace does not stop here.
     * A header the route set itself in {@code CamelWorkflowHttpHeaders} wins.
     */
    private static void addTraceContext(org.apache.camel.Message message, SimpleHttpRequest request) {
        for (String name : TRACE_HEADERS) {
            if (request.containsHeader(name)) {
                continue;
            }
            String value = message.getHeader(name, String.class);
            if (value != null && !value.isEmpty()) {
                checkHeader(name, value);
                request.addHeader(name, value);
            }
        }
    }

    private void setBody(Exchange exchange, SimpleHttpRequest request, Object body, StepSettings config) {
        if (body instanceof String text) {
            request.setBody(
                    text.getBytes(StandardCharsets.UTF_8),
                    contentType(config, ContentType.TEXT_PLAIN.withCharset(StandardCharsets.UTF_8)));
        } else if (body instanceof byte[] bytes) {
            request.setBody(bytes, contentType(config, ContentType.APPLICATION_OCTET_STREAM));
        } else if (body instanceof InputStream || body instanceof StreamCache) {
            byte[] bytes = exchange.getContext().getTypeConverter().convertTo(byte[].class, exchange, body);
            request.setBody(bytes, contentType(config, ContentType.APPLICATION_OCTET_STREAM));
        } else {
            try {
                request.setBody(json.writeValueAsBytes(body), contentType(config, ContentType.APPLICATION_JSON));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(
                        "The message body (" + body.getClass().getName() + ") cannot be written as JSON: "
                                + e.getOriginalMessage(),
                        e);
            }
        }
    }

    private static ContentType contentType(StepSettings config, ContentType fallback) {
        if (config.getContentType() == null) {
            return fallback;
        }
        checkHeader("Content-Type", config.getContentType());
        return ContentType.parse(config.getContentType());
    }

    private static boolean isEmpty(Object body) {
        return body == null
                || body instanceof String text && text.isEmpty()
                || body instanceof byte[] bytes && bytes.length == 0;
    }

    /** @throws IllegalArgumentException when the URL is not an absolute http(s) URL without spaces or control characters */
    public static void checkUrl(String url) {
        parseUrl(url);
    }

    static URI parseUrl(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("Invalid URL: none given");
        }
        for (int i = 0; i < url.length(); i++) {
            char c = url.charAt(i);
            if (c <= 0x20 || c == 0x7f) {
                throw new IllegalArgumentException(String.format(
                        "Invalid URL '%s': contains a space or control character at index %d (encode it, e.g. %%20)",
                        UrlMasking.mask(url.replaceAll("\\p{Cntrl}", "?")), i));
            }
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("Invalid URL '" + UrlMasking.mask(url) + "': " + e.getReason(), e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https")) {
            throw new IllegalArgumentException(
                    "Invalid URL '" + UrlMasking.mask(url) + "': the scheme must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new IllegalArgumentException("Invalid URL '" + UrlMasking.mask(url) + "': no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException("Invalid URL '" + UrlMasking.mask(url) + "': credentials in the URL "
                    + "(user-info) are not sent; use authUsername and authPassword, or authBearerToken");
        }
        return uri;
    }

    private static URI withParams(URI uri, Object params) {
        if (params == null) {
            return uri;
        }
        if (!(params instanceof Map<?, ?> map)) {
            throw new IllegalArgumentException("Invalid header " + WorkflowHttpConstants.PARAMS
                    + ": expected a Map, got " + params.getClass().getName());
        }
        try {
            return new URIBuilder(uri)
                    .addParameters(FormFields.pairs(WorkflowHttpConstants.PARAMS, map))
                    .build();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(
                    "Invalid header " + WorkflowHttpConstants.PARAMS + ": " + e.getMessage(), e);
        }
    }

    static void checkHeader(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("Invalid request header: empty name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= 0x20 || c >= 0x7f || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
                throw new IllegalArgumentException(String.format(
                        "Invalid request header name '%s': character 0x%02x is not allowed in a header name",
                        printable(name), (int) c));
            }
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '\r' || c == '\n' || c == 0) {
                throw new IllegalArgumentException(String.format(
                        "Invalid value for request header %s: it contains %s (header injection is refused)",
                        name, c == 0 ? "NUL" : c == '\r' ? "CR" : "LF"));
            }
        }
    }

    private static String printable(String text) {
        return text.replaceAll("[\\p{Cntrl}]", "?");
    }
}
