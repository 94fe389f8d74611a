package dev.workflowhttp;

import dev.workflowhttp.component.WorkflowHttpComponent;
import dev.workflowhttp.support.HostileServer;
import dev.workflowhttp.support.LeakChecks;
import io.opentelemetry.api.baggage.propagation.W3CBaggagePropagator;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.testing.exporter.InMemorySpanExporter;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.data.SpanData;
import io.opentelemetry.sdk.trace.export.SimpleSpanProcessor;
import java.time.Duration;
import java.util.List;
import org.apache.camel.CamelContext;
import org.apache.camel.builder.RouteBuilder;
import org.apache.camel.opentelemetry2.OpenTelemetryTracer;
import org.apache.camel.test.junit5.CamelTestSupport;
import org.junit.jupiter.api.AfterEach;

/**
 * A Camel context with Camel's OpenTelemetry tracer on (spans kept in memory), a loopback server and a route through
 * the step with secret options in its URI.
 */
abstract class TracedStepSupport extends CamelTestSupport {

    protected static final String TOKEN = "t0ken-in-the-uri";
    protected static final String PASSWORD = "pa55-in-the-uri";

    private final InMemorySpanExporter spans = InMemorySpanExporter.create();
    protected final HostileServer server = startServer();

    /** The propagator the tracer writes the context with: W3C Trace Context and Baggage, Camel's default. */
    protected TextMapPropagator propagator() {
        return TextMapPropagator.composite(W3CTraceContextPropagator.getInstance(), W3CBaggagePropagator.getInstance());
    }

    private static HostileServer startServer() {
        try {
            return HostileServer.start(connection -> {
                connection.readRequest();
                connection.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
            });
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    protected CamelContext createCamelContext() throws Exception {
        CamelContext context = super.createCamelContext();
        OpenTelemetrySdk otel = OpenTelemetrySdk.builder()
                .setTracerProvider(SdkTracerProvider.builder()
                        .addSpanProcessor(SimpleSpanProcessor.create(spans))
                        .build())
                .setPropagators(ContextPropagators.create(propagator()))
                .build();
        // the tracer takes both from the registry (and would fall back to the global OpenTelemetry otherwise)
        context.getRegistry().bind("otelTracer", otel.getTracer("workflow-http-test"));
        context.getRegistry().bind("otelPropagators", otel.getPropagators());
        context.addComponent("workflow-http", new WorkflowHttpComponent());
        OpenTelemetryTracer tracer = new OpenTelemetryTracer();
        tracer.init(context);
        return context;
    }

    @AfterEach
    void closeServer() throws Exception {
        LeakChecks.assertNothingLeft(
                context.getComponent("workflow-http", WorkflowHttpComponent.class), Duration.ofSeconds(5));
        server.close();
    }

    protected void route(String bodyMode) throws Exception {
        context.addRoutes(new RouteBuilder() {
            @Override
            public void configure() {
                from("direct:traced")
                        .routeId("traced")
                        .to("workflow-http:" + server.url("/traced") + "?bodyMode=" + bodyMode + "&authBearerToken="
                                + TOKEN + "&authUsername=robot&authPassword=" + PASSWORD)
                        .convertBodyTo(String.class);
            }
        });
    }

    protected SpanData stepSpan() {
        List<SpanData> finished = spans.getFinishedSpanItems();
        return finished.stream()
                .filter(span -> span.getName().equals("workflow-http"))
                .findFirst()
                .orElseThrow(() -> new AssertionError("no span of the step among " + finished));
    }
}
