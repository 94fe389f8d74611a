package dev.workflowhttp.app;

/**
 * The HTTP server of webhook-triggered routes ({@code from: platform-http:/hook}): Camel's main HTTP server, set by
 * the {@code camel.server.*} keys, apart from the management server's metrics and health. When it is off, Camel
 * serves such routes on the management port instead.
 */
final class WebhookServer {

    private WebhookServer() {
    }

    /** Refuses the start when the server is on and its port cannot be listened on: Camel would only log it. */
    static void checkPort(SettingSources sources) {
        if (!Boolean.parseBoolean(sources.value("camel.server.enabled").orElse("false").trim())) {
            return;
        }
        String host = sources.value("camel.server.host").orElse("0.0.0.0").trim();
        String port = sources.value("camel.server.port").orElse("8080").trim();
        String flaw = Preflight.portFlaw(host, Integer.parseInt(port));
        if (flaw != null) {
            throw new SettingsException(String.format("camel.server.port = %s (%s): %s; the webhook routes "
                    + "(platform-http:) would not be served", port, sources.describe("camel.server.port"), flaw));
        }
    }
}
