package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import org.apache.camel.catalog.CamelCatalog;
import org.apache.camel.catalog.DefaultCamelCatalog;
import org.apache.camel.tooling.model.ComponentModel;
import org.apache.camel.tooling.model.LanguageModel;
import org.junit.jupiter.api.Test;

/**
 * The scheme → artifact table the app names missing components with is Camel's catalog, as generated from it.
 * After a Camel upgrade this test fails; write the table anew with
 * {@code mvn -B -o test -Dinvoker.skip=true -Dtest=MissingModulesTest -Dcamel-artifacts.write=true}.
 */
class MissingModulesTest {

    private static final Path SOURCE = Path.of("src/main/resources/dev/workflowhttp/app", MissingModules.TABLE);

    @Test
    void theTableIsCamelsCatalog() throws IOException {
        String generated = fromCatalog();
        if (Boolean.getBoolean("camel-artifacts.write")) {
            Files.writeString(SOURCE, generated, StandardCharsets.UTF_8);
        }
        assertThat(Files.readString(SOURCE, StandardCharsets.UTF_8))
                .as("%s is Camel's catalog; write it anew with -Dcamel-artifacts.write=true", SOURCE)
                .isEqualTo(generated);
    }

    @Test
    void everydaySchemesAndTheirAlternativesAreInTheTable() {
        assertThat(MissingModules.table())
                .containsEntry("component.kafka", "org.apache.camel:camel-kafka")
                .containsEntry("component.sftp", "org.apache.camel:camel-ftp")
                .containsEntry("component.https", "org.apache.camel:camel-http")
                .containsEntry("language.jq", "org.apache.camel:camel-jq");
    }

    @Test
    void theSchemeIsWhatComesBeforeTheFirstColon() {
        assertThat(MissingModules.schemeOf("kafka://orders?brokers=a:9092")).isEqualTo("kafka");
        assertThat(MissingModules.schemeOf("aws2-s3:bucket")).isEqualTo("aws2-s3");
        assertThat(MissingModules.schemeOf("orders")).isNull();
        assertThat(MissingModules.schemeOf("{{x}}:y")).isNull();
    }

    /** component.<scheme> and component.<alternative scheme>, language.<name> → groupId:artifactId, sorted. */
    private static String fromCatalog() {
        CamelCatalog catalog = new DefaultCamelCatalog();
        Map<String, String> entries = new TreeMap<>();
        for (String name : catalog.findComponentNames()) {
            ComponentModel model = catalog.componentModel(name);
            String artifact = model.getGroupId() + ":" + model.getArtifactId();
            entries.put(MissingModules.COMPONENT + model.getScheme(), artifact);
            String alternatives = model.getAlternativeSchemes();
            if (alternatives != null && !alternatives.isBlank()) {
                for (String alternative : alternatives.split(",")) {
                    entries.putIfAbsent(MissingModules.COMPONENT + alternative.trim(), artifact);
                }
            }
        }
        for (String name : catalog.findLanguageNames()) {
            LanguageModel model = catalog.languageModel(name);
            entries.put(MissingModules.LANGUAGE + model.getName(), model.getGroupId() + ":" + model.getArtifactId());
        }
        StringBuilder text = new StringBuilder()
                .append("# Generated from Camel's catalog (org.apache.camel:camel-catalog:")
                .append(catalog.getCatalogVersion())
                .append(") by MissingModulesTest: do not edit.\n")
                .append("# component.<scheme> or language.<name> = the Maven artifact that provides it\n");
        entries.forEach(
                (key, artifact) -> text.append(key).append('=').append(artifact).append('\n'));
        return text.toString();
    }
}
