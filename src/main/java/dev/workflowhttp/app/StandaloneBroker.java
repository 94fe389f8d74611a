package dev.workflowhttp.app;

import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

/**
 * Runs only the broker, for several app instances to share:
 * {@code java -cp target/camel-workflow-http.jar dev.workflowhttp.app.StandaloneBroker tcp://127.0.0.1:61616 data/broker}.
 * Any Apache ActiveMQ Artemis broker serves as well.
 */
public final class StandaloneBroker {

    private StandaloneBroker() {
    }

    public static void main(String[] args) throws Exception {
        String url = args.length > 0 ? args[0] : "tcp://127.0.0.1:61616";
        Path dataDir = Path.of(args.length > 1 ? args[1] : "data/broker");
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
