package dev.workflowhttp.docs;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.camel.component.file.cluster.FileLockClusterService;
import org.apache.camel.component.jms.JmsComponent;
import org.apache.camel.impl.DefaultCamelContext;
import org.apache.camel.spi.RoutesLoader;
import org.apache.camel.support.ResourceHelper;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The README's YAML routes load and their routes build (every endpoint URI resolves, so every option name and value
 * is valid), without starting anything: a README example that no longer works fails the build.
 */
class ReadmeExamplesTest {

    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\\n(.*?)```", Pattern.DOTALL);

    @TestFactory
    Stream<DynamicTest> everyYamlRouteInTheReadmeBuilds() throws Exception {
        String readme = Files.readString(Path.of("README.md"));
        List<String> blocks = new ArrayList<>();
        Matcher matcher = YAML_BLOCK.matcher(readme);
        while (matcher.find()) {
            if (matcher.group(1).startsWith("- route")) {
                blocks.add(matcher.group(1));
            }
        }
        assertThat(blocks).as("YAML routes in the README").hasSizeGreaterThanOrEqualTo(3);
        return blocks.stream().map(yaml -> DynamicTest.dynamicTest(firstRouteId(yaml), () -> build(yaml)));
    }

    private static String firstRouteId(String yaml) {
        Matcher id = Pattern.compile("id: (\\S+)").matcher(yaml);
        return id.find() ? id.group(1) : "route";
    }

    private static void build(String example) throws Exception {
        String yaml = example;
        if (!yaml.contains("- route:")) {
            // a route configuration alone: build a route that uses it, so that its error handling is built too
            yaml = yaml + "\n- route:\n    routeConfigurationId: " + firstRouteId(example)
                    + "\n    from:\n      uri: direct:uses-configuration\n      steps:\n"
                    + "        - to: \"workflow-http:http://127.0.0.1:9/x\"\n";
        }
        try (DefaultCamelContext context = new DefaultCamelContext()) {
            Properties placeholders = new Properties();
            placeholders.setProperty("reports.token", "example-token");
            placeholders.setProperty("billing.client-id", "example-client");
            placeholders.setProperty("billing.client-secret", "example-secret");
            context.getPropertiesComponent().setInitialProperties(placeholders);
            context.addComponent("workflow-http", new WorkflowHttpComponent());
            JmsComponent jms = new JmsComponent();
            // never connected: the routes are built, not started
            jms.setConnectionFactory(new ActiveMQConnectionFactory("vm://readme-examples"));
            context.addComponent("jms", jms);
            if (yaml.contains("master:")) {
                // as the app registers one when workflow.cluster.service is set; never started here
                FileLockClusterService cluster = new FileLockClusterService();
                cluster.setRoot(System.getProperty("java.io.tmpdir"));
                context.addService(cluster);
            }
            context.setAutoStartup(false);
            context.getCamelContextExtension()
                    .getContextPlugin(RoutesLoader.class)
                    .loadRoutes(ResourceHelper.fromString("readme.yaml", yaml));
            context.start();
            assertThat(context.getRoutes()).isNotEmpty();
        }
    }
}
