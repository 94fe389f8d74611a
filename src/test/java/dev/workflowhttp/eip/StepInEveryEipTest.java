package dev.workflowhttp.eip;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.workflowhttp.Phase;
import dev.workflowhttp.WorkflowHttpException;
import dev.workflowhttp.WorkflowHttpTimeoutException;
import dev.workflowhttp.bench.BenchServer;
import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.internal.scope.RealTimeoutScope;
import dev.workflowhttp.support.LeakChecks;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.apache.camel.AggregationStrategy;
import org.apache.camel.CamelContext;
import org.apache.camel.Exchange;
import org.apache.camel.builder.Builder;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.model.ProcessorDefinition;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The step inside every EIP a workflow puts it in. One Camel context holds all the routes below, each with the step
 * inside its EIP, so the context's start itself proves the step starts wherever Camel starts producers (Camel starts
 * those inside EIPs before it starts components). For each EIP three routes run: a call that succeeds; a call whose
 * deadline passes mid-body ({@code BODY}); and a streamed call whose deadline passes while a later step reads the
 * body ({@code STREAM}). After each, every scope, timer, stream and leased connection is released.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class StepInEveryEipTest extends CamelTestSupport {

    /** The deadline that passes mid-body: the server trickles a byte every 50 ms of a body that never ends. */
    private static final String SHORT = "300ms";

    private final BenchServer server = startServer();
    private final List<Released> released = new CopyOnWriteArrayList<>();
    private WorkflowHttpComponent component;

    private record Released(RealTimeoutScope.State outcome, Phase phase, WorkflowHttpException failure) {}

    /** How the step's outcome shows on the exchange that entered the route. */
    enum Seen {
        /** The step runs on the exchange or a branch whose failure comes back to it. */
        ON_EXCHANGE,
        /** The step runs on another exchange (wire tap, aggregate): only its released scope tells. */
        ELSEWHERE
    }

    /** Each EIP with the step inside: {@code step} adds the step (and, for a stream, the step that reads it). */
    enum Eip {
        SPLIT(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.split(Builder.body().tokenize(",")), null)),
        SPLIT_PARALLEL(
                Seen.ON_EXCHANGE,
                (r, s) -> s.accept(r.split(Builder.body().tokenize(",")).parallelProcessing(), null)),
        SPLIT_STREAMING(
                Seen.ON_EXCHANGE,
                (r, s) -> s.accept(r.split(Builder.body().tokenize(",")).streaming(), null)),
        SPLIT_AGGREGATING(
                Seen.ON_EXCHANGE, (r, s) -> s.accept(r.split(Builder.body().tokenize(","), concatenate()), null)),
        MULTICAST(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.multicast().pipeline(), null)),
        MULTICAST_PARALLEL(
                Seen.ON_EXCHANGE,
                (r, s) ->
                        s.accept(r.multicast(concatenate()).parallelProcessing().pipeline(), null)),
        WIRE_TAP(Seen.ELSEWHERE, null),
        RECIPIENT_LIST(Seen.ON_EXCHANGE, null),
        ROUTING_SLIP(Seen.ON_EXCHANGE, null),
        DYNAMIC_ROUTER(Seen.ON_EXCHANGE, null),
        TO_D(Seen.ON_EXCHANGE, null),
        ENRICH(Seen.ON_EXCHANGE, null),
        LOOP(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.loop(3), null)),
        LOOP_COPY(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.loop(3).copy(), null)),
        LOOP_DO_WHILE(
                Seen.ON_EXCHANGE,
                (r, s) -> s.accept(
                        r.loopDoWhile(
                                Builder.simple(
                                        "${exchangeProperty.CamelLoopIndex} == null || ${exchangeProperty.CamelLoopIndex} < 2")),
                        null)),
        CIRCUIT_BREAKER(
                Seen.ON_EXCHANGE,
                (r, s) -> s.accept(
                        r.circuitBreaker()
                                .resilience4jConfiguration()
                                .timeoutEnabled(true)
                                .timeoutDuration(10_000)
                                .end(),
                        null)),
        THREADS(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.threads(2), null)),
        AGGREGATE(
                Seen.ELSEWHERE,
                (r, s) -> s.accept(
                        r.aggregate(Builder.constant(true), concatenate()).completionSize(1), null)),
        DO_TRY_FINALLY(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.doTry(), "finally")),
        CHOICE(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.choice().when(Builder.constant(true)), null)),
        FILTER(Seen.ON_EXCHANGE, (r, s) -> s.accept(r.filter(Builder.constant(true)), null)),
        ON_EXCEPTION_REDELIVERED(Seen.ON_EXCHANGE, null),
        ROUTE_TEMPLATE(Seen.ON_EXCHANGE, null);

        final Seen seen;
        final BiConsumer<ProcessorDefinition<?>, Step> build;

        Eip(Seen seen, BiConsumer<ProcessorDefinition<?>, Step> build) {
            this.seen = seen;
            this.build = build;
        }

        String uri(Case c) {
            return "direct:" + name().toLowerCase() + "-" + c.name().toLowerCase();
        }
    }

    /** Adds the step (and the reading step) to an EIP's block, and ends the block. */
    @FunctionalInterface
    interface Step {
        void accept(ProcessorDefinition<?> block, String variant);
    }

    enum Case {
        OK,
        BODY,
        STREAM
    }

    private static BenchServer startServer() {
        try {
            return BenchServer.start();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static AggregationStrategy concatenate() {
        return (oldExchange, newExchange) -> {
            if (oldExchange == null) {
                return newExchange;
            }
            String joined = oldExchange.getMessage().getBody(String.class) + "+"
                    + newExchange.getMessage().getBody(String.class);
            oldExchange.getMessage().setBody(joined);
            if (newExchange.getException() != null) {
                oldExchange.setException(newExchange.getException());
            }
            return oldExchange;
        };
    }

    private String stepUri(Case c) {
        return switch (c) {
            case OK -> "workflow-http:" + server.url("/bytes/2") + "?timeout=10s";
            case BODY -> "workflow-http:" + server.url("/trickle/1000000/60000/1200") + "?timeout=" + SHORT;
            case STREAM ->
                "workflow-http:" + server.url("/trickle/1000000/60000/1200") + "?timeout=" + SHORT + "&bodyMode=stream";
        };
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        component = new WorkflowHttpComponent();
        component.setScopeListener(
                (scope, state) -> released.add(new Released(state, scope.getPhase(), scope.getFailure())));
        context.addComponent("workflow-http", component);
        return context;
    }

    @Override
    protected RouteBuilder createRouteBuilder() {
        return new RouteBuilder() {
            @Override
            public void configure() {
                routeTemplate("call-template")
                        .templateParameter("target")
                        .templateParameter("read")
                        .from("direct:{{templateId}}")
                        .to("{{target}}")
                        .choice()
                        .when(simple("{{read}}"))
                        .convertBodyTo(String.class)
                        .end();
                for (Eip eip : Eip.values()) {
                    for (Case c : Case.values()) {
                        route(this, eip, c);
                    }
                }
                from("direct:finally").to(stepUri(Case.OK)).convertBodyTo(String.class);
            }
        };
    }

    private void route(RouteBuilder builder, Eip eip, Case c) {
        String step = stepUri(c);
        boolean read = c == Case.STREAM;
        String id = eip.name().toLowerCase() + "-" + c.name().toLowerCase();
        switch (eip) {
            case WIRE_TAP -> builder.from(eip.uri(c)).routeId(id).wireTap(step).setBody(builder.constant("tapped"));
            case RECIPIENT_LIST ->
                readAfter(
                        builder.from(eip.uri(c))
                                .routeId(id)
                                .setHeader("targets", builder.constant(step))
                                .recipientList(builder.header("targets")),
                        read);
            case ROUTING_SLIP ->
                readAfter(
                        builder.from(eip.uri(c))
                                .routeId(id)
                                .setHeader("slip", builder.constant(step))
                                .routingSlip(builder.header("slip")),
                        read);
            case DYNAMIC_ROUTER ->
                readAfter(
                        builder.from(eip.uri(c))
                                .routeId(id)
                                .dynamicRouter(builder.method(new OnceRouter(step), "next")),
                        read);
            case TO_D ->
                readAfter(
                        builder.from(eip.uri(c))
                                .routeId(id)
                                .setHeader("target", builder.constant(step))
                                .toD("${header.target}"),
                        read);
            case ENRICH -> readAfter(builder.from(eip.uri(c)).routeId(id).enrich(step), read);
            case ON_EXCEPTION_REDELIVERED -> {
                var route = builder.from(eip.uri(c)).routeId(id);
                route.onException(WorkflowHttpTimeoutException.class, IOException.class)
                        .maximumRedeliveries(1)
                        .redeliveryDelay(10)
                        .end();
                route.onException(IllegalStateException.class)
                        .handled(true)
                        .to(stepUri(Case.OK))
                        .end();
                readAfter(route.to(step), read);
                route.choice()
                        .when(builder.simple("${body} == 'ok'"))
                        .process(e -> {
                            throw new IllegalStateException("the handler calls the step");
                        })
                        .end();
            }
            case ROUTE_TEMPLATE -> {
                builder.templatedRoute("call-template")
                        .routeId(id + "-template")
                        .parameter("templateId", id + "-template")
                        .parameter("target", step)
                        .parameter("read", String.valueOf(read));
                builder.from(eip.uri(c)).routeId(id).to("direct:" + id + "-template");
            }
            default ->
                eip.build.accept(builder.from(eip.uri(c)).routeId(id), (block, variant) -> {
                    block.to(step);
                    if (read) {
                        block.convertBodyTo(String.class);
                    }
                    if ("finally".equals(variant)) {
                        ((org.apache.camel.model.TryDefinition) block)
                                .doFinally()
                                .to("direct:finally");
                    }
                    block.end();
                });
        }
    }

    private static void readAfter(ProcessorDefinition<?> route, boolean read) {
        if (read) {
            route.convertBodyTo(String.class);
        }
    }

    /** Routes once to the step, then ends. */
    public static final class OnceRouter {
        private final String step;

        OnceRouter(String step) {
            this.step = step;
        }

        public String next(Exchange exchange) {
            return exchange.getProperty(Exchange.SLIP_ENDPOINT) == null ? step : null;
        }
    }

    @BeforeEach
    void forgetEarlierReleases() {
        released.clear();
    }

    @AfterEach
    void nothingLeft() {
        LeakChecks.assertNothingLeft(component, Duration.ofSeconds(10));
    }

    @AfterAll
    void stopServer() throws Exception {
        server.close();
    }

    @ParameterizedTest
    @EnumSource(Eip.class)
    void succeeds(Eip eip) {
        Exchange result = template.request(eip.uri(Case.OK), e -> e.getMessage().setBody("a,b"));

        assertThat(result.getException()).as("exception").isNull();
        await("the step's call to complete")
                .atMost(Duration.ofSeconds(10))
                .until(() -> released.stream().anyMatch(r -> r.outcome() == RealTimeoutScope.State.COMPLETED));
        assertThat(released)
                .as("released scopes")
                .allSatisfy(r -> assertThat(r.failure()).isNull());
    }

    @ParameterizedTest
    @EnumSource(Eip.class)
    void deadlinePassesMidBody(Eip eip) {
        Exchange result =
                template.request(eip.uri(Case.BODY), e -> e.getMessage().setBody("a,b"));

        await("the step's deadline to pass mid-body")
                .atMost(Duration.ofSeconds(10))
                .until(() -> released.stream()
                        .anyMatch(r -> r.outcome() == RealTimeoutScope.State.TIMED_OUT && r.phase() == Phase.BODY));
        if (eip.seen == Seen.ON_EXCHANGE) {
            assertThat(timeoutIn(result.getException()))
                    .as("the exchange's failure")
                    .isNotNull()
                    .extracting(WorkflowHttpTimeoutException::getPhase)
                    .isEqualTo(Phase.BODY);
        }
    }

    @ParameterizedTest
    @EnumSource(Eip.class)
    void deadlinePassesWhileALaterStepReadsTheStream(Eip eip) {
        Exchange result =
                template.request(eip.uri(Case.STREAM), e -> e.getMessage().setBody("a,b"));

        if (eip == Eip.WIRE_TAP) {
            // nobody reads the tapped copy's stream: released unread when the copy completes
            await("the tapped call to be released")
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> !released.isEmpty());
            return;
        }
        if (eip == Eip.RECIPIENT_LIST) {
            // the body streamed in a branch is read after the EIP, by which time the branch has completed: loud
            assertThat(result.getException())
                    .as("the exchange's failure")
                    .isNotNull()
                    .hasStackTraceContaining("body no longer readable")
                    .hasStackTraceContaining("branch completes when its own steps end");
            return;
        }
        await("the step's deadline to pass while the body is read")
                .atMost(Duration.ofSeconds(10))
                .until(() -> released.stream()
                        .anyMatch(r -> r.outcome() == RealTimeoutScope.State.TIMED_OUT && r.phase() == Phase.STREAM));
        if (eip.seen == Seen.ON_EXCHANGE) {
            WorkflowHttpTimeoutException timeout = timeoutIn(result.getException());
            assertThat(timeout).as("the exchange's failure").isNotNull();
            assertThat(timeout.getPhase()).isEqualTo(Phase.STREAM);
        }
    }

    private static WorkflowHttpTimeoutException timeoutIn(Throwable failure) {
        List<Throwable> seen = new ArrayList<>();
        for (Throwable t = failure; t != null && !seen.contains(t); t = t.getCause()) {
            seen.add(t);
            if (t instanceof WorkflowHttpTimeoutException timeout) {
                return timeout;
            }
        }
        return null;
    }
}
