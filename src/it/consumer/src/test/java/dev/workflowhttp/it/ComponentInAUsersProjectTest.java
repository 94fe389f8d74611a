package dev.workflowhttp.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A user's project with nothing but the component on its class path (no Micrometer, no logging backend): Camel finds
 * {@code workflow-http} by its scheme, the step calls a server on 127.0.0.1, and the jar configures nobody's logging.
 */
class ComponentInAUsersProjectTest {

    private HttpServer server;
    private CamelContext context;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/hello", exchange -> {
            byte[] body = "hello from the server".getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
        context = new DefaultCamelContext();
        String url = "http://127.0.0.1:" + server.getAddress().getPort() + "/hello";
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call").to("workflow-http:" + url + "?timeout=5s");
            }
        });
        context.start();
    }

    @AfterEach
    void stop() {
        context.stop();
        server.stop(0);
    }

    @Test
    void theStepCallsTheServerFromAUsersRoute() {
        try (ProducerTemplate template = context.createProducerTemplate()) {
            String body = template.requestBody("direct:call", null, String.class);
            assertEquals("hello from the server", body);
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void camelKnowsTheComponentFromItsGeneratedMetadata() throws Exception {
        assertNotNull(
                context.getCamelContextExtension().getEndpointUriFactory("workflow-http"), "the generated URI factory");
        try (InputStream in =
                getClass().getResourceAsStream("/META-INF/dev/workflowhttp/component/workflow-http.json")) {
            assertNotNull(in, "workflow-http.json");
            String json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(json.contains("\"timeout\"") && json.contains("\"authBearerToken\""), json);
        }
    }

    @Test
    void theJarConfiguresNobodysLogging() {
        assertNull(getClass().getResource("/log4j2.properties"), "a log4j2.properties at the class path's root");
        assertNull(getClass().getResource("/log4j2.xml"), "a log4j2.xml at the class path's root");
        assertNull(getClass().getResource("/logback.xml"), "a logback.xml at the class path's root");
    }
}
