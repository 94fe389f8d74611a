package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import io.opentelemetry.sdk.trace.data.SpanData;
import java.time.Duration;
import java.util.Locale;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * With Camel's OpenTelemetry tracer on, the server receives the trace context with the step's own span as parent, in
 * both body modes; no secret option of the step reaches a span attribute.
 */
class TraceContextTest extends TracedStepSupport {

    @ParameterizedTest
    @ValueSource(strings = {"materialize", "stream"})
    void theServersParentIsTheStepsSpanAndNoSecretIsAnAttribute(String bodyMode) throws Exception {
        route(bodyMode);

        String body = template.requestBody("direct:traced", null, String.class);

        assertThat(body).isEqualTo("ok");
        String head = server.nextRequestHead(Duration.ofSeconds(5)).toLowerCase(Locale.ROOT);
        SpanData step = stepSpan();
        assertThat(head)
                .contains("\r\ntraceparent: 00-" + step.getTraceId() + "-" + step.getSpanId() + "-01\r\n")
                .contains("\r\nbaggage: ");
        // the span does carry the endpoint (so the check below has something to look at), never its secrets
        assertThat(step.getAttributes().asMap().values())
                .anySatisfy(value -> assertThat(String.valueOf(value)).contains("/traced"));
        assertThat(step.getAttributes().asMap().values())
                .allSatisfy(value -> assertThat(String.valueOf(value))
                        .doesNotContain(TOKEN)
                        .doesNotContain(PASSWORD)
                        .doesNotContain("robot"));
    }
}
