package dev.workflowhttp.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.AutoClose;
import org.junit.jupiter.api.Test;

/**
 * A route that uses a component or language the app does not ship is refused at start, exit code 1, in one line that
 * names the route, its file and the Maven artifact to add.
 */
class MissingModuleRefusalTest {

    @AutoClose
    private final AppStarts app;

    MissingModuleRefusalTest() throws Exception {
        app = new AppStarts();
    }

    /** The refusal lines of a start with {@code yaml} as routes/{@code file}, after checking its exit code is 1. */
    private List<String> refusals(String file, String yaml) throws Exception {
        app.route(file, yaml);
        AppStarts.Outcome outcome = app.run(app.config());
        assertThat(outcome.code()).isEqualTo(1);
        return outcome.refusals();
    }

    private String refusal(String routeId, String file, String uses, String artifact) {
        return AppStarts.REFUSAL + ": route '" + routeId + "' ("
                + app.dir.resolve("routes").resolve(file) + ") uses "
                + uses + ", which this app does not ship: add " + artifact + " to pom.xml (its version comes from the "
                + "Camel BOM) and rebuild: mvn -B -DskipTests package";
    }

    @Test
    void aProducerOfAComponentTheAppLacksNamesItsArtifact() throws Exception {
        app.route(
                "fine.yaml",
                "- route:\n    id: fine\n    from:\n      uri: timer:fine\n      steps:\n        - log: ran\n");
        assertThat(refusals(
                        "kafka.yaml",
                        "- route:\n    id: to-kafka\n    from:\n      uri: timer:x\n      steps:\n"
                                + "        - to: \"kafka:orders?brokers=127.0.0.1:9\"\n"))
                .containsExactly(refusal("to-kafka", "kafka.yaml", "kafka:", "org.apache.camel:camel-kafka"));
    }

    @Test
    void aConsumerOfAComponentTheAppLacksNamesItsArtifactByItsAlternativeScheme() throws Exception {
        assertThat(refusals(
                        "sftp.yaml",
                        "- route:\n    id: from-sftp\n    from:\n      uri: \"sftp://127.0.0.1:9/in\"\n"
                                + "      steps:\n        - log: got\n"))
                .containsExactly(refusal("from-sftp", "sftp.yaml", "sftp:", "org.apache.camel:camel-ftp"));
    }

    @Test
    void aLanguageTheAppLacksNamesItsArtifact() throws Exception {
        assertThat(refusals(
                        "jq.yaml",
                        "- route:\n    id: pick\n    from:\n      uri: timer:x\n      steps:\n"
                                + "        - setBody:\n            jq: \".id\"\n"))
                .containsExactly(refusal("pick", "jq.yaml", "the jq language", "org.apache.camel:camel-jq"));
    }

    @Test
    void aSchemeNoCatalogKnowsIsRefusedWithTheNearestOne() throws Exception {
        List<String> refusals = refusals(
                "typo.yaml",
                "- route:\n    id: typo\n    from:\n      uri: timer:x\n"
                        + "      steps:\n        - to: \"kafak:orders\"\n");
        assertThat(refusals).hasSize(1);
        assertThat(refusals.get(0))
                .contains(
                        "route 'typo'",
                        "typo.yaml",
                        "uses kafak:",
                        "no component of this app nor of Camel's catalog",
                        "did you mean kafka:?");
    }
}
