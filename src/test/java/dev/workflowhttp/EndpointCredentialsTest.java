package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The credentials written on an endpoint go only to that endpoint's origin: a {@code CamelWorkflowHttpUrl} from the
 * exchange that points elsewhere fails the call before anything is sent, and credentials the exchange sets in full go
 * with the exchange's URL. Two loopback servers on two ports are two origins; each records the
 * {@code Authorization} header of every request it gets.
 */
class EndpointCredentialsTest extends WorkflowHttpTestSupport {

    private final List<String> homeSaw = new CopyOnWriteArrayList<>();
    private final List<String> elsewhereSaw = new CopyOnWriteArrayList<>();
    private MockWebServer home;
    private MockWebServer elsewhere;

    @BeforeEach
    void servers() throws Exception {
        home = loopbackServer(request -> {
            homeSaw.add(String.valueOf(request.getHeaders().get("Authorization")));
            return new MockResponse.Builder().body("home").build();
        });
        elsewhere = loopbackServer(request -> {
            elsewhereSaw.add(String.valueOf(request.getHeaders().get("Authorization")));
            return new MockResponse.Builder().body("elsewhere").build();
        });
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:bearer").to("workflow-http:" + home.url("/api") + "?authBearerToken=endpoint-token");
                from("direct:basic")
                        .to("workflow-http:" + home.url("/api") + "?authUsername=robot&authPassword=endpoint-secret");
                from("direct:digest")
                        .to("workflow-http:" + home.url("/api")
                                + "?authUsername=robot&authPassword=endpoint-secret&authScheme=digest");
            }
        });
    }

    private Exchange send(String route, Map<String, Object> headers) {
        return template.request(
                "direct:" + route,
                exchange -> exchange.getMessage().getHeaders().putAll(headers));
    }

    @Test
    void aUrlFromTheExchangeOnAnotherOriginGetsNoneOfTheEndpointsCredentials() {
        for (String route : List.of("bearer", "basic", "digest")) {
            Exchange result = send(
                    route,
                    Map.of(WorkflowHttpConstants.URL, elsewhere.url("/collect").toString()));

            assertThat(result.getException())
                    .as(route)
                    .isInstanceOf(WorkflowHttpException.class)
                    .hasMessageContaining("sent only to its own origin (" + "http://" + home.getHostName() + ":"
                            + home.getPort() + ")")
                    .hasMessageContaining(elsewhere.url("/collect").toString())
                    .hasMessageContaining(WorkflowHttpConstants.URL)
                    .hasMessageNotContaining("endpoint-token")
                    .hasMessageNotContaining("endpoint-secret");
        }
        assertThat(elsewhereSaw).as("nothing was sent to the other origin").isEmpty();
        assertThat(homeSaw).isEmpty();
        assertReleased();
    }

    @Test
    void theMessageSaysHowToSendCredentialsWithAUrlFromTheExchange() {
        Exchange result = send(
                "bearer", Map.of(WorkflowHttpConstants.URL, elsewhere.url("/x").toString()));

        assertThat(result.getException()).hasMessageContaining("CamelWorkflowHttpAuthBearerToken");
    }

    @Test
    void aUrlFromTheExchangeOnTheSameOriginGetsThemHoweverTheOriginIsWritten() {
        // scheme in capitals, and the port written out as it always is here: still the endpoint's origin
        String sameOrigin = "HTTP://" + home.getHostName() + ":" + home.getPort() + "/other/path?q=1";

        Exchange result = send("bearer", Map.of(WorkflowHttpConstants.URL, sameOrigin));

        assertThat(result.getException()).isNull();
        assertThat(homeSaw).containsExactly("Bearer endpoint-token");
    }

    @Test
    void credentialsTheExchangeSetsInFullGoWithTheExchangesUrl() {
        Exchange bearer = send(
                "bearer",
                Map.of(
                        WorkflowHttpConstants.URL,
                        elsewhere.url("/x").toString(),
                        WorkflowHttpConstants.overrideHeader("authBearerToken"),
                        "exchange-token"));
        Exchange basic = send(
                "basic",
                Map.of(
                        WorkflowHttpConstants.URL,
                        elsewhere.url("/y").toString(),
                        WorkflowHttpConstants.overrideHeader("authUsername"),
                        "exchange-user",
                        WorkflowHttpConstants.overrideHeader("authPassword"),
                        "exchange-secret"));

        assertThat(bearer.getException()).isNull();
        assertThat(basic.getException()).isNull();
        assertThat(elsewhereSaw)
                .containsExactly(
                        "Bearer exchange-token",
                        "Basic "
                                + Base64.getEncoder()
                                        .encodeToString(
                                                "exchange-user:exchange-secret".getBytes(StandardCharsets.UTF_8)));
        assertReleased();
    }

    @Test
    void halfOfTheEndpointsCredentialsStillStayHome() {
        // a user name can be the secret (some APIs take the key as the user name, with an empty password)
        Exchange passwordOnly = send(
                "basic",
                Map.of(
                        WorkflowHttpConstants.URL,
                        elsewhere.url("/p").toString(),
                        WorkflowHttpConstants.overrideHeader("authPassword"),
                        "exchange-secret"));
        Exchange userOnly = send(
                "basic",
                Map.of(
                        WorkflowHttpConstants.URL,
                        elsewhere.url("/u").toString(),
                        WorkflowHttpConstants.overrideHeader("authUsername"),
                        "exchange-user"));

        assertThat(passwordOnly.getException())
                .hasMessageContaining("sent only to its own origin")
                .hasMessageContaining("CamelWorkflowHttpAuthUsername and CamelWorkflowHttpAuthPassword");
        assertThat(userOnly.getException()).hasMessageContaining("sent only to its own origin");
        assertThat(elsewhereSaw).isEmpty();
    }

    @Test
    void aHeaderTheStepDoesNotApplyDoesNotCountAsTheExchangesOwn() {
        // Camel finds headers whatever their case, but options are overridden only by CamelWorkflowHttp<Option>:
        // a header in other letters leaves the endpoint's token in effect, so it still stays home
        Exchange result = send(
                "bearer",
                Map.of(
                        WorkflowHttpConstants.URL,
                        elsewhere.url("/c").toString(),
                        "camelworkflowhttpauthbearertoken",
                        "exchange-token"));

        assertThat(result.getException()).hasMessageContaining("sent only to its own origin");
        assertThat(elsewhereSaw).isEmpty();
    }
}
