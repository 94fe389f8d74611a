package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.inRange;
import static dev.workflowhttp.component.OptionChecks.notNegative;
import static dev.workflowhttp.component.OptionChecks.oneOf;
import static dev.workflowhttp.component.OptionChecks.required;

import dev.workflowhttp.BodyMode;
import dev.workflowhttp.internal.http.StatusCodes;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The call itself: its method and request headers, its deadline, and what it hands on. */
@UriParams
@Configurer(extended = true)
public class CallOptions extends OptionGroup {

    private static final List<String> METHODS =
            List.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "TRACE");

    @UriParam(
            description = "HTTP method: GET, or POST when the step has a body or form and no method is set.",
            enums = "GET,HEAD,POST,PUT,PATCH,DELETE,OPTIONS,TRACE")
    private String method;

    @UriParam(
            defaultValue = "30s",
            javaType = "java.time.Duration",
            description = "The whole-call deadline: lease, connect, TLS, send, headers, body; 0 for none.")
    private Duration timeout = Duration.ofSeconds(30);

    @UriParam(
            defaultValue = "10s",
            javaType = "java.time.Duration",
            description = "Limit for lease, DNS, connect and TLS; never beyond timeout.")
    private Duration connectTimeout = Duration.ofSeconds(10);

    @UriParam(
            defaultValue = "0",
            javaType = "java.time.Duration",
            description = "Longest silence between two received bytes; 0 for off.")
    private Duration idleTimeout = Duration.ZERO;

    @UriParam(
            defaultValue = "materialize",
            enums = "materialize,stream",
            description = "materialize: read the body whole before the route goes on; stream: hand on an"
                    + " InputStream at the headers, still bound to the deadline.")
    private BodyMode bodyMode = BodyMode.MATERIALIZE;

    @UriParam(defaultValue = "10485760", description = "Limit on the decoded response body in bytes; -1 for none.")
    private long maxBodySize = 10L * 1024 * 1024;

    @UriParam(defaultValue = "true", description = "Fail the exchange on a status outside okStatusCodes.")
    private boolean throwOnHttpError = true;

    @UriParam(defaultValue = "200-299", description = "Accepted statuses: ranges and single codes, comma separated.")
    private String okStatusCodes = "200-299";

    @UriParam(description = "The User-Agent header; camel-workflow-http and the version by default.")
    private String userAgent;

    @UriParam(description = "Content-Type of the request body.")
    private String contentType;

    @UriParam(
            defaultValue = "none",
            enums = "none,exchange",
            description = "Cookies a server sets: none (not kept, not sent), or exchange: kept for the rest of the"
                    + " exchange (a login step, then calls) and sent where the cookie's domain and path"
                    + " allow; never shared between exchanges.")
    private String cookies = "none";

    @EndpointOnly
    @UriParam(
            label = "advanced",
            defaultValue = "false",
            description = "Run the rest of the route on the HTTP client's I/O thread that completed the call,"
                    + " instead of handing it to a continuation thread: one thread hand-off less per call."
                    + " Only for bodyMode=materialize, and only for routes whose later steps never block: a"
                    + " blocked I/O thread stalls every call it serves.")
    private boolean continueOnIoThread;

    @EndpointOnly
    @UriParam(
            label = "advanced",
            defaultValue = "false",
            description = "Sets whether synchronous processing should be strictly used: the thread that reaches the"
                    + " step waits for the call and goes on with the route itself, as it always does in a"
                    + " transacted route. One thread hand-off less per call; the thread is held for the call's"
                    + " length (never beyond its deadline).")
    private boolean synchronous;

    public String getMethod() {
        return method;
    }

    public void setMethod(String method) {
        if (method == null) {
            this.method = null;
            return;
        }
        String upper = method.trim().toUpperCase(Locale.ROOT);
        if (!METHODS.contains(upper)) {
            throw new IllegalArgumentException(String.format(
                    "Invalid value for option method: '%s' (expected one of %s)",
                    method.trim(), String.join(", ", METHODS)));
        }
        this.method = upper;
    }

    public Duration getTimeout() {
        return timeout;
    }

    public void setTimeout(Duration timeout) {
        this.timeout = notNegative("timeout", timeout);
    }

    public Duration getConnectTimeout() {
        return connectTimeout;
    }

    public void setConnectTimeout(Duration connectTimeout) {
        this.connectTimeout = notNegative("connectTimeout", connectTimeout);
    }

    public Duration getIdleTimeout() {
        return idleTimeout;
    }

    public void setIdleTimeout(Duration idleTimeout) {
        this.idleTimeout = notNegative("idleTimeout", idleTimeout);
    }

    public BodyMode getBodyMode() {
        return bodyMode;
    }

    public void setBodyMode(BodyMode bodyMode) {
        this.bodyMode = required("bodyMode", bodyMode);
    }

    public long getMaxBodySize() {
        return maxBodySize;
    }

    public void setMaxBodySize(long maxBodySize) {
        this.maxBodySize = inRange("maxBodySize", maxBodySize, -1, Long.MAX_VALUE);
    }

    public boolean isThrowOnHttpError() {
        return throwOnHttpError;
    }

    public void setThrowOnHttpError(boolean throwOnHttpError) {
        this.throwOnHttpError = throwOnHttpError;
    }

    public String getOkStatusCodes() {
        return okStatusCodes;
    }

    /** Ranges and single codes, comma separated ({@code 200-299,304}). */
    public void setOkStatusCodes(String okStatusCodes) {
        String text = required("okStatusCodes", okStatusCodes).trim();
        StatusCodes.parse("okStatusCodes", text);
        this.okStatusCodes = text;
    }

    public String getUserAgent() {
        return userAgent;
    }

    public void setUserAgent(String userAgent) {
        this.userAgent = userAgent == null ? null : userAgent.trim();
    }

    public String getContentType() {
        return contentType;
    }

    public void setContentType(String contentType) {
        this.contentType = contentType == null ? null : contentType.trim();
    }

    public String getCookies() {
        return cookies;
    }

    public void setCookies(String cookies) {
        this.cookies = oneOf("cookies", cookies, "none", "exchange");
    }

    public boolean isContinueOnIoThread() {
        return continueOnIoThread;
    }

    public void setContinueOnIoThread(boolean continueOnIoThread) {
        this.continueOnIoThread = continueOnIoThread;
    }

    public boolean isSynchronous() {
        return synchronous;
    }

    public void setSynchronous(boolean synchronous) {
        this.synchronous = synchronous;
    }
}
