package dev.workflowhttp.app;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A route that uses a component or language the app does not ship is refused at start, exit code 1, in one line that
 * names the route, its file and the Maven artifact to add.
 */
class MissingModuleRefusalTest {

    private static final String REBUILD = " to pom.xml (its version comes from the Camel BOM) and rebuild: "
            + "mvn -B -DskipTests package";

    private AppStarts app;

    @BeforeEach
    void createDir() throws Exception {
        app = new AppStarts();
    }

    @AfterEach
    void deleteDir() throws Exception {
        app.close();
    }

    private String routesFile(String name) {
        return app.dir.resolve("routes").resolve(name).toString();
    }

    @Test
    void aProducerOfAComponentTheAppLacksNamesItsArtifact() throws Exception {
        app.route("fine.yaml", "- route:\n    id: fine\n    from:\n      uri: timer:fine\n      steps:\n        - log: ran\n");
        app.route("kafka.yaml", "- route:\n    id: to-kafka\n    from:\n      uri: timer:x\n      steps:\n"
                + "        - to: \"kafka:orders?brokers=127.0.0.1:9\"\n");
        AppStarts.Outcome outcome = app.run(app.config());
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.refusals()).containsExactly(AppStarts.REFUSAL + ": route 'to-kafka' ("
                + routesFile("kafka.yaml") + ") uses kafka:, which this app does not ship: add "
                + "org.apache.camel:camel-kafka" + REBUILD);
    }

    @Test
    void aConsumerOfAComponentTheAppLacksNamesItsArtifactByItsAlternativeScheme() throws Exception {
        app.route("sftp.yaml", "- route:\n    id: from-sftp\n    from:\n      uri: \"sftp://127.0.0.1:9/in\"\n"
                + "      steps:\n        - log: got\n");
        AppStarts.Outcome outcome = app.run(app.config());
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.refusals()).containsExactly(AppStarts.REFUSAL + ": route 'from-sftp' ("
                + routesFile("sftp.yaml") + ") uses sftp:, which this app does not ship: add "
                + "org.apache.camel:camel-ftp" + REBUILD);
    }

    @Test
    void aLanguageTheAppLacksNamesItsArtifact() throws Exception {
        app.route("jq.yaml", "- route:\n    id: pick\n    from:\n      uri: timer:x\n      steps:\n"
                + "        - setBody:\n            jq: \".id\"\n");
        AppStarts.Outcome outcome = app.run(app.config());
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.refusals()).containsExactly(AppStarts.REFUSAL + ": route 'pick' (" + routesFile("jq.yaml")
                + ") uses the jq language, which this app does not ship: add org.apache.camel:camel-jq" + REBUILD);
    }

    @Test
    void aSchemeNoCatalogKnowsIsRefusedWithTheNearestOne() throws Exception {
        app.route("typo.yaml", "- route:\n    id: typo\n    from:\n      uri: timer:x\n      steps:\n"
                + "        - to: \"kafak:orders\"\n");
        AppStarts.Outcome outcome = app.run(app.config());
        assertThat(outcome.code()).isEqualTo(1);
        assertThat(outcome.refusals()).hasSize(1);
        assertThat(outcome.errorLine()).contains("route 'typo'", "typo.yaml", "uses kafak:",
                "no component of this app nor of Camel's catalog", "did you mean kafka:?");
    }
}
