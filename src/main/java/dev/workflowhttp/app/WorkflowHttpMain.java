package dev.workflowhttp.app;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.CamelContext;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.main.BaseMainSupport;
import org.apache.camel.main.Main;
import org.apache.camel.main.MainListenerSupport;
import org.apache.camel.spi.PropertiesComponent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The runnable application: Camel Main with the workflows of {@code routes/*.yaml}, the configuration of
 * {@code config/application.properties}, the {@code jms} component on Apache ActiveMQ Artemis (an embedded broker
 * unless {@code workflow.broker.url} names an external one) and the demo endpoints the shipped workflows call.
 */
public final class WorkflowHttpMain {

    private static final Logger LOG = LoggerFactory.getLogger(WorkflowHttpMain.class);

    /** System property naming another configuration file. */
    public static final String CONFIG_PROPERTY = "workflow.config";
    public static final String DEFAULT_CONFIG = "config/application.properties";

    private WorkflowHttpMain() {
    }

    public static void main(String[] args) throws Exception {
        System.exit(run(args));
    }

    /** Runs until stopped (or a bounded run ends) and returns the exit code: 0 for a clean stop. */
    public static int run(String[] args) throws Exception {
        Path config = Path.of(System.getProperty(CONFIG_PROPERTY, DEFAULT_CONFIG));
        if (!Files.isRegularFile(config)) {
            System.err.println("camel-workflow-http: cannot start: configuration file not found: "
                    + config.toAbsolutePath() + " (run from the repository root, or set -D" + CONFIG_PROPERTY + ")");
            return 2;
        }
        Infrastructure infrastructure = new Infrastructure();
        Main main = createMain(config, infrastructure);
        try {
            return main.run(args);
        } catch (Exception e) {
            LOG.debug("Start failed", e);
            System.err.println("camel-workflow-http: cannot start: " + StartFailure.describe(e, main.getCamelContext(),
                    main.configure().getRoutesIncludePattern()));
            return 1;
        } finally {
            infrastructure.close();
        }
    }

    /**
     * The application's Camel Main, not yet started: the configuration file as the properties location, the
     * broker, JMS and demo endpoints set up by {@code infrastructure} before the routes start.
     */
    public static Main createMain(Path config, Infrastructure infrastructure) {
        Main main = new Main();
        main.setDefaultPropertyPlaceholderLocation("file:" + config);
        main.addMainListener(infrastructure);
        return main;
    }

    /** Starts the broker and demo endpoints before the routes, stops them after. */
    public static final class Infrastructure extends MainListenerSupport implements AutoCloseable {
        private EmbeddedBroker broker;
        private DemoEndpoints demo;

        /** The demo endpoints, or null when they are off. */
        public DemoEndpoints demoEndpoints() {
            return demo;
        }

        @Override
        public void afterConfigure(BaseMainSupport main) {
            CamelContext context = main.getCamelContext();
            PropertiesComponent properties = context.getPropertiesComponent();
            try {
                String brokerUrl = property(properties, "workflow.broker.url").orElse("");
                String clientUrl;
                if (brokerUrl.isBlank()) {
                    Path dataDir = Path.of(property(properties, "workflow.broker.data-dir").orElse("data"));
                    broker = new EmbeddedBroker(dataDir, property(properties, "workflow.broker.listen").orElse(""));
                    broker.start();
                    clientUrl = EmbeddedBroker.IN_VM_URL;
                } else {
                    clientUrl = brokerUrl;
                    LOG.info("Using the external broker at {}", brokerUrl);
                }
                ActiveMQConnectionFactory connections = new ActiveMQConnectionFactory(clientUrl);
                property(properties, "workflow.broker.user").ifPresent(connections::setUser);
                property(properties, "workflow.broker.password").ifPresent(connections::setPassword);
                JmsComponent jms = new JmsComponent();
                jms.setConnectionFactory(connections);
                jms.setTransacted(Boolean.parseBoolean(property(properties, "workflow.jms.transacted").orElse("true")));
                jms.getConfiguration().setCacheLevelName("CACHE_CONSUMER");
                context.addComponent("jms", jms);
                context.getRegistry().bind("failureHeaders", new FailureHeaders());

                int demoPort = Integer.parseInt(property(properties, "workflow.demo.port").orElse("0"));
                if (demoPort >= 0 && Boolean.parseBoolean(property(properties, "workflow.demo.enabled").orElse("true"))) {
                    long slowMillis = Long.parseLong(property(properties, "workflow.demo.slow-feed-millis").orElse("4000"));
                    demo = new DemoEndpoints(demoPort, slowMillis);
                    demo.start();
                    context.getRegistry().bind("demoEndpoints", demo);
                }
            } catch (Exception e) {
                throw new IllegalStateException("cannot start the application's infrastructure: " + e.getMessage(), e);
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
            if (broker != null) {
                try {
                    broker.close();
                } catch (Exception e) {
                    LOG.warn("Stopping the embedded broker failed: {}", e.getMessage());
                }
                broker = null;
            }
        }

        private static Optional<String> property(PropertiesComponent properties, String key) {
            return properties.resolveProperty(key).map(String::trim);
        }
    }
}
