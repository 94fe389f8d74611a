package dev.workflowhttp.app;

import dev.workflowhttp.support.AppRunner;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Runs {@link WorkflowHttpMain#run} in this JVM on a configuration file and routes of a temporary directory, and
 * keeps what it printed to standard error.
 */
final class AppStarts implements AutoCloseable {

    static final String REFUSAL = "camel-workflow-http: cannot start";

    final Path dir;

    AppStarts() throws Exception {
        dir = Files.createTempDirectory("workflow-refusal");
        Files.createDirectories(dir.resolve("routes"));
    }

    /** The exit code and the refusal lines ("cannot start: ..."), in order. */
    record Outcome(int code, List<String> refusals) {
        String errorLine() {
            return refusals.isEmpty() ? "" : refusals.get(0);
        }
    }

    /** A bounded run's configuration: no management server, no demo, a journal in the directory; plus {@code lines}. */
    Path config(String... lines) throws Exception {
        Path config = dir.resolve("application.properties");
        Files.writeString(
                config,
                String.join(
                        "\n",
                        "camel.main.routesIncludePattern = file:" + dir.resolve("routes") + "/*.yaml",
                        "camel.main.durationMaxSeconds = 5",
                        "camel.management.enabled = false",
                        "workflow.demo.enabled = false",
                        "workflow.broker.data-dir = " + dir.resolve("data"),
                        String.join("\n", lines),
                        ""));
        return config;
    }

    void route(String file, String yaml) throws Exception {
        Files.writeString(dir.resolve("routes").resolve(file), yaml);
    }

    Outcome run(Path config) throws Exception {
        System.setProperty(WorkflowHttpMain.CONFIG_PROPERTY, config.toString());
        PrintStream original = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = WorkflowHttpMain.run(new String[0]);
        } finally {
            System.setErr(original);
            System.clearProperty(WorkflowHttpMain.CONFIG_PROPERTY);
        }
        return new Outcome(
                code,
                captured.toString(StandardCharsets.UTF_8)
                        .lines()
                        .filter(l -> l.startsWith(REFUSAL))
                        .toList());
    }

    @Override
    public void close() throws Exception {
        AppRunner.deleteTree(dir);
    }
}
