package dev.workflowhttp.component;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import java.lang.reflect.Field;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.camel.CamelContext;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The options have one source, the {@code @UriParam} fields of the option groups the endpoint shows to Camel: the lists
 * the step uses (all options, secret ones, endpoint-only ones), Camel's generated metadata (workflow-http.json, the URI
 * factory, the configurers that call the setters) and the per-exchange headers must all name the same options.
 */
class OptionModelTest {

    private final CamelContext context = new DefaultCamelContext();

    @AfterEach
    void close() throws Exception {
        context.close();
    }

    private static JsonNode metadata() throws Exception {
        try (InputStream in = WorkflowHttpComponent.class.getResourceAsStream(
                "/META-INF/dev/workflowhttp/component/workflow-http.json")) {
            assertThat(in).as("generated workflow-http.json").isNotNull();
            return new ObjectMapper().readTree(in);
        }
    }

    /** The {@code @UriParam} fields of every option group of the endpoint. */
    private static List<Field> optionFields() {
        List<Field> fields = new ArrayList<>();
        for (Field group : WorkflowHttpEndpoint.class.getDeclaredFields()) {
            if (group.isAnnotationPresent(UriParam.class) && group.getType().isAnnotationPresent(UriParams.class)) {
                for (Field field : group.getType().getDeclaredFields()) {
                    if (field.isAnnotationPresent(UriParam.class)) {
                        fields.add(field);
                    }
                }
            }
        }
        assertThat(fields).hasSizeGreaterThan(40);
        return fields;
    }

    /** Binds one option as an endpoint URI would. */
    private void set(WorkflowHttpConfiguration configuration, String name, Object value) {
        Map<String, Object> parameters = new HashMap<>(Map.of(name, value));
        OptionBinding.bindUri(context, configuration, parameters);
        assertThat(parameters).as("options left unbound").isEmpty();
    }

    @Test
    void theGeneratedMetadataNamesEveryOptionWithItsDescriptionDefaultAndSecretFlag() throws Exception {
        JsonNode properties = metadata().get("properties");
        for (Field field : optionFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            JsonNode option = properties.get(field.getName());
            assertThat(option)
                    .as("option %s in workflow-http.json", field.getName())
                    .isNotNull();
            assertThat(option.get("description").asText())
                    .as("description of " + field.getName())
                    .isNotBlank();
            assertThat(option.path("secret").asBoolean())
                    .as("secret flag of " + field.getName())
                    .isEqualTo(param.secret());
            if (!param.defaultValue().isEmpty()) {
                assertThat(option.get("defaultValue").asText()).isEqualTo(param.defaultValue());
            }
        }
        Set<String> documented = new TreeSet<>();
        properties.fieldNames().forEachRemaining(documented::add);
        documented.removeAll(Set.of("url", "lazyStartProducer"));
        assertThat(documented).containsExactlyInAnyOrderElementsOf(WorkflowHttpConfiguration.OPTIONS);
    }

    @Test
    void theGeneratedUriFactoryKnowsTheSameOptionsAndSecrets() {
        WorkflowHttpEndpointUriFactory factory = new WorkflowHttpEndpointUriFactory();
        assertThat(factory.propertyNames()).containsAll(WorkflowHttpConfiguration.OPTIONS);
        assertThat(factory.secretPropertyNames())
                .containsExactlyInAnyOrderElementsOf(WorkflowHttpConfiguration.SECRET_OPTIONS);
        assertThat(WorkflowHttpConfiguration.SECRET_OPTIONS)
                .containsExactlyInAnyOrder(
                        "authBearerToken",
                        "authUsername",
                        "authPassword",
                        "oauth2ClientId",
                        "oauth2ClientSecret",
                        "proxyUsername",
                        "proxyPassword");
        assertThat(WorkflowHttpConfiguration.OPTIONS).containsAll(WorkflowHttpConfiguration.ENDPOINT_ONLY);
    }

