package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input refuses the start, with a non-zero exit code and one line that names the file, the route and the value.
 */
class StartRefusalTest {

    private AppStarts app;

    @BeforeEach
    void createDir() throws Exception {
        app = new AppStarts();
    }

    @AfterEach
    void deleteDir() throws Exception {
        app.close();
    }

    private Path config() throws Exception {
        return app.config();
    }

    private AppStarts.Outcome run(Path config) throws Exception {
        return app.run(config);
    }

    private void route(String file, String yaml) throws Exception {
        app.route(file, yaml);
    }

    @Test
    void invalidYamlNamesTheFileAndLine() throws Exception {
        route("broken.yaml", "- route:\n    id: broken\n    from:\n      uri: timer:x\n     steps: [\n");
        AppStarts.Outcome outcome = run(config());
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine()).contains("broken.yaml").contains("line 5");
    }

    @Test
    void misspelledOptionNamesTheFileRouteAndSuggestion() throws Exception {
        route(
                "typo.yaml",
                "- route:\n    id: typo-route\n    from:\n      uri: timer:x\n      steps:\n"
                        + "        - to: \"workflow-http:http://127.0.0.1:9/x?timout=5s\"\n");
        AppStarts.Outcome outcome = run(config());
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine())
                .contains("typo.yaml")
                .contains("typo-route")
                .contains("did you mean 'timeout'");
    }

    @Test
    void camelHttpOptionNamesInAWorkflowAreRefusedWithThePointer() throws Exception {
        route(
                "camel-http.yaml",
                "- route:\n    id: camel-http-route\n    from:\n      uri: timer:x\n      steps:\n"
                        + "        - to:\n            uri: \"workflow-http:http://127.0.0.1:9/x\"\n            parameters:\n"
                        + "              connectionTimeout: 2s\n");
        AppStarts.Outcome outcome = run(config());
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine())
                .contains("camel-http.yaml")
                .contains("camel-http-route")
                .contains("'connectionTimeout' is an option of Camel's http component")
                .contains("'connectTimeout'");
    }

    @Test
    void invalidDurationNamesTheOptionAndValue() throws Exception {
        route(
                "duration.yaml",
                "- route:\n    id: duration-route\n    from:\n      uri: timer:x\n      steps:\n"
                        + "        - to: \"workflow-http:http://127.0.0.1:9/x?timeout=soon\"\n");
        AppStarts.Outcome outcome = run(config());
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine())
                .contains("duration-route")
                .contains("timeout")
                .contains("'soon'");
    }

    @Test
    void aStepTheYamlDslCannotReadNamesTheFileAndTheCause() throws Exception {
        route("fine.yaml", "- route:\n    id: fine\n    from:\n      uri: timer:x\n      steps:\n        - log: ran\n");
        route(
                "tap.yaml",
                "- route:\n    id: tap\n    from:\n      uri: timer:y\n      steps:\n"
                        + "        - wireTap: \"workflow-http:http://127.0.0.1:9/x\"\n");
        AppStarts.Outcome outcome = run(config());
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine())
                .contains("tap.yaml")
                .doesNotContain("fine.yaml")
                .contains("UnsupportedOperationException at YamlDeserializerBase")
                .contains("wireTap: {uri: ...}");
    }

    @Test
    void workflowsWithTheStepInsideSplitMulticastAndWireTapStart() throws Exception {
        try (dev.workflowhttp.bench.BenchServer server = dev.workflowhttp.bench.BenchServer.start()) {
            String step = "workflow-http:" + server.url("/bytes/3");
            route(
                    "eips.yaml",
                    "- route:\n    id: eips\n    from:\n      uri: timer:eips?repeatCount=1\n      steps:\n"
                            + "        - setBody:\n            constant: \"a,b,c\"\n"
                            + "        - split:\n            tokenize: \",\"\n            parallelProcessing: true\n"
                            + "            steps:\n              - to: \"" + step + "\"\n"
                            + "        - multicast:\n            parallelProcessing: true\n            steps:\n"
                            + "              - to: \"" + step + "\"\n              - to: \"" + step + "\"\n"
                            + "        - wireTap:\n            uri: \"" + step + "\"\n");
            Path config = config();
            Files.writeString(
                    config, Files.readString(config).replace("durationMaxSeconds = 5", "durationMaxMessages = 1"));
            AppStarts.Outcome outcome = run(config);
            assertThat(outcome.errorLine()).isEmpty();
            assertThat(outcome.code()).isZero();
        }
    }

    @Test
    void missingConfigurationFileIsNamed() throws Exception {
        AppStarts.Outcome outcome = run(app.dir.resolve("nowhere.properties"));
        assertThat(outcome.code()).isNotZero();
        assertThat(outcome.errorLine()).contains("nowhere.properties");
    }

    @Test
    void aBoundedRunOfValidRoutesStopsByItselfWithExitCodeZero() throws Exception {
        route(
                "ok.yaml",
                "- route:\n    id: ok\n    from:\n      uri: timer:x?repeatCount=1\n      steps:\n"
                        + "        - log: ran\n");
        Path config = config();
        Files.writeString(
                config, Files.readString(config).replace("durationMaxSeconds = 5", "durationMaxMessages = 1"));
        AppStarts.Outcome outcome = run(config);
        assertThat(outcome.code()).isZero();
        assertThat(outcome.errorLine()).isEmpty();
    }
}
