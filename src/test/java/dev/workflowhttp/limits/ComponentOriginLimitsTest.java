package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.camel.Exchange;
import org.junit.jupiter.api.Test;

/** The component's originLimits hold for endpoints that declare nothing: here one call in flight to the origin. */
class ComponentOriginLimitsTest extends WorkflowHttpTestSupport {

    private LimitTestServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        try {
            server = closeAfterLeakCheck(new LimitTestServer(n -> LimitTestServer.Answer.ok(100)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        component.setOriginLimits("*.example.test=1/s, " + server.origin() + "=max=1");
    }

    @Test
    void endpointsWithoutLimitsOfTheirOwnKeepTheComponentsLimitForTheirOrigin() throws Exception {
        String first = oneStepRoute("workflow-http:" + server.url("/a"));
        String second = oneStepRoute("workflow-http:" + server.url("/b"));
        List<CompletableFuture<Exchange>> calls = List.of(
                template.asyncSend(first, e -> {}),
                template.asyncSend(second, e -> {}),
                template.asyncSend(first, e -> {}),
                template.asyncSend(second, e -> {}));
        for (CompletableFuture<Exchange> call : calls) {
            assertThat(call.get().getException()).isNull();
        }
        assertThat(server.requests()).isEqualTo(4);
        assertThat(server.maxOpen()).as("requests open at the server at once").isEqualTo(1);
    }
}
