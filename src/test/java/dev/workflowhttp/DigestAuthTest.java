package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code authScheme=digest}: the step answers the server's digest challenge (RFC 7616, MD5, qop=auth) with the right
 * response, in the same call; the server here checks the response hash itself and counts the challenges it sent.
 */
class DigestAuthTest extends WorkflowHttpTestSupport {

    private static final String REALM = "workflows";
    private static final String NONCE = "dcd98b7102dd2f0e8b11d0f600bfb0c093";
    private static final Pattern PARAM = Pattern.compile("(\\w+)=(?:\"([^\"]*)\"|([^,\\s]+))");

    private MockWebServer server;
    private final AtomicInteger challenges = new AtomicInteger();
    private final AtomicInteger accepted = new AtomicInteger();

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            String authorization = request.getHeaders().get("Authorization");
            if (authorization != null
                    && authorization.startsWith("Digest ")
                    && validDigest(authorization.substring(7), request.getMethod(), "robot", "s3cret")) {
                accepted.incrementAndGet();
                return new MockResponse.Builder().body("welcome").build();
            }
            challenges.incrementAndGet();
            return new MockResponse.Builder()
                    .code(401)
                    .addHeader(
                            "WWW-Authenticate",
                            "Digest realm=\"" + REALM + "\", qop=\"auth\", nonce=\"" + NONCE + "\", algorithm=MD5")
                    .body("who are you")
                    .build();
        });
    }

    /** The server's side of RFC 7616 with MD5 and qop=auth. */
    private static boolean validDigest(String header, String method, String user, String password) {
        Map<String, String> params = new HashMap<>();
        Matcher matcher = PARAM.matcher(header);
        while (matcher.find()) {
            params.put(matcher.group(1), matcher.group(2) != null ? matcher.group(2) : matcher.group(3));
        }
        if (!user.equals(params.get("username")) || !NONCE.equals(params.get("nonce"))) {
            return false;
        }
        String ha1 = md5(user + ":" + REALM + ":" + password);
        String ha2 = md5(method + ":" + params.get("uri"));
        String expected = md5(ha1 + ":" + NONCE + ":" + params.get("nc") + ":" + params.get("cnonce") + ":auth:" + ha2);
        return expected.equals(params.get("response"));
    }

    private static String md5(String text) {
        try {
            return HexFormat.of()
                    .formatHex(MessageDigest.getInstance("MD5").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private Exchange call(String options) throws Exception {
        String step = oneStepRoute("workflow-http:" + server.url("/reports?day=1") + "?timeout=5s"
                + "&authUsername=robot&authPassword=s3cret" + options);
        return template.request(step, e -> {});
    }

    @Test
    void theChallengeIsAnsweredWithTheRightDigest() throws Exception {
        Exchange result = call("&authScheme=digest");

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("welcome");
        assertThat(challenges.get()).isEqualTo(1);
        assertThat(accepted.get()).isEqualTo(1);
        assertThat(server.getRequestCount()).isEqualTo(2);
    }

    @Test
    void aPostIsSentAgainWithItsBodyInAnswerToTheChallenge() throws Exception {
        String step = oneStepRoute("workflow-http:" + server.url("/orders") + "?timeout=5s&method=POST"
                + "&authUsername=robot&authPassword=s3cret&authScheme=digest");

        Exchange result = template.request(step, e -> e.getMessage().setBody("{\"order\":1}"));

        assertThat(result.getException()).isNull();
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"order\":1}");
        assertThat(server.takeRequest().getBody().utf8()).isEqualTo("{\"order\":1}");
    }

    @Test
    void withTheWrongPasswordTheCallFailsWithTheServersStatus() throws Exception {
        String step = oneStepRoute("workflow-http:" + server.url("/reports") + "?timeout=5s"
                + "&authUsername=robot&authPassword=wrong&authScheme=digest");

        Exchange failed = template.request(step, e -> {});

        assertThat(failed.getException())
                .isInstanceOf(WorkflowHttpStatusException.class)
                .hasMessageContaining("401");
    }

    @Test
    void basicStaysTheDefaultAndIsSentWithTheFirstRequest() throws Exception {
        Exchange result = call("");

        // this server only accepts digest: basic credentials, sent at once, get the challenge as the answer
        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        assertThat(server.takeRequest().getHeaders().get("Authorization")).startsWith("Basic ");
        assertThat(server.getRequestCount()).isEqualTo(1);
    }
}
