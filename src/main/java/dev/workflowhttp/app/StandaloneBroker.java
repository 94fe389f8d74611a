package dev.workflowhttp.app;

import dev.workflowhttp.Durations;
import dev.workflowhttp.internal.util.Spelling;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Runs only the broker, for several app instances to share:
 * {@code java -cp target/camel-workflow-http.jar dev.workflowhttp.app.StandaloneBroker tcp://127.0.0.1:61616 data/broker}.
 * With {@code --ha=primary} or {@code --ha=backup} and {@code --peer=tcp://host:port} it is one half of a shared-store
 * pair: both halves name the same journal directory, the backup serves once the primary is gone. Any Apache ActiveMQ
 * Artemis broker serves as well. Bad input (a listen URL that is not {@code tcp://host:port}, an unknown option, a
 * port in use, a journal directory that cannot be used) refuses the start with one line naming it (exit code 1).
 */
public final class StandaloneBroker {

    private static final String CANNOT_START = "broker: cannot start: ";
    static final String USAGE = "usage: StandaloneBroker [tcp://host:port] [journal-dir] "
            + "[--ha=primary|backup --peer=tcp://host:port [--connector=tcp://host:port]]";
    private static final List<String> OPTIONS = List.of("--ha", "--peer", "--connector");

    private StandaloneBroker() {}

    /** What the command line asks for, checked. */
    record Options(String listenUrl, Path dataDir, BrokerHa ha) {

        /**
         * @throws IllegalArgumentException naming the first mistake
         */
        static Options parse(String... args) {
            List<String> positional = new ArrayList<>();
            String role = null;
            String peer = null;
            String connector = null;
            for (String arg : args) {
                if (!arg.startsWith("--")) {
                    positional.add(arg);
                    continue;
                }
                int equals = arg.indexOf('=');
                String name = equals < 0 ? arg : arg.substring(0, equals);
                if (!OPTIONS.contains(name)) {
                    String near = Spelling.nearest(name, OPTIONS, 3);
                    throw new IllegalArgumentException(
                            "unknown option " + name + (near != null ? "; did you mean " + near + "?" : "; " + USAGE));
                }
                if (equals < 0 || equals == arg.length() - 1) {
                    throw new IllegalArgumentException(
                            "option " + name + " needs a value (" + name + "=...); " + USAGE);
                }
                String value = arg.substring(equals + 1).trim();
                switch (name) {
                    case "--ha" -> role = value;
                    case "--peer" -> peer = value;
                    default -> connector = value;
                }
            }
            if (positional.size() > 2) {
                throw new IllegalArgumentException("unexpected argument " + positional.get(2) + "; " + USAGE);
            }
            String listen = positional.isEmpty() ? "tcp://127.0.0.1:61616" : positional.get(0);
            Path dataDir = Path.of(positional.size() > 1 ? positional.get(1) : "data/broker");
            String flaw = BrokerUrls.checkListenUrl(listen);
            if (flaw != null) {
                throw new IllegalArgumentException("listen URL " + listen + ": " + flaw + "; expected tcp://host:port");
            }
            if (role == null) {
                if (peer != null || connector != null) {
                    throw new IllegalArgumentException((peer != null ? "--peer" : "--connector")
                            + " belongs to a broker pair: add --ha=primary or --ha=backup");
                }
                return new Options(listen, dataDir, null);
            }
            BrokerHa.Role parsedRole = switch (role.toLowerCase(Locale.ROOT)) {
                case "primary" -> BrokerHa.Role.PRIMARY;
                case "backup" -> BrokerHa.Role.BACKUP;
                default -> throw new IllegalArgumentException("--ha=" + role + ": expected primary or backup");
            };
            if (peer == null) {
                throw new IllegalArgumentException(
                        "--ha=" + role + " needs --peer=tcp://host:port, the other " + "broker of the pair");
            }
            String peerFlaw = BrokerUrls.checkListenUrl(peer);
            if (peerFlaw != null) {
                throw new IllegalArgumentException("--peer=" + peer + ": " + peerFlaw + "; expected tcp://host:port");
            }
            if (connector == null) {
                if (isWildcard(URI.create(listen).getHost())) {
                    throw new IllegalArgumentException("listen URL " + listen + " names no address the peer and "
                            + "clients can reach; add --connector=tcp://<this host's name>:"
                            + URI.create(listen).getPort());
                }
                connector = listen;
            } else {
                String connectorFlaw = BrokerUrls.checkListenUrl(connector);
                if (connectorFlaw != null) {
                    throw new IllegalArgumentException(
                            "--connector=" + connector + ": " + connectorFlaw + "; expected tcp://host:port");
                }
            }
            if (sameServer(connector, peer)) {
                throw new IllegalArgumentException("--peer=" + peer + " is this broker itself; the pair's two "
                        + "brokers need two ports (or hosts)");
            }
            return new Options(listen, dataDir, new BrokerHa(parsedRole, connector, peer));
        }

        private static boolean isWildcard(String host) {
            return host.equals("0.0.0.0") || host.equals("[::]") || host.equals("::");
        }

        private static boolean sameServer(String a, String b) {
            URI one = URI.create(a);
            URI two = URI.create(b);
            return one.getPort() == two.getPort() && one.getHost().equalsIgnoreCase(two.getHost());
        }
    }

    public static void main(String[] args) throws Exception {
        AppLogging.useConfigurationNextTo(Path.of(WorkflowHttpMain.DEFAULT_CONFIG));
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println(CANNOT_START + e.getMessage());
            System.exit(1);
            return;
        }
        URI listen = URI.create(options.listenUrl());
        String flaw = Preflight.portFlaw(listen.getHost(), listen.getPort());
        if (flaw == null) {
            String dirFlaw = Preflight.directoryFlaw(options.dataDir());
            flaw = dirFlaw == null ? null : "journal directory " + options.dataDir() + ": " + dirFlaw;
        }
        if (flaw != null) {
            System.err.println(CANNOT_START + flaw);
            System.exit(1);
        }
        EmbeddedBroker broker = new EmbeddedBroker(options.dataDir(), options.listenUrl(), options.ha());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime()
                .addShutdownHook(new Thread(
                        () -> {
                            try {
                                broker.close();
                            } catch (Exception e) {
                                e.printStackTrace();
                            } finally {
                                stopped.countDown();
                            }
                        },
                        "broker-shutdown"));
        long startNanos = System.nanoTime();
        broker.start();
        BrokerHa ha = options.ha();
        if (ha == null) {
            System.out.println("broker listening at " + options.listenUrl());
            stopped.await();
            return;
        }
        reportRoleChanges(broker, options, stopped, startNanos);
    }

    /**
     * One line each time this half of the pair starts or stops serving: a backup takes over when the primary is
     * gone, and waits again when a primary started again takes its place back.
     */
    private static void reportRoleChanges(
            EmbeddedBroker broker, Options options, CountDownLatch stopped, long startNanos)
            throws InterruptedException {
        BrokerHa ha = options.ha();
        long waitingSince = startNanos;
        while (stopped.getCount() > 0) {
            if (!broker.isActive()) {
                System.out.println(ha.role().label() + " broker waiting for the lock on the shared journal in "
                        + options.dataDir().toAbsolutePath() + " (held by the peer at " + ha.peerUrl() + ")");
            }
            while (!broker.awaitActive(500)) {
                if (stopped.await(0, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            System.out.println(ha.role().label() + " broker active, listening at " + options.listenUrl()
                    + " (waited " + Durations.format(Duration.ofNanos(System.nanoTime() - waitingSince))
                    + " for the lock); peer " + ha.peerUrl());
            while (broker.isActive()) {
                if (stopped.await(500, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            System.out.println(
                    ha.role().label() + " broker handed the shared journal back to the peer at " + ha.peerUrl());
            waitingSince = System.nanoTime();
        }
    }
}
