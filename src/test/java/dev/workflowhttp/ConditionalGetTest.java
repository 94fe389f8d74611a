package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.support.processor.state.MemoryStateRepository;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code conditionalGet}: a polled GET sends the validators of its last answer, and a 304 is a success with an empty
 * body and {@code CamelWorkflowHttpNotModified=true}; the server here answers by what it received.
 */
class ConditionalGetTest extends WorkflowHttpTestSupport {

    private MockWebServer server;
    private final AtomicInteger version = new AtomicInteger(1);

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            String etag = "\"v" + version.get() + "\"";
            if (request.getTarget().startsWith("/dated")) {
                String date = "Tue, 01 Dec 2026 10:00:0" + version.get() + " GMT";
                if (date.equals(request.getHeaders().get("If-Modified-Since"))) {
                    return new MockResponse.Builder().code(304).build();
                }
                return new MockResponse.Builder()
                        .addHeader("Last-Modified", date)
                        .body("dated v" + version.get())
                        .build();
            }
            if (etag.equals(request.getHeaders().get("If-None-Match"))) {
                return new MockResponse.Builder()
                        .code(304)
                        .addHeader("ETag", etag)
                        .build();
            }
            return new MockResponse.Builder()
                    .addHeader("ETag", etag)
                    .body("feed v" + version.get())
                    .build();
        });
    }

    private void route(String id, String path, String options) throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:" + id).to("workflow-http:" + server.url(path) + "?timeout=5s" + options);
            }
        });
    }

    private Exchange poll(String id) {
        Exchange result = template.request("direct:" + id, e -> {});
        assertThat(result.getException()).isNull();
        return result;
    }

    @Test
    void anUnchangedFeedIsNotModifiedAndAChangedOneComesWhole() throws Exception {
        route("poll", "/feed", "&conditionalGet=true");

        Exchange first = poll("poll");
        Exchange second = poll("poll");
        version.set(2);
        Exchange third = poll("poll");

        assertThat(first.getMessage().getBody(String.class)).isEqualTo("feed v1");
        assertThat(first.getMessage().getHeader(WorkflowHttpConstants.NOT_MODIFIED))
                .isEqualTo(false);
        assertThat(second.getMessage().getHeader(WorkflowHttpConstants.NOT_MODIFIED))
                .isEqualTo(true);
        assertThat(second.getMessage().getHeader(WorkflowHttpConstants.RESPONSE_CODE))
                .isEqualTo(304);
        assertThat(second.getMessage().getBody(byte[].class)).isEmpty();
        assertThat(third.getMessage().getBody(String.class)).isEqualTo("feed v2");
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-None-Match"))
                .isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-None-Match"))
                .isEqualTo("\"v1\"");
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-None-Match"))
                .isEqualTo("\"v1\"");
    }

    @Test
    void lastModifiedIsSentBackAsIfModifiedSince() throws Exception {
        route("dated", "/dated", "&conditionalGet=true");

        poll("dated");
        Exchange second = poll("dated");

        assertThat(second.getMessage().getHeader(WorkflowHttpConstants.NOT_MODIFIED))
                .isEqualTo(true);
        server.takeRequest(5, TimeUnit.SECONDS);
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-Modified-Since"))
                .isEqualTo("Tue, 01 Dec 2026 10:00:01 GMT");
    }

    @Test
    void withoutTheOptionNoValidatorIsSent() throws Exception {
        route("plain", "/feed", "");

        poll("plain");
        poll("plain");

        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-None-Match"))
                .isNull();
        assertThat(server.takeRequest(5, TimeUnit.SECONDS).getHeaders().get("If-None-Match"))
                .isNull();
    }

    @Test
    void endpointsSharingARepositoryShareTheValidators() throws Exception {
        // two instances of a workflow, as two endpoints pointed at one shared repository
        context.getRegistry().bind("validators", new MemoryStateRepository());
        route("a", "/feed", "&conditionalGet=true&conditionalRepository=#validators");
        route("b", "/feed", "&conditionalGet=true&conditionalRepository=#validators&connectTimeout=6s");

        poll("a");
        Exchange fromB = poll("b");

        assertThat(fromB.getMessage().getHeader(WorkflowHttpConstants.NOT_MODIFIED))
                .isEqualTo(true);
    }
}
