package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * OAuth2 client credentials: the server here is both the token endpoint ({@code /token}, which checks the client's
 * credentials and the grant, counts its fetches and hands out {@code tok-1}, {@code tok-2}, ...) and the API
 * ({@code /api}, which accepts only the latest token, or none when told to refuse every token).
 */
class OAuth2Test extends WorkflowHttpTestSupport {

    private static final String CLIENT = "Basic "
            + Base64.getEncoder()
                    .encodeToString("robot:s3cr%2Bt".getBytes(StandardCharsets.UTF_8)); // "s3cr+t", form-encoded first

    private MockWebServer server;
    private final AtomicInteger fetches = new AtomicInteger();
    private final List<String> tokenRequests = new ArrayList<>();
    private volatile long expiresIn = 3600;
    private volatile long tokenDelayMillis;
    private volatile boolean refuseEveryToken;
    private volatile String tokenError;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> request.getTarget().startsWith("/token") ? token(request) : api(request));
    }

    private MockResponse token(RecordedRequest request) {
        synchronized (tokenRequests) {
            tokenRequests.add(request.getHeaders().get("Authorization") + " "
                    + request.getBody().utf8());
        }
        if (tokenError != null) {
            return new MockResponse.Builder()
                    .code(400)
                    .addHeader("Content-Type", "application/json")
                    .body(tokenError)
                    .build();
        }
        if (!CLIENT.equals(request.getHeaders().get("Authorization"))
                || !request.getBody().utf8().startsWith("grant_type=client_credentials")) {
            return new MockResponse.Builder()
                    .code(401)
                    .body("{\"error\":\"invalid_client\"}")
                    .build();
        }
        int number = fetches.incrementAndGet();
        return new MockResponse.Builder()
                .headersDelay(tokenDelayMillis, TimeUnit.MILLISECONDS)
                .addHeader("Content-Type", "application/json")
                .body("{\"access_token\":\"tok-" + number + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn
                        + "}")
                .build();
    }

    private MockResponse api(RecordedRequest request) {
        String expected = "Bearer tok-" + fetches.get();
        if (refuseEveryToken || !expected.equals(request.getHeaders().get("Authorization"))) {
            return new MockResponse.Builder().code(401).body("token refused").build();
        }
        return new MockResponse.Builder()
                .body("data for " + request.getHeaders().get("Authorization"))
                .build();
    }

    private String route(String options) throws Exception {
        return oneStepRoute("workflow-http:" + server.url("/api") + "?timeout=5s"
                + "&oauth2TokenEndpoint=" + server.url("/token") + "&oauth2ClientId=robot"
                + "&oauth2ClientSecret=RAW(s3cr+t)&oauth2Scope=reports.read" + options);
    }

    private long apiRequests() {
        return server.getRequestCount() - tokenRequests.size();
    }

    @Test
    void theTokenIsFetchedOnceAndSentWithEveryCall() throws Exception {
        String route = route("");

        for (int i = 0; i < 5; i++) {
            assertThat(template.requestBody(route, null, String.class)).isEqualTo("data for Bearer tok-1");
        }

        assertThat(fetches.get()).isEqualTo(1);
        assertThat(tokenRequests).containsExactly(CLIENT + " grant_type=client_credentials&scope=reports.read");
    }

    @Test
    void manyCallsNeedingTheTokenAtOnceShareOneFetch() throws Exception {
        tokenDelayMillis = 300; // every call starts while the first fetch is still under way
        String route = route("");

        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(template.asyncSend(route, e -> {}));
        }
        for (CompletableFuture<Exchange> call : calls) {
            Exchange done = call.get(10, TimeUnit.SECONDS);
            assertThat(done.getException()).isNull();
            assertThat(done.getMessage().getBody(String.class)).isEqualTo("data for Bearer tok-1");
        }

        assertThat(fetches.get()).isEqualTo(1);
        assertThat(apiRequests()).isEqualTo(20);
    }

    @Test
    void aTokenTheTargetRefusesIsFetchedAgainOnceAndTheCallSentAgain() throws Exception {
        String route = route("");
        template.requestBody(route, null, String.class);
        // the server revokes tok-1: only a new fetch gives a token it accepts
        String revoked = "tok-1";
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getTarget().startsWith("/token")) {
                    return token(request);
                }
                if (("Bearer " + revoked).equals(request.getHeaders().get("Authorization"))) {
                    return new MockResponse.Builder().code(401).body("revoked").build();
                }
                return api(request);
            }
        });

        String body = template.requestBody(route, null, String.class);

        assertThat(body).isEqualTo("data for Bearer tok-2");
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(apiRequests()).isEqualTo(3); // tok-1 accepted, tok-1 refused, tok-2 accepted
    }

    @Test
    void aTargetThatRefusesEveryTokenCausesOneRefreshNotALoop() throws Exception {
        refuseEveryToken = true;
        String route = route("&retryAttempts=2&retryBackoff=10ms/1/10ms");

        Exchange failed = template.request(route, e -> {});

        assertThat(failed.getException())
                .isInstanceOf(WorkflowHttpStatusException.class)
                .hasMessageContaining("401");
        assertThat(fetches.get()).isEqualTo(2);
        assertThat(apiRequests()).isEqualTo(2);
    }

    @Test
    void anExpiringTokenIsFetchedAgainShortlyBeforeItExpires() throws Exception {
        expiresIn = 1; // renewed after nine tenths of a second
        String route = route("");
        long start = System.nanoTime();
        template.requestBody(route, null, String.class);
        AtomicLong renewedAfter = new AtomicLong();

        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    template.requestBody(route, null, String.class);
                    renewedAfter.set(System.nanoTime() - start);
                    return fetches.get() == 2;
                });

        // not before nine tenths of its life; every call in between used the cached token
        assertThat(Duration.ofNanos(renewedAfter.get())).isGreaterThanOrEqualTo(Duration.ofMillis(900));
        assertThat(fetches.get()).isEqualTo(2);
    }

    @Test
    void waitingForTheTokenCountsAgainstTheCallsDeadline() throws Exception {
        tokenDelayMillis = 2_000;
        String route = route("");

        long start = System.nanoTime();
        Exchange failed = template.request(route, e -> e.getMessage().setHeader("CamelWorkflowHttpTimeout", "300ms"));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(failed.getException())
                .isInstanceOf(WorkflowHttpTimeoutException.class)
                .hasMessageContaining("OAuth2 access token");
        // a 300 ms deadline against a 2 s token endpoint; the slack is for a shared, noisy machine
        assertThat(took).isLessThan(Duration.ofMillis(1_800));
        assertThat(apiRequests()).isZero();
        // the fetch the hurried call started goes on under the endpoint's own timeout (5 s): the next call waits for
        // it and gets its token, fetched once
        assertThat(template.requestBody(route, null, String.class)).isEqualTo("data for Bearer tok-1");
        assertThat(fetches.get()).isEqualTo(1);
    }

    @Test
    void aRefusedTokenRequestFailsTheCallWithTheServersErrorAndNoSecret() throws Exception {
        tokenError = "{\"error\":\"invalid_scope\",\"error_description\":\"reports.read is not granted\"}";
        String route = route("");

        Exchange failed = template.request(route, e -> {});

        assertThat(failed.getException())
                .isInstanceOf(WorkflowHttpException.class)
                .hasMessageContaining("OAuth2 access token refused")
                .hasMessageContaining("/token answered 400")
                .hasMessageContaining("invalid_scope (reports.read is not granted)")
                .hasMessageNotContaining("s3cr");
        assertThat(apiRequests()).isZero();
    }

    @Test
    void theTokenIsNotSentToAnotherOriginThroughAUrlOverride() throws Exception {
        String route = route("");

        // the same server under another name is another origin
        Exchange refused = template.request(
                route,
                e -> e.getMessage()
                        .setHeader(WorkflowHttpConstants.URL, "http://127.0.0.1:" + server.getPort() + "/api"));

        assertThat(refused.getException()).hasMessageContaining("sent only to its own origin");
        assertThat(server.getRequestCount()).isZero();
    }

    @Test
    void aLifetimeSentAsAStringIsHonoured() throws Exception {
        String route = route("&oauth2BodyAuthentication=true");
        AtomicInteger issued = new AtomicInteger();
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getTarget().startsWith("/token")) {
                    issued.incrementAndGet();
                    return new MockResponse.Builder()
                            .body("{\"access_token\":\"t\",\"expires_in\":\"1\"}")
                            .build();
                }
                return new MockResponse.Builder().body("ok").build();
            }
        });

        template.requestBody(route, null, String.class);
        await().atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(50))
                .until(() -> {
                    template.requestBody(route, null, String.class);
                    return issued.get() == 2;
                });
    }

    @Test
    void clientCredentialsCanGoInTheFormInstead() throws Exception {
        String route = route("&oauth2BodyAuthentication=true");
        server.setDispatcher(new mockwebserver3.Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                if (request.getTarget().startsWith("/token")) {
                    synchronized (tokenRequests) {
                        tokenRequests.add(request.getHeaders().get("Authorization") + " "
                                + request.getBody().utf8());
                    }
                    fetches.incrementAndGet();
                    return new MockResponse.Builder()
                            .body("{\"access_token\":\"tok-1\"}")
                            .build();
                }
                return api(request);
            }
        });

        assertThat(template.requestBody(route, null, String.class)).isEqualTo("data for Bearer tok-1");
        assertThat(tokenRequests)
                .containsExactly("null grant_type=client_credentials&scope=reports.read"
                        + "&client_id=robot&client_secret=s3cr%2Bt");
    }
}
