package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.extension.trace.propagation.B3Propagator;
import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** With a B3 propagator, the step sends B3's headers, with its own span as parent. */
class TraceContextB3Test extends TracedStepSupport {

    @Override
    protected TextMapPropagator propagator() {
        return B3Propagator.injectingMultiHeaders();
    }

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void theServerGetsB3HeadersWithTheStepsSpanAsParent(String bodyMode) throws Exception {
        route(bodyMode);

        template.requestBody("direct:traced", null, String.class);

        String head = server.nextRequestHead(Duration.ofSeconds(5)).toLowerCase(Locale.ROOT);
        SpanData step = stepSpan();
        assertThat(head)
                .contains("\r\nx-b3-traceid: " + step.getTraceId() + "\r\n")
                .contains("\r\nx-b3-spanid: " + step.getSpanId() + "\r\n")
                .doesNotContain("traceparent");
    }
}
