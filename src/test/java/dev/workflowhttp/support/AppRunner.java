package dev.workflowhttp.support;

import dev.workflowhttp.app.WorkflowHttpMain;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import org.apache.camel.CamelContext;
import org.apache.camel.main.Main;

/**
 * Runs the real application in this JVM, with the repository's {@code config/application.properties} and
 * {@code routes/}, on free ports and a fresh broker journal.
 */
public final class AppRunner implements AutoCloseable {

    /** Created on first use only: its selector thread would otherwise show up in other tests' thread checks. */
    private static final class Http {
        static final HttpClient CLIENT = HttpClient.newHttpClient();
    }

    private final Main main;
    private final WorkflowHttpMain.Infrastructure infrastructure = new WorkflowHttpMain.Infrastructure();
    private final Path dataDir;
    private final int managementPort;
    private final int webhookPort;

    public AppRunner(Properties overrides) throws Exception {
        dataDir = Files.createTempDirectory("workflow-app-data");
        managementPort = freePort();
        webhookPort = freePort();
        Properties properties = new Properties();
        properties.setProperty("workflow.broker.data-dir", dataDir.toString());
        properties.setProperty("workflow.demo.port", String.valueOf(freePort()));
        properties.setProperty("camel.management.port", String.valueOf(managementPort));
        properties.setProperty("camel.server.port", String.valueOf(webhookPort));
        properties.putAll(overrides);
        main = WorkflowHttpMain.createMain(Path.of(WorkflowHttpMain.DEFAULT_CONFIG), infrastructure);
        main.setOverrideProperties(properties);
        main.start();
    }

    public CamelContext context() {
        return main.getCamelContext();
    }

    public WorkflowHttpMain.Infrastructure infrastructure() {
        return infrastructure;
    }

    /** GET on the management server: {@code /observe/metrics}, {@code /observe/health}. */
    public HttpResponse<String> management(String path) throws IOException, InterruptedException {
        return Http.CLIENT.send(
                HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + path))
                        .build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** The port of the webhook routes' server ({@code camel.server.port}). */
    public int webhookPort() {
        return webhookPort;
    }

    public static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() throws Exception {
        try {
            main.stop();
        } finally {
            infrastructure.close();
            deleteTree(dataDir);
        }
    }

    public static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
