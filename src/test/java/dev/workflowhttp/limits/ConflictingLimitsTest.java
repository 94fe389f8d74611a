package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * An origin has one limit: endpoints declaring other limits for it are refused at route start naming both, the same
 * limit written two ways is shared, and the component's originLimits are checked entry by entry.
 */
class ConflictingLimitsTest extends WorkflowHttpTestSupport {

    private static final String TARGET = "http://127.0.0.1:9/x";

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setOriginLimits("http://127.0.0.1:7=5/s;max=2, *.example.test=100/m");
    }

    @Test
    void twoEndpointsWithDifferentLimitsForOneOriginAreRefusedNamingBoth() {
        assertThatThrownBy(() -> addRoutes(new RouteBuilder() {
                    @Override
                    public void configure() {
                        from("direct:a").to("workflow-http:" + TARGET + "?rateLimit=10/s");
                        from("direct:b").to("workflow-http:http://127.0.0.1:9/y?rateLimit=5/s&maxConcurrent=2");
                    }
                }))
                .rootCause()
                .hasMessageContaining("Conflicting limits for origin http://127.0.0.1:9")
                // each endpoint as Camel and this component show it
                .hasMessageContaining("rateLimit=10/s declared by workflow-http://" + TARGET + "?rateLimit=10/s")
                .hasMessageContaining("rateLimit=5/s, maxConcurrent=2 declared by "
                        + "workflow-http://http://127.0.0.1:9/y?maxConcurrent=2&rateLimit=5%2Fs");
    }

    @Test
    void theSameLimitWrittenTwoWaysIsShared() throws Exception {
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:a").to("workflow-http:" + TARGET + "?rateLimit=10/s");
                from("direct:b").to("workflow-http:http://127.0.0.1:9/y?rateLimit=600/m");
            }
        });
        assertThat(context.getRouteController()
                        .getRouteStatus(context.getRoutes().get(1).getRouteId())
                        .isStarted())
                .isTrue();
    }

    @Test
    void anEndpointDisagreeingWithTheComponentsOriginLimitsIsRefusedNamingBoth() {
        assertThatThrownBy(() -> oneStepRoute("workflow-http:http://127.0.0.1:7/z?maxConcurrent=3"))
                .rootCause()
                .hasMessageContaining("rateLimit=5/s, maxConcurrent=2 declared by component option "
                        + "originLimits (http://127.0.0.1:7=5/s;max=2)")
                .hasMessageContaining(
                        "maxConcurrent=3 declared by workflow-http://http://127.0.0.1:7/z?maxConcurrent=3");
        assertThatThrownBy(() -> oneStepRoute("workflow-http:https://api.example.test/z?rateLimit=2/s"))
                .rootCause()
                .hasMessageContaining("component option originLimits (*.example.test=100/m)");
    }

    @Test
    void anEndpointAgreeingWithTheComponentsOriginLimitsStarts() throws Exception {
        oneStepRoute("workflow-http:http://127.0.0.1:7/z?rateLimit=300/m&maxConcurrent=2");
        assertThat(context.getRoutes()).hasSize(1);
    }

    @Test
    void invalidOriginLimitsAreRefusedNamingTheEntry() {
        WorkflowHttpComponent other = new WorkflowHttpComponent();
        assertThatThrownBy(() -> other.setOriginLimits("https://a.test=10/s, b.test=ten/s"))
                .hasMessageStartingWith("Invalid value for component option originLimits: entry 'b.test=ten/s'")
                .hasMessageContaining("e.g. https://api.example.com=10/s;max=5");
        assertThatThrownBy(() -> other.setOriginLimits("https://a.test"))
                .hasMessageContaining("entry 'https://a.test': no <target>=<limits>");
        assertThatThrownBy(() -> other.setOriginLimits("https://a.test=max=0"))
                .hasMessageContaining("entry 'https://a.test=max=0'")
                .hasMessageContaining("positive");
        assertThatThrownBy(() -> other.setOriginLimits("https://a.test=10/s, https://a.test:443=5/s"))
                .hasMessageContaining("origin https://a.test:443 is named twice");
        assertThatThrownBy(() -> other.setOriginLimits("ftp://a.test=10/s"))
                .hasMessageContaining("entry 'ftp://a.test=10/s'");
    }

    @Test
    void anInvalidRateLimitIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> oneStepRoute("workflow-http:" + TARGET + "?rateLimit=10/x"))
                .rootCause()
                .hasMessageContaining("Invalid value for option rateLimit: '10/x'");
        assertThatThrownBy(() -> oneStepRoute("workflow-http:" + TARGET + "?maxConcurrent=0"))
                .rootCause()
                .hasMessageContaining("maxConcurrent");
    }
}
