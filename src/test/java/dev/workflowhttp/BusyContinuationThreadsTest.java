package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.WorkflowHttpTestSupport;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.apache.camel.Exchange;
import org.apache.camel.builder.RouteBuilder;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * More calls answered at once than there are continuation threads: the extra ones wait for a free continuation
 * thread, never run on the client's I/O thread. Run there, a later step reading a streamed body would wait for bytes
 * that only that same thread can deliver, and every call on it would hang until its deadline.
 */
class BusyContinuationThreadsTest extends WorkflowHttpTestSupport {

    private static final int CONTINUATION_THREADS = 2;
    private static final int CALLS = 24;
    private static final String BODY = "x".repeat(4096);

    private MockWebServer server;

    @Override
    protected void configure(WorkflowHttpComponent component) {
        component.setContinuationThreads(CONTINUATION_THREADS);
    }

    @BeforeEach
    void startServer() throws Exception {
        server = loopbackServer(request -> {
            return new MockResponse.Builder().body(BODY).build();
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void laterStepsWaitForAContinuationThreadInsteadOfTakingTheIoThread(String bodyMode) throws Exception {
        String url = server.url("/body").toString();
        Set<String> stepThreads = ConcurrentHashMap.newKeySet();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:call")
                        .to("workflow-http:" + url + "?timeout=10s&bodyMode=" + bodyMode)
                        .process(exchange -> {
                            stepThreads.add(Thread.currentThread().getName());
                            // a step that takes a while keeps the few continuation threads busy
                            Thread.sleep(50);
                            try (InputStream body = exchange.getMessage().getBody(InputStream.class)) {
                                exchange.getMessage().setBody(new String(body.readAllBytes(), StandardCharsets.UTF_8));
                            }
                        });
            }
        });
        List<CompletableFuture<Exchange>> calls = new ArrayList<>();
        for (int i = 0; i < CALLS; i++) {
            calls.add(template.asyncSend("direct:call", exchange -> {}));
        }
        for (CompletableFuture<Exchange> call : calls) {
            Exchange result = call.get(30, TimeUnit.SECONDS);
            assertThat(result.getException()).isNull();
            assertThat(result.getMessage().getBody(String.class)).isEqualTo(BODY);
        }
        assertThat(stepThreads)
                .as("threads that ran the step after the call")
                .noneMatch(name -> name.startsWith("workflow-http-io"))
                .allMatch(name -> name.contains("WorkflowHttpContinuation"));
    }
}
