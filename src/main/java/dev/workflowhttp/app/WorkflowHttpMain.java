package dev.workflowhttp.app;

import dev.workflowhttp.app.AppSettings.Key;
import dev.workflowhttp.app.cluster.ClusterRefusal;
import dev.workflowhttp.app.cluster.ClusterSettings;
import dev.workflowhttp.app.cluster.Clustering;
import dev.workflowhttp.component.WorkflowHttpComponent;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.health.HealthCheckRegistry;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.util.URISupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.jms.connection.CachingConnectionFactory;

/**
 * The runnable application: Camel Main with the workflows of {@code routes/*.yaml}, the configuration of
 * {@code config/application.properties}, the {@code jms} component on Apache ActiveMQ Artemis (an embedded broker
 * unless {@code workflow.broker.url} names an external one) and the demo endpoints the shipped workflows call.
 */
public final class WorkflowHttpMain {

    /** System property naming another configuration file. */
    public static final String CONFIG_PROPERTY = "workflow.config";

    public static final String DEFAULT_CONFIG = "config/application.properties";

    static {
        // before the first logger: the jar carries no logging configuration (it is also a library), the app's is
        // config/log4j2.properties, next to the configuration file
        AppLogging.useConfigurationNextTo(Path.of(System.getProperty(CONFIG_PROPERTY, DEFAULT_CONFIG)));
    }

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowHttpMain.class);
    private static final String CANNOT_START = "camel-workflow-http: cannot start: ";

    /** Sessions kept open for sends; more senders at once open more, closed after their send. */
    private static final int SEND_SESSIONS = 16;

    private WorkflowHttpMain() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /**
     * Runs until stopped (or a bounded run ends) and returns the exit code: 0 for a clean stop (a bounded run's end,
     * or SIGTERM/SIGINT after every in-flight exchange finished within {@code camel.main.shutdownTimeout}), 1 when
     * the app cannot start, 2 without a configuration file, 3 when a stop had to abandon in-flight exchanges.
     */
    public static int run(String[] args) throws Exception {
        Path config = Path.of(System.getProperty(CONFIG_PROPERTY, DEFAULT_CONFIG));
        if (!Files.isRegularFile(config)) {
            System.err.println(CANNOT_START + "configuration file not found: " + config.toAbsolutePath()
                    + " (run from the repository root, or set -D" + CONFIG_PROPERTY + ")");
            return 2;
        }
        Infrastructure infrastructure = new Infrastructure();
        Main main = createMain(config, infrastructure);
        StopSignals signals = StopSignals.install(main);
        try {
            main.run(args);
        } catch (Exception e) {
            LOG.debug("Start failed", e);
            SettingsException settings = settingsProblem(e);
            if (settings != null) {
                settings.problems().forEach(problem -> System.err.println(CANNOT_START + problem));
            } else {
                String missing = MissingModules.describe(e, main.getCamelContext());
                System.err.println(CANNOT_START
                        + (missing != null
                                ? missing
                                : StartFailure.describe(
                                        e,
                                        main.getCamelContext(),
                                        main.configure().getRoutesIncludePattern())));
            }
            return 1;
        } finally {
            infrastructure.close();
            signals.uninstall();
        }
        CamelContext context = main.getCamelContext();
        if (context != null && context.getShutdownStrategy().isTimeoutOccurred()) {
            System.err.println(
                    "camel-workflow-http: stopped with exchanges still in flight after "
                            + "camel.main.shutdownTimeout: their queue messages are delivered again, their HTTP calls were cut");
            return 3;
        }
        return 0;
    }

    private static SettingsException settingsProblem(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof SettingsException settings) {
                return settings;
            }
        }
        return null;
    }

    /**
     * The application's Camel Main, not yet started: the configuration file as the properties location, the
     * broker, JMS and demo endpoints set up by {@code infrastructure} before the routes start.
     */
    public static Main createMain(Path config, Infrastructure infrastructure) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + config);
        infrastructure.configFile = config;
        main.addMainListener(infrastructure);
        return main;
    }

    /**
     * Checks every setting before Camel binds any; then starts the broker, the JMS component, the broker's health
     * check and the demo endpoints before the routes, and stops them after.
     */
    public static final class Infrastructure extends MainListenerSupport implements AutoCloseable {
        private Path configFile = Path.of(DEFAULT_CONFIG);
        private SettingSources sources;
        private AppSettings settings;
        private EmbeddedBroker broker;
        private ScheduledExecutorService monitorThread;
        private BrokerMonitor monitor;
        private CachingConnectionFactory sendConnections;
        private DemoEndpoints demo;
        private ClusterSettings clusterSettings;
        private Clustering clustering;

        /** The demo endpoints, or null when they are off. */
        public DemoEndpoints demoEndpoints() {
            return demo;
        }

        @Override
        public void beforeConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            sources = new SettingSources(context.getPropertiesComponent(), configFile);
            List<String> problems = new ArrayList<>();
            try {
                settings = AppSettings.read(sources);
            } catch (SettingsException e) {
                problems.addAll(e.problems());
            }
            if (settings != null) {
                try {
                    clusterSettings = ClusterKeys.read(settings, sources);
                } catch (SettingsException e) {
                    problems.addAll(e.problems());
                }
            }
            problems.addAll(CamelSettingsCheck.check(context, sources));
            if (!problems.isEmpty()) {
                throw new SettingsException(problems);
            }
            SettingSources.environmentStartingWith(AppSettings.PREFIX).keySet().stream()
                    .filter(name -> Arrays.stream(AppSettings.Key.values())
                            .noneMatch(key -> SettingSources.environmentVariable(key.key())
                                    .equals(name)))
                    .forEach(
                            name -> LOG.warn("Environment variable {} matches no workflow.* key and is ignored", name));
            // Camel's HTTP servers log a failed bind and start without it: refuse instead
            Preflight.checkServerPort(sources, "camel.management", "health and metrics would be missing");
            Preflight.checkServerPort(sources, "camel.server", "webhook routes (platform-http:) would not be served");
        }

        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            // first: a route that does not fit the cluster settings refuses the start before the broker starts
            try {
                // each instance holds its share of every origin's limits among the live members
                WorkflowHttpComponent http = context.getComponent("workflow-http", WorkflowHttpComponent.class);
                clustering = Clustering.install(context, clusterSettings, http::setLimitShare);
            } catch (ClusterRefusal e) {
                Key key = Key.named(e.key()).orElseThrow();
                throw refusal(key, e.getMessage());
            } catch (Exception e) {
                throw refusal(Key.CLUSTER_SERVICE, "the cluster service could not be set up: " + e);
            }

            String clientUrl;
            Optional<String> brokerUrl = settings.text(Key.BROKER_URL);
            if (brokerUrl.isEmpty()) {
                warnOfClusterOnEmbeddedBroker();
                startEmbeddedBroker();
                clientUrl = EmbeddedBroker.IN_VM_URL;
                LOG.warn(
                        "Queues are on the embedded broker of this instance (journal in {}): another instance of "
                                + "the app has a broker of its own and does not share them, and a message waits in this "
                                + "journal until this instance runs again. To run several instances, set {} on each to one "
                                + "shared broker or broker pair",
                        settings.path(Key.BROKER_DATA_DIR).toAbsolutePath(),
                        Key.BROKER_URL.key());
            } else {
                clientUrl = brokerUrl.get();
                LOG.info("Using the external broker at {}", URISupport.sanitizeUri(clientUrl));
                if (BrokerUrls.serverCount(clientUrl) > 1 && !BrokerUrls.isHa(clientUrl)) {
                    LOG.warn(
                            "{} lists {} brokers without ha=true: a client stays on the broker it reached first "
                                    + "and does not fail over to the other; for a broker pair add "
                                    + "?ha=true&reconnectAttempts=-1",
                            Key.BROKER_URL.key(),
                            BrokerUrls.serverCount(clientUrl));
                }
            }
            ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(clientUrl);
            settings.text(Key.BROKER_USER).ifPresent(connections::setUser);
            settings.text(Key.BROKER_PASSWORD).ifPresent(connections::setPassword);
            Duration reconnect = settings.duration(Key.BROKER_RECONNECT_INTERVAL);
            DuplicateIds duplicateIds = new DuplicateIds();
            JmsComponent jms = new JmsComponent(duplicateIds.jmsConfiguration());
            jms.setConnectionFactory(connections);
            // sends share one connection and reuse their sessions and producers, instead of a connection per message:
            // a broker failover moves that connection to the live broker with the consumers' (client reattach). A
            // connection opened just as the broker died blocked its first call for two call timeouts (60 s), longer
            // than a stop waits for in-flight exchanges
            sendConnections = new CachingConnectionFactory(connections);
            sendConnections.setSessionCacheSize(SEND_SESSIONS);
            jms.getConfiguration().setTemplateConnectionFactory(sendConnections);
            jms.setTransacted(settings.flag(Key.JMS_TRANSACTED));
            jms.getConfiguration().setCacheLevelName("CACHE_CONSUMER");
            // a transacted consumer commits on its own cached session: Camel's default transaction manager would open
            // a connection and a session for every transaction, every idle poll included
            jms.getConfiguration().setLazyCreateTransactionManager(false);
            jms.getConfiguration().setRecoveryInterval(reconnect.toMillis());
            // a listener failing because the broker went away: one line (the monitor says the rest), no stack trace
            jms.getConfiguration().setErrorHandlerLogStackTrace(false);
            context.addRoutePolicyFactory(duplicateIds);
            context.addComponent("jms", jms);
            context.getRegistry().bind("failureHeaders", new FailureHeaders());
            try {
                // the pauses servers ask for reach every instance sharing the broker
                context.addRoutes(
                        new LimitPauseTopic(context.getComponent("workflow-http", WorkflowHttpComponent.class)));
            } catch (Exception e) {
                throw new IllegalStateException("The route of the limits' pauses topic cannot be added: " + e, e);
            }

            monitorThread = Executors.newSingleThreadScheduledExecutor(runnable -> {
                Thread thread = new Thread(runnable, "workflow-broker-monitor");
                thread.setDaemon(true);
                return thread;
            });
            monitor = new BrokerMonitor(
                    connections,
                    brokerUrl.map(URISupport::sanitizeUri).orElse("embedded (" + clientUrl + ")"),
                    reconnect,
                    monitorThread);
            monitor.start();
            BrokerHealthCheck health = new BrokerHealthCheck(monitor);
            health.setCamelContext(context);
            HealthCheckRegistry registry = HealthCheckRegistry.get(context);
            if (registry != null) {
                registry.register(health);
            }

            if (settings.flag(Key.DEMO_ENABLED)) {
                int port = settings.port(Key.DEMO_PORT);
                String flaw = Preflight.portFlaw(DemoEndpoints.HOST, port);
                if (flaw != null) {
                    throw refusal(
                            Key.DEMO_PORT,
                            flaw + "; give each instance its own port, or set " + Key.DEMO_ENABLED.key() + "=false");
                }
                try {
                    demo = new DemoEndpoints(port, settings.millis(Key.DEMO_SLOW_FEED_MILLIS));
                } catch (IOException e) {
                    throw refusal(
                            Key.DEMO_PORT,
                            "cannot listen on " + DemoEndpoints.HOST + ":" + port + " (" + e.getMessage() + ")");
                }
                demo.start();
                context.getRegistry().bind("demoEndpoints", demo);
            }
        }

        /**
         * A cluster service means several instances; on embedded brokers each has its own queues, so queued work is
         * not shared. Cluster-once timers without queues are a fair use of that, so this is a warning, not a refusal
         * (the key belongs to the cluster settings, read here by name).
         */
        private void warnOfClusterOnEmbeddedBroker() {
            String clusterKey = "workflow.cluster.service";
            String service = sources.value(clusterKey).orElse("").trim();
            if (!service.isEmpty() && !service.equalsIgnoreCase("none")) {
                LOG.warn(
                        "{} = {} ({}) runs several instances, but {} is empty: each instance has its own embedded "
                                + "broker, and none shares the others' queues; set {} on every instance to one shared broker "
                                + "or broker pair",
                        clusterKey,
                        service,
                        sources.describe(clusterKey),
                        Key.BROKER_URL.key(),
                        Key.BROKER_URL.key());
            }
        }

        private void startEmbeddedBroker() {
            Path dataDir = settings.path(Key.BROKER_DATA_DIR);
            String flaw = Preflight.directoryFlaw(dataDir);
            if (flaw != null) {
                throw refusal(Key.BROKER_DATA_DIR, flaw);
            }
            Optional<String> listen = settings.text(Key.BROKER_LISTEN);
            if (listen.isPresent()) {
                URI acceptor = URI.create(listen.get());
                String busy = Preflight.portFlaw(acceptor.getHost(), acceptor.getPort());
                if (busy != null) {
                    throw refusal(Key.BROKER_LISTEN, busy);
                }
            }
            try {
                broker = new EmbeddedBroker(dataDir, listen.orElse(null));
                broker.start();
            } catch (Exception e) {
                throw refusal(Key.BROKER_DATA_DIR, "the embedded broker did not start: " + e);
            }
        }

        private SettingsException refusal(Key key, String flaw) {
            return new SettingsException(String.format(
                    "%s = %s (%s): %s",
                    key.key(), AppSettings.shown(key, settings.get(key)), sources.describe(key.key()), flaw));
        }

        @Override
        public void afterStart(BaseMainSupport main) {
            if (clustering != null) {
                clustering.logSummary();
            }
        }

        @Override
        public void afterStop(BaseMainSupport main) {
            close();
        }

        @Override
        public synchronized void close() {
            if (demo != null) {
                demo.close();
                demo = null;
            }
            if (sendConnections != null) {
                sendConnections.destroy();
                sendConnections = null;
            }
            if (monitor != null) {
                monitor.close();
                monitor = null;
            }
            if (monitorThread != null) {
                monitorThread.shutdownNow();
                monitorThread = null;
            }
            if (broker != null) {
                try {
                    broker.close();
                } catch (Exception e) {
                    LOG.warn("Stopping the embedded broker failed: {}", e.getMessage());
                }
                broker = null;
            }
        }
    }
}
