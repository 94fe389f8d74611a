package dev.workflowhttp.component;

import com.fasterxml.jackson.databind.JsonNode;
import dev.workflowhttp.Limit;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.internal.http.CallSettings;
import dev.workflowhttp.internal.http.HttpResult;
import dev.workflowhttp.internal.http.PooledClient;
import dev.workflowhttp.internal.http.SecretHeader;
import dev.workflowhttp.internal.http.StatusCodes;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.apache.hc.client5.http.async.methods.SimpleHttpRequest;
import org.apache.hc.core5.http.ContentType;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An endpoint's OAuth2 access token (client credentials grant, RFC 6749 section 4.4): fetched when first needed,
 * kept until shortly before it expires, fetched once however many calls need it at the same time, and dropped when
 * the target answers 401 to it. A fetch runs under the endpoint's own {@code timeout}, not under the deadline of the
 * call that happened to start it: a call that gives up waiting (its own deadline passed) leaves the fetch to finish
 * for the calls after it.
 */
final class OAuth2Tokens {

    private static final Logger LOG = LoggerFactory.getLogger(OAuth2Tokens.class);
    /** A token is fetched again this long before it expires, or at nine tenths of its life when that is shorter. */
    static final Duration EXPIRY_MARGIN = Duration.ofSeconds(30);
    /**
     * The longest a token fetch may take: the endpoint's {@code timeout} when shorter. A token endpoint that hangs
     * must not hold every later call of the endpoint behind one fetch (with {@code timeout=0}, for ever).
     */
    static final Duration FETCH_LIMIT = Duration.ofSeconds(30);

    private static final long MAX_TOKEN_RESPONSE = 64 * 1024;
    /** A 2xx answer holds the token; any other is not thrown but read by the parser, which names the server's error. */
    private static final StatusCodes SUCCESS = StatusCodes.parse("ok", "200-299");

    /**
     * An access token.
     *
     * @param value       the token
     * @param renewAtNanos System.nanoTime() reading after which it is fetched again; ignored when {@code expires} is
     *                    false (the server gave no lifetime: kept until a 401)
     */
    record Token(String value, boolean expires, long renewAtNanos) {
        boolean fresh(long now) {
            return !expires || now - renewAtNanos < 0;
        }
    }

    private final Supplier<WorkflowHttpRuntime> runtime;
    private final Supplier<PooledClient> client;
    private final StepSettings config;
    private final RequestFactory.Target tokenEndpoint;
    private final AtomicReference<Token> current = new AtomicReference<>();
    private final AtomicReference<CompletableFuture<Token>> inFlight = new AtomicReference<>();

    OAuth2Tokens(Supplier<WorkflowHttpRuntime> runtime, Supplier<PooledClient> client, StepSettings config) {
        this.runtime = runtime;
        this.client = client;
        this.config = config;
        this.tokenEndpoint = RequestFactory.Target.of(config.getOauth2().getOauth2TokenEndpoint());
    }

    String maskedUrl() {
        return tokenEndpoint.maskedUrl();
    }

    /** The cached token while it is fresh, or null. */
    Token cached() {
        Token token = current.get();
        return token != null && token.fresh(System.nanoTime()) ? token : null;
    }

    /** Forgets {@code rejected} (the target answered 401 to it), unless a newer token replaced it already. */
    void reject(Token rejected) {
        if (current.compareAndSet(rejected, null)) {
            LOG.debug("The target refused the OAuth2 access token from {}: fetching a new one", maskedUrl());
        }
    }

    /** A fresh token: the cached one, the fetch already under way, or a new fetch. */
    CompletableFuture<Token> token() {
        while (true) {
            Token cached = cached();
            if (cached != null) {
                return CompletableFuture.completedFuture(cached);
            }
            CompletableFuture<Token> running = inFlight.get();
            if (running != null) {
                return running;
            }
            CompletableFuture<Token> mine = new CompletableFuture<>();
            if (inFlight.compareAndSet(null, mine)) {
                Token raced = cached(); // a fetch that ended between the first look and now
                if (raced != null) {
                    inFlight.compareAndSet(mine, null);
                    mine.complete(raced);
                } else {
                    fetch(mine);
                }
                return mine;
            }
        }
    }

    /**
     * Fetches a token as one attempt of a call: the same pipeline as the calls themselves (a timeout scope with its
     * phases, the endpoint's and component's network rules on every resolved address, masked messages, the meters).
     */
    private void fetch(CompletableFuture<Token> result) {
        Duration limit = config.getTimeout().isZero() || config.getTimeout().compareTo(FETCH_LIMIT) > 0
                ? FETCH_LIMIT
                : config.getTimeout();
        Attempt.Plan plan = new Attempt.Plan(
                "POST " + maskedUrl() + " (OAuth2 access token)",
                limit,
                Limit.TIMEOUT,
                ExchangeCookies.NONE,
                null,
                false,
                0,
                false,
                new CallSettings(false, MAX_TOKEN_RESPONSE, SUCCESS, false, maskedUrl()),
                null,
                false);
        Attempt attempt;
        try {
            RequestFactory.Prepared request =
                    new RequestFactory.Prepared(tokenRequest(), "POST", tokenEndpoint.uri(), maskedUrl(), null);
            long requestedAt = System.nanoTime();
            attempt = new Attempt(
                    1,
                    runtime.get(),
                    client.get(),
                    config,
                    request,
                    plan,
                    (done, response, error) -> fetched(result, done, response, error, requestedAt));
        } catch (RuntimeException e) {
            inFlight.compareAndSet(result, null);
            result.completeExceptionally(e);
            return;
        }
        try {
            attempt.start(null);
        } catch (RuntimeException e) {
            attempt.scope().release();
            inFlight.compareAndSet(result, null);
            result.completeExceptionally(e);
        }
    }

