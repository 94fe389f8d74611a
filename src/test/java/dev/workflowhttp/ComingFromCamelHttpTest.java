package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.http.base.HttpOperationFailedException;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A failed status is a {@link WorkflowHttpStatusException}, a {@link WorkflowHttpException}: not camel-http's
 * {@link HttpOperationFailedException}. A route moved from camel-http names our class in its {@code onException}; the
 * simple expressions it used on the status keep working ({@code ${exception.statusCode}}).
 */
class ComingFromCamelHttpTest extends WorkflowHttpTestSupport {

    private MockWebServer server;

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request ->
                new MockResponse.Builder().code(404).body("order 42 not found").build());
    }

    private String target() {
        return "workflow-http:http://127.0.0.1:" + server.getPort() + "/orders/42";
    }

    @Test
    void anOnExceptionOnHttpOperationFailedExceptionCatchesNothingOfOurs() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(HttpOperationFailedException.class).handled(true).setBody(constant("caught"));
                from("direct:order").to(target());
            }
        });

        Exchange result = template.request("direct:order", e -> {});

        assertThat(result.getException()).isInstanceOf(WorkflowHttpStatusException.class);
        assertThat(result.getMessage().getBody()).isNotEqualTo("caught");
    }

    @Test
    void theStatusExceptionIsCaughtByItsOwnClassWithTheSameStatusExpression() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(HttpOperationFailedException.class).handled(true).setBody(constant("camel-http clause"));
                onException(WorkflowHttpStatusException.class)
                        .onWhen(simple("${exception.statusCode} == 404"))
                        .handled(true)
                        .setBody(simple("${exception.statusCode}: ${exception.bodyAsString}"));
                from("direct:order").to(target());
            }
        });

        Exchange result = template.request("direct:order", e -> {});

        assertThat(result.getException()).isNull();
        assertThat(result.getMessage().getBody(String.class)).isEqualTo("404: order 42 not found");
    }

    /** The one clause that catches every error of the step catches a failed status too. */
    @Test
    void aClauseOnWorkflowHttpExceptionCatchesAFailedStatus() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                onException(Exception.class).handled(true).setBody(constant("any error"));
                onException(WorkflowHttpException.class).handled(true).setBody(constant("workflow-http error"));
                from("direct:order").to(target());
            }
        });

        assertThat(template.requestBody("direct:order", null, String.class)).isEqualTo("workflow-http error");
    }
}