    @Test
    void theYamlDslsWayOfBuildingTheUriWrapsSecretsInRaw() throws Exception {
        WorkflowHttpEndpointUriFactory factory = new WorkflowHttpEndpointUriFactory();
        factory.setCamelContext(context);
        Map<String, Object> parameters = new LinkedHashMap<>();
        parameters.put("url", "http://127.0.0.1/x");
        parameters.put("timeout", "5s");
        parameters.put("authBearerToken", "a&b");

        String uri = factory.buildUri("workflow-http", parameters, false);

        assertThat(uri).isEqualTo("workflow-http:http://127.0.0.1/x?authBearerToken=RAW(a&b)&timeout=5s");
    }

    @Test
    void everyOptionIsBoundThroughTheGeneratedConfigurerFromItsDefaultOrASample() {
        Map<String, String> samples = new HashMap<>(Map.of(
                "method",
                "PUT",
                "authBearerToken",
                "t",
                "authUsername",
                "u",
                "authPassword",
                "p",
                "userAgent",
                "ua/1",
                "contentType",
                "text/plain",
                "allowedHosts",
                "*.test",
                "deniedHosts",
                "bad.test",
                "proxyHost",
                "127.0.0.1",
                "proxyPort",
                "3128"));
        samples.putAll(Map.of(
                "oauth2TokenEndpoint",
                "http://127.0.0.1/token",
                "nextPage",
                "link",
                "rateLimit",
                "10/s",
                "maxConcurrent",
                "3"));
        for (Field field : optionFields()) {
            UriParam param = field.getAnnotation(UriParam.class);
            if (field.getName().equals("sslContextParameters")
                    || field.getName().equals("conditionalRepository")) {
                continue;
            }
            String name = field.getName();
            String value = param.defaultValue().isEmpty() ? samples.getOrDefault(name, "x") : param.defaultValue();
            WorkflowHttpConfiguration configuration = new WorkflowHttpConfiguration();
            set(configuration, name, value);
            assertThat(OptionBinding.isOption(name)).as("configurer of " + name).isTrue();
            assertThat(EndpointUris.optionOfHeader(
                            "CamelWorkflowHttp" + Character.toUpperCase(name.charAt(0)) + name.substring(1)))
                    .as("header of " + name)
                    .isEqualTo(name);
        }
    }

    @Test
    void valuesAreReadStrictlyWhereCamelWouldReadThemLeniently() {
        WorkflowHttpConfiguration configuration = new WorkflowHttpConfiguration();
        // Camel's converters read these as 0 (no deadline), 1h and 5000
        assertThatThrownBy(() -> set(configuration, "timeout", "banana"))
                .hasMessageContaining("timeout")
                .hasMessageContaining("'banana'");
        assertThatThrownBy(() -> set(configuration, "timeout", "1h30")).hasMessageContaining("'1h30'");
        assertThatThrownBy(() -> set(configuration, "proxyPort", "5s")).hasMessageContaining("'5s'");
        assertThatThrownBy(() -> set(configuration, "maxRedirects", "200")).hasMessageContaining("from 0 to 100");
        assertThatThrownBy(() -> set(configuration, "followRedirects", "yes")).hasMessageContaining("true or false");
        assertThatThrownBy(() -> set(configuration, "okStatusCodes", "2xx")).hasMessageContaining("okStatusCodes");
        assertThatThrownBy(() -> OptionBinding.bindOverride(context, configuration, "nonsense", "1"))
                .hasMessageContaining("Unknown option");

        set(configuration, "timeout", Duration.ofSeconds(3));
        set(configuration, "connectTimeout", "1m30s");
        assertThat(configuration.getCall().getTimeout()).isEqualTo(Duration.ofSeconds(3));
        assertThat(configuration.getCall().getConnectTimeout()).isEqualTo(Duration.ofSeconds(90));
    }
}
