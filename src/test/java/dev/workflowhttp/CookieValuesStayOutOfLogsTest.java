package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.CapturedLogs;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.List;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.builder.RouteBuilder;
import org.apache.logging.log4j.Level;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * No cookie value reaches a logger: every logger (the HTTP client's and ours) is set to TRACE while a server sets a
 * cookie for another domain (rejected) and one for itself (kept, and sent with the next call). The rejection is still
 * told at WARN, by the cookie's name and domain.
 * <p>
 * One logger is left out: the HTTP client's header dump ({@code org.apache.hc.client5.http.headers}, DEBUG only)
 * prints the response headers as they arrive, before any code of ours sees them, and the client offers no hook to
 * change that; the request's {@code Cookie} header it shows masked.
 */
class CookieValuesStayOutOfLogsTest extends WorkflowHttpTestSupport {

    private static final String REJECTED = "rejected-S3CRET-5555";
    private static final String KEPT = "kept-S3CRET-6666";
    /** The HTTP client's header dump, at DEBUG: its "<<" lines show response headers as received. */
    private static final String RESPONSE_HEADER_DUMP = "org.apache.hc.client5.http.headers";

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            if (request.getTarget().startsWith("/login")) {
                return new MockResponse.Builder()
                        .addHeader("Set-Cookie", "sess=" + REJECTED + "; Domain=other.example; Path=/")
                        .addHeader("Set-Cookie", "kept=" + KEPT + "; Path=/")
                        .body("logged in")
                        .build();
            }
            String cookie = request.getHeaders().get("Cookie");
            return new MockResponse.Builder()
                    .body(cookie == null ? "no cookie" : cookie)
                    .build();
        });
    }

    @Test
    void aRejectedCookieIsToldWithoutItsValueAndAKeptOneIsSentWithoutBeingLogged() throws Exception {
        String base = "workflow-http:http://127.0.0.1:" + server.getPort();
        List<CapturedLogs.Line> lines;
        String body;
        try (CapturedLogs logs = CapturedLogs.start()) {
            addRoutes(new RouteBuilder() {
                @Override
                public void configure() {
                    from("direct:run").to(base + "/login?cookies=exchange").to(base + "/orders?cookies=exchange");
                }
            });
            body = template.requestBody("direct:run", null, String.class);
            lines = logs.lines();
        }

        assertThat(body).as("the kept cookie went with the next call").isEqualTo("kept=" + KEPT);
        assertThat(lines)
                .as("something was logged at TRACE: the capture works")
                .isNotEmpty()
                .anySatisfy(line -> assertThat(line.logger()).startsWith("org.apache.hc."));
        assertThat(lines)
                .filteredOn(line -> !line.logger().equals(RESPONSE_HEADER_DUMP)
                        || line.text().contains(" >> "))
                .allSatisfy(
                        line -> assertThat(line.text()).doesNotContain(REJECTED).doesNotContain(KEPT));
        assertThat(lines)
                .filteredOn(line -> line.level().isMoreSpecificThan(Level.INFO))
                .allSatisfy(
                        line -> assertThat(line.text()).doesNotContain(REJECTED).doesNotContain(KEPT));
        assertThat(lines).as("the rejection is told, by name and domain").anySatisfy(line -> {
            assertThat(line.level()).isEqualTo(Level.WARN);
            assertThat(line.text()).contains("cookie sess rejected").contains("other.example");
        });
    }
}
