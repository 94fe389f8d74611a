package dev.workflowhttp.limits;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.Test;

/**
 * {@code maxConcurrent=3}: however many calls a split fires at once, the server never has more than 3 requests open,
 * in both body modes (a streamed body holds its slot until it is read).
 */
class MaxConcurrentTest extends WorkflowHttpTestSupport {

    private static final int CALLS = 15;

    @Test
    void neverMoreThanThreeOpenRequestsAtTheServer() throws Exception {
        LimitTestServer server = closeAfterLeakCheck(new LimitTestServer(n -> LimitTestServer.Answer.ok(150)));
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:split")
                        .split(body())
                        .parallelProcessing()
                        .executorService(
                                getContext().getExecutorServiceManager().newFixedThreadPool(this, "split", 15))
                        .choice()
                        .when(e -> e.getMessage().getBody(Integer.class) % 2 == 0)
                        .to("workflow-http:" + server.url("/a") + "?maxConcurrent=3")
                        .otherwise()
                        .to("workflow-http:" + server.url("/b") + "?maxConcurrent=3&bodyMode=stream")
                        .convertBodyTo(String.class)
                        .end()
                        .to("mock:done");
            }
        });
        getMockEndpoint("mock:done").expectedMessageCount(CALLS);
        List<Integer> items = IntStream.range(0, CALLS).boxed().toList();
        Exchange result = template.request("direct:split", e -> e.getMessage().setBody(items));

        assertThat(result.getException()).isNull();
        getMockEndpoint("mock:done").assertIsSatisfied();
        assertThat(server.requests()).isEqualTo(CALLS);
        // 15 calls of 150 ms each, fired at once: without the limit the server would see up to 15 open at a time;
        // with it never more than 3, and 3 at some moment (the limit is used, not just never reached)
        assertThat(server.maxOpen()).as("requests open at the server at once").isEqualTo(3);
    }
}
