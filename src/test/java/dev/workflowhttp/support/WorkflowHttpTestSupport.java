package dev.workflowhttp.support;

import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import dev.workflowhttp.component.WorkflowHttpComponent;
import org.apache.camel.CamelContext;
import org.apache.camel.ProducerTemplate;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.impl.DefaultCamelContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Starts a Camel context with a fresh {@code workflow-http} component for each test, and after each test proves that
 * nothing of the calls is left: no open scope, no pending timer, no leased connection, and, once the context is
 * stopped, no thread the test started.
 */
public abstract class WorkflowHttpTestSupport {

    /** How long releases may take to land after the exchange completed; they run on other threads. */
    protected static final Duration RELEASE_SLACK = Duration.ofSeconds(5);

    protected CamelContext context;
    protected ProducerTemplate template;
    protected WorkflowHttpComponent component;
    private Set<String> threadsBefore;
    private final java.util.List<AutoCloseable> closeAfterCheck = new java.util.ArrayList<>();

    @BeforeEach
    void startCamel() throws Exception {
        threadsBefore = liveThreadNames();
        context = new DefaultCamelContext();
        component = new WorkflowHttpComponent();
        configure(component);
        context.addComponent("workflow-http", component);
        context.start();
        template = context.createProducerTemplate();
    }

    /** Sets component options before it starts. */
    protected void configure(WorkflowHttpComponent component) {
    }

    /**
     * Closes {@code resource} (a test server) only after the leak check: a connection left leased would otherwise be
     * hidden by the server closing it.
     */
    protected <T extends AutoCloseable> T closeAfterLeakCheck(T resource) {
        closeAfterCheck.add(resource);
        return resource;
    }

    protected void addRoutes(RouteBuilder routes) throws Exception {
        context.addRoutes(routes);
    }

    @AfterEach
    void stopCamelAndProveNothingLeaked() throws Exception {
        try {
            assertReleased();
        } finally {
            template.close();
            context.stop();
            for (AutoCloseable resource : closeAfterCheck) {
                resource.close();
            }
        }
        await("threads started by the test to end").atMost(Duration.ofSeconds(10)).untilAsserted(
                () -> assertThat(newThreads()).as("threads left after the context stopped").isEmpty());
    }

    /** Waits (bounded) until every scope is released, no timer is queued and no connection is leased. */
    protected void assertReleased() {
        LeakChecks.assertNothingLeft(component, RELEASE_SLACK);
    }

    private Set<String> newThreads() {
        Set<String> now = liveThreadNames();
        now.removeAll(threadsBefore);
        return now.stream().filter(name -> !ignorable(name) && !isForeignThread(name))
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Threads of a library the test brings in itself (a broker), which outlive the test by that library's design. */
    protected boolean isForeignThread(String name) {
        return false;
    }

    private static boolean ignorable(String name) {
        // JVM-wide helpers and the test's own servers, not threads this project starts
        return name.startsWith("ForkJoinPool.commonPool") || name.startsWith("awaitility")
                || name.equals("Attach Listener") || name.equals("process reaper") || name.startsWith("hostile-server") || name.startsWith("test-proxy")
                || name.startsWith("MockWebServer") || name.startsWith("OkHttp") || name.equals("Common-Cleaner");
    }

    private static Set<String> liveThreadNames() {
        return Thread.getAllStackTraces().keySet().stream().filter(Thread::isAlive).map(Thread::getName)
                .collect(Collectors.toCollection(TreeSet::new));
    }
}
