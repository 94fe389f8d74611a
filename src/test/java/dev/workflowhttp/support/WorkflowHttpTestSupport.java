package dev.workflowhttp.support;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.component.WorkflowHttpComponent;
import java.io.IOException;
import java.net.InetAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.stream.Collectors;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ModelCamelContext;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;

/**
 * Camel's {@link CamelTestSupport} with a fresh {@code workflow-http} component in each test's context, and after
 * each test the proof that nothing of the calls is left: no open scope, no pending timer, no leased connection, and,
 * once the context is stopped, no thread the test started.
 */
public abstract class WorkflowHttpTestSupport extends CamelTestSupport {

    /** How long releases may take to land after the exchange completed; they run on other threads. */
    protected static final Duration RELEASE_SLACK = Duration.ofSeconds(5);

    protected WorkflowHttpComponent component;
    private Set<String> threadsBefore;
    private final List<AutoCloseable> closeAfterCheck = new ArrayList<>();
    private final AtomicInteger routes = new AtomicInteger();

    @Override
    protected void setupResources() throws Exception {
        super.setupResources();
        threadsBefore = liveThreadNames();
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext created = super.createCamelContext();
        // configure(component) may use the context (a registry entry, an event notifier): CamelTestSupport sets the
        // field to this same context only once this method returns
        context = (ModelCamelContext) created;
        component = new WorkflowHttpComponent();
        configure(component);
        created.addComponent("workflow-http", component);
        return created;
    }

    /** Sets component options before it starts. */
    protected void configure(WorkflowHttpComponent component) {}

    /**
     * Closes {@code resource} (a test server) only after the leak check: a connection left leased would otherwise be
     * hidden by the server closing it.
     */
    protected <T extends AutoCloseable> T closeAfterLeakCheck(T resource) {
        closeAfterCheck.add(resource);
        return resource;
    }

    /**
     * An OkHttp mock server on the loopback address answering every request with {@code answer}, closed after the
     * leak check.
     */
    protected MockWebServer loopbackServer(Function<RecordedRequest, MockResponse> answer) throws IOException {
        MockWebServer server = closeAfterLeakCheck(new MockWebServer());
        server.setDispatcher(new Dispatcher() {
            @Override
            public MockResponse dispatch(RecordedRequest request) {
                return answer.apply(request);
            }
        });
        server.start(InetAddress.getLoopbackAddress(), 0);
        return server;
    }

    protected void addRoutes(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    /** Adds a route whose one step is {@code uri}; returns the {@code direct:} endpoint that starts it. */
    protected String oneStepRoute(String uri) throws Exception {
        String start = "direct:step-" + routes.incrementAndGet();
        addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from(start).to(uri);
            }
        });
        return start;
    }

    /** Runs before CamelTestSupport's own tear-down: the context is still running for the leak check. */
    @AfterEach
    void stopCamelAndProveNothingLeaked() throws Exception {
        try {
            assertReleased();
        } finally {
            context.stop();
            for (AutoCloseable resource : closeAfterCheck) {
                resource.close();
            }
        }
        await("threads started by the test to end")
                .atMost(Duration.ofSeconds(10))
                .untilAsserted(() -> assertThat(newThreads())
                        .as("threads left after the context stopped")
                        .isEmpty());
    }

    /** Waits (bounded) until every scope is released, no timer is queued and no connection is leased. */
    protected void assertReleased() {
        LeakChecks.assertNothingLeft(component, RELEASE_SLACK);
    }

    private Set<String> newThreads() {
        Set<String> now = liveThreadNames();
        now.removeAll(threadsBefore);
        return now.stream()
                .filter(name -> !ignorable(name) && !isForeignThread(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Threads of a library the test brings in itself (a broker), which outlive the test by that library's design. */
    protected boolean isForeignThread(String name) {
        return false;
    }

    private static boolean ignorable(String name) {
        // JVM-wide helpers and the test's own servers, not threads this project starts
        return name.startsWith("ForkJoinPool.commonPool")
                || name.startsWith("awaitility")
                || name.equals("Attach Listener")
                || name.equals("process reaper")
                || name.startsWith("hostile-server")
                || name.startsWith("test-proxy")
                || name.startsWith("MockWebServer")
                || name.startsWith("OkHttp")
                || name.equals("Common-Cleaner");
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(Thread::isAlive)
                .map(Thread::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
