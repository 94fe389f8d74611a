package dev.workflowhttp.app;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs only the broker, for several app instances to share:
 * {@code java -cp target/camel-workflow-http.jar dev.workflowhttp.app.StandaloneBroker tcp://127.0.0.1:61616 data/broker}.
 * Any Apache ActiveMQ Artemis broker serves as well. A listen URL that is not {@code tcp://host:port}, a port in use or
 * a journal directory that cannot be used refuses the start with one line naming it (exit code 1).
 */
public final class StandaloneBroker {

    private static final String CANNOT_START = "broker: cannot start: ";

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        AppLogging.useConfigurationNextTo(Path.of(WorkflowHttpMain.DEFAULT_CONFIG));
        String url = args.length > 0 ? args[0] : "tcp://127.0.0.1:61616";
        Path dataDir = Path.of(args.length > 1 ? args[1] : "data/broker");
        String flaw = BrokerUrls.checkListenUrl(url);
        if (flaw == null) {
            URI listen = URI.create(url);
            flaw = Preflight.portFlaw(listen.getHost(), listen.getPort());
        } else {
            flaw = "listen URL " + url + ": " + flaw + "; expected tcp://host:port";
        }
        if (flaw == null) {
            String dirFlaw = Preflight.directoryFlaw(dataDir);
            flaw = dirFlaw == null ? null : "journal directory " + dataDir + ": " + dirFlaw;
        }
        if (flaw != null) {
            System.err.println(CANNOT_START + flaw);
            System.exit(1);
        }
        EmbeddedBroker broker = new EmbeddedBroker(dataDir, url);
        broker.start();
        System.out.println("broker listening at " + url);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                broker.close();
            } catch (Exception e) {
                e.printStackTrace();
            } finally {
                stopped.countDown();
            }
        }, "broker-shutdown"));
        stopped.await();
    }
}
