package dev.workflowhttp;

import java.util.Map;

import org.apache.camel.Category;
import org.apache.camel.Consumer;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;
import org.apache.camel.Producer;
import org.apache.camel.spi.Metadata;
import org.apache.camel.spi.UriEndpoint;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriPath;
import org.apache.camel.support.DefaultEndpoint;

/**
 * Calls an HTTP service as a workflow step, with one deadline over the whole call.
 */
@UriEndpoint(firstVersion = "0.1.0", scheme = "workflow-http", title = "Workflow HTTP",
             syntax = "workflow-http:url", producerOnly = true, lenientProperties = true,
             category = {Category.HTTP}, headersClass = WorkflowHttpConstants.class)
public class WorkflowHttpEndpoint extends DefaultEndpoint {

    @UriPath(description = "The target http:// or https:// URL; query parameters that are not options stay on it.")
    @Metadata(required = true)
    private final String url;

    @UriParam
    private final WorkflowHttpConfiguration configuration;

    WorkflowHttpEndpoint(String endpointUri, WorkflowHttpComponent component, String url,
                         WorkflowHttpConfiguration configuration) {
        super(endpointUri, component);
        this.url = url;
        this.configuration = configuration;
    }

    @Override
    public WorkflowHttpComponent getComponent() {
        return (WorkflowHttpComponent) super.getComponent();
    }

    @Override
    public Producer createProducer() {
        return new WorkflowHttpProducer(this);
    }

    @Override
    public Consumer createConsumer(Processor processor) {
        throw new UnsupportedOperationException("workflow-http is a step (to:), it cannot start a route (from:)");
    }

    @Override
    public boolean isLenientProperties() {
        return true;
    }

    /** The target URL, with the query parameters that were not options. */
    public String getUrl() {
        return url;
    }

    public WorkflowHttpConfiguration getConfiguration() {
        return configuration;
    }

    /**
     * The options for one exchange: the endpoint's, overridden by {@code CamelWorkflowHttp<Option>} headers.
     *
     * @throws IllegalArgumentException naming the header and the value when an override is invalid
     */
    WorkflowHttpConfiguration configurationFor(Exchange exchange) {
        WorkflowHttpConfiguration effective = configuration;
        for (Map.Entry<String, Object> header : exchange.getMessage().getHeaders().entrySet()) {
            String name = header.getKey();
            if (!name.startsWith(WorkflowHttpConstants.OVERRIDE_PREFIX)) {
                continue;
            }
            String option = WorkflowHttpComponent.optionOfHeader(name);
            if (option == null) {
                continue;
            }
            if (effective == configuration) {
                effective = configuration.clone();
            }
            try {
                effective.apply(option, header.getValue());
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Header " + name + ": " + e.getMessage(), e);
            }
        }
        return effective;
    }
}