    private void fetched(
            CompletableFuture<Token> result, Attempt attempt, HttpResult response, Throwable error, long requestedAt) {
        Token token = null;
        Throwable failure = error;
        try {
            if (failure == null) {
                token = parse(response, requestedAt);
            }
        } catch (WorkflowHttpException | RuntimeException e) {
            failure = e;
        } finally {
            attempt.scope().release();
        }
        if (token != null) {
            current.set(token); // before the fetch is cleared: no moment without either
        }
        inFlight.compareAndSet(result, null);
        if (token != null) {
            result.complete(token);
        } else {
            result.completeExceptionally(
                    failure instanceof WorkflowHttpException
                            ? failure
                            : new WorkflowHttpException(
                                    "OAuth2 access token not fetched from " + maskedUrl() + ": " + failure.getMessage(),
                                    maskedUrl(),
                                    null,
                                    failure));
        }
    }

    private SimpleHttpRequest tokenRequest() {
        SimpleHttpRequest request = new SimpleHttpRequest("POST", tokenEndpoint.uri());
        Map<String, String> form = new LinkedHashMap<>();
        form.put("grant_type", "client_credentials");
        if (config.getOauth2().getOauth2Scope() != null) {
            form.put("scope", config.getOauth2().getOauth2Scope());
        }
        if (config.getOauth2().isOauth2BodyAuthentication()) {
            form.put("client_id", config.getOauth2().getOauth2ClientId());
            form.put("client_secret", config.getOauth2().getOauth2ClientSecret());
        } else {
            // RFC 6749 section 2.3.1: both form-encoded, then joined for HTTP basic authentication
            String pair = formEncode(config.getOauth2().getOauth2ClientId()) + ":"
                    + formEncode(config.getOauth2().getOauth2ClientSecret());
            request.setHeader(new SecretHeader(
                    "Authorization",
                    "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8))));
        }
        request.setBody(
                FormFields.encode("oauth2", form).getBytes(StandardCharsets.UTF_8),
                ContentType.APPLICATION_FORM_URLENCODED.withCharset(StandardCharsets.UTF_8));
        request.setHeader("Accept", "application/json");
        request.setHeader(
                "User-Agent",
                config.getUserAgent() != null
                        ? config.getUserAgent()
                        : runtime.get().requests().defaultUserAgent());
        return request;
    }

    private static String formEncode(String text) {
        return URLEncoder.encode(text, StandardCharsets.UTF_8);
    }

    /** The token of a successful answer (RFC 6749 section 5.1); the server's error (section 5.2) otherwise. */
    private Token parse(HttpResult response, long requestedAt) throws WorkflowHttpException {
        JsonNode body = null;
        try {
            body = runtime.get().requests().json().readTree((byte[]) response.body());
        } catch (java.io.IOException | RuntimeException e) {
            // not JSON: said below
        }
        if (response.statusCode() < 200 || response.statusCode() > 299) {
            String error = body == null ? "" : text(body, "error");
            String description = body == null ? "" : text(body, "error_description");
            throw new WorkflowHttpException(
                    String.format(
                            "OAuth2 access token refused: %s answered %d%s%s",
                            maskedUrl(),
                            response.statusCode(),
                            error.isEmpty() ? "" : " " + error,
                            description.isEmpty() ? "" : " (" + description + ")"),
                    maskedUrl(),
                    null);
        }
        String value = body == null ? "" : text(body, "access_token");
        if (value.isEmpty()) {
            throw new WorkflowHttpException(
                    "OAuth2 access token not found: the answer of " + maskedUrl() + " has no access_token"
                            + (body == null ? " (it is not JSON)" : ""),
                    maskedUrl(),
                    null);
        }
        RequestFactory.checkHeader("Authorization", value);
        long seconds = expiresIn(body.get("expires_in"));
        if (seconds <= 0) {
            return new Token(value, false, 0);
        }
        long lifetime = Duration.ofSeconds(seconds).toNanos();
        long margin = Math.min(EXPIRY_MARGIN.toNanos(), lifetime / 10);
        // counted from the request, not the answer: the server's clock started before the answer came
        return new Token(value, true, requestedAt + lifetime - margin);
    }

    /** {@code expires_in} in seconds, a number or (as some servers send it) a string of digits; 0 when absent. */
    private static long expiresIn(JsonNode value) {
        if (value == null) {
            return 0;
        }
        if (value.canConvertToLong()) {
            return value.asLong();
        }
        String text = value.asText().trim();
        return !text.isEmpty() && text.length() < 12 && text.chars().allMatch(Character::isDigit)
                ? Long.parseLong(text)
                : 0;
    }

    private static String text(JsonNode body, String field) {
        JsonNode value = body.get(field);
        return value == null || value.isNull() ? "" : value.asText();
    }
}
