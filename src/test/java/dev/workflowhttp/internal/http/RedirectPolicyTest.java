package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.workflowhttp.Phase;
import java.net.URI;
import org.apache.hc.client5.http.protocol.HttpClientContext;
import org.apache.hc.core5.http.HttpHost;
import org.apache.hc.core5.http.HttpRequest;
import org.apache.hc.core5.http.message.BasicHttpRequest;
import org.apache.hc.core5.http.message.BasicHttpResponse;
import org.junit.jupiter.api.Test;

/**
 * The step's redirect rules, hop by hop as the client asks them: a limit, no loops, no https-to-http unless allowed,
 * and no credentials to another origin. The trail is the call's record of the hops.
 */
class RedirectPolicyTest {

    private static final String MASKED = "https://api.example/start?key=xxxxxx";

    private final HttpClientContext context = HttpClientContext.create();

    private RedirectTrail trail(int maxRedirects, boolean allowInsecure) {
        RedirectTrail trail = new RedirectTrail(maxRedirects, allowInsecure, MASKED);
        CallContext.bindTarget(context, null, trail, MASKED);
        return trail;
    }

    /** The location the policy accepts for a {@code status} answer to {@code method uri} pointing to {@code to}. */
    private URI follow(String method, String uri, int status, String to) throws Exception {
        BasicHttpResponse response = new BasicHttpResponse(status);
        response.addHeader("Location", to);
        return RedirectPolicy.INSTANCE.getLocationURI(new BasicHttpRequest(method, URI.create(uri)), response, context);
    }

    private RedirectRefusedException refusal(String method, String uri, int status, String to) {
        return catchThrowableOfType(RedirectRefusedException.class, () -> follow(method, uri, status, to));
    }

    @Test
    void aRelativeLocationIsResolvedAndRecordedAsTheLastOne() throws Exception {
        RedirectTrail trail = trail(5, false);

        URI next = follow("GET", "https://api.example/a/b", 302, "../c?x=1");

        assertThat(next).isEqualTo(URI.create("https://api.example/c?x=1"));
        assertThat(trail.lastLocation()).isEqualTo(next);
    }

    @Test
    void theRedirectPastMaxRedirectsIsRefusedWithTheMaskedUrl() throws Exception {
        trail(2, false);
        follow("GET", "https://api.example/1", 302, "/2");
        follow("GET", "https://api.example/2", 302, "/3");

        RedirectRefusedException refused = refusal("GET", "https://api.example/3", 302, "/4?token=S3CRET");

        assertThat(refused.failure())
                .hasMessage("too many redirects: more than maxRedirects=2, the last to "
                        + "https://api.example/4?token=xxxxxx (" + MASKED + ")");
        assertThat(refused.failure().getPhase()).isEqualTo(Phase.HEADERS);
    }

    @Test
    void aRedirectBackToARequestAlreadyMadeIsALoop() throws Exception {
        trail(10, false);
        follow("GET", "https://api.example/a", 302, "/b");

        RedirectRefusedException refused = refusal("GET", "https://api.example/b", 302, "/a");

        assertThat(refused.failure().getMessage())
                .startsWith("redirect loop: https://api.example/b redirects back " + "to https://api.example/a");
    }

    @Test
    void aRedirectBackToTheSameRequestWrittenDifferentlyIsALoop() throws Exception {
        // the default port written out, the host in capitals, an empty path: the same request for the server
        trail(10, false);
        follow("GET", "https://api.example/a", 302, "https://API.example:443/b");
        follow("GET", "https://API.example:443/b", 302, "https://api.example");

        RedirectRefusedException refused = refusal("GET", "https://api.example", 302, "https://api.example:443/a");

        assertThat(refused.failure().getMessage())
                .startsWith("redirect loop: https://api.example/ redirects back to https://api.example:443/a");
    }

    @Test
    void aPostRedirectedWith303BackToItsUrlIsNoLoop() throws Exception {
        // the 303 turns the POST into a GET: GET /form was never requested
        trail(10, false);

        assertThat(follow("POST", "https://api.example/form", 303, "/form"))
                .isEqualTo(URI.create("https://api.example/form"));
    }

    @Test
    void fromHttpsToHttpIsRefusedUnlessAllowed() throws Exception {
        trail(5, false);
        assertThat(refusal("GET", "https://api.example/a", 302, "http://api.example/b")
                        .failure()
                        .getMessage())
                .startsWith("redirect from https to http refused")
                .contains("allowInsecureRedirects=true");

        trail(5, true);
        assertThat(follow("GET", "https://api.example/a", 302, "http://api.example/b"))
                .isEqualTo(URI.create("http://api.example/b"));
    }

    @Test
    void aHopToAnotherOriginGoesWithoutCredentialHeaders() {
        HttpRequest redirect = new BasicHttpRequest("GET", URI.create("https://other.example/x"));
        redirect.addHeader("Authorization", "Bearer S3CRET");
        redirect.addHeader("Cookie", "sess=S3CRET");
        redirect.addHeader("X-Api-Key", "S3CRET");
        redirect.addHeader("Accept", "application/json");

        boolean allowed = RedirectPolicy.INSTANCE.isRedirectAllowed(
                new HttpHost("https", "api.example", 443),
                new HttpHost("https", "other.example", 443),
                redirect,
                context);

        assertThat(allowed).isTrue();
        assertThat(redirect.getHeaders()).extracting(header -> header.getName()).containsExactly("Accept");
    }

    @Test
    void aHopToTheSameOriginKeepsItsHeaders() {
        HttpRequest redirect = new BasicHttpRequest("GET", URI.create("https://api.example/x"));
        redirect.addHeader("Authorization", "Bearer S3CRET");

        RedirectPolicy.INSTANCE.isRedirectAllowed(
                new HttpHost("https", "api.example", -1), new HttpHost("https", "API.example", 443), redirect, context);

        assertThat(redirect.getFirstHeader("Authorization")).isNotNull();
    }

    @Test
    void withoutATrailTheClientsRulesAlone() throws Exception {
        assertThat(follow("GET", "https://api.example/a", 302, "http://api.example/a"))
                .isEqualTo(URI.create("http://api.example/a"));
    }
}
