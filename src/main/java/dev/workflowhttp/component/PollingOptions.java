package dev.workflowhttp.component;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.StateRepository;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** A GET polled again and again: conditional requests and where their validators are kept. */
@UriParams
@Configurer(extended = true)
public class PollingOptions extends OptionGroup {

    @UriParam(
            label = "polling",
            defaultValue = "false",
            description = "For a GET polled again and again: remember the target's ETag and Last-Modified and send"
                    + " If-None-Match / If-Modified-Since next time; a 304 Not Modified is then a success with an"
                    + " empty body and the header CamelWorkflowHttpNotModified=true, for the route to filter on.")
    private boolean conditionalGet;

    @EndpointOnly
    @UriParam(
            label = "polling",
            javaType = "org.apache.camel.spi.StateRepository<String, String>",
            description = "Where conditionalGet remembers the validators (a #bean reference to a Camel"
                    + " StateRepository, which several instances may share); the component's own, in memory,"
                    + " by default.")
    private StateRepository<String, String> conditionalRepository;

    public boolean isConditionalGet() {
        return conditionalGet;
    }

    public void setConditionalGet(boolean conditionalGet) {
        this.conditionalGet = conditionalGet;
    }

    public StateRepository<String, String> getConditionalRepository() {
        return conditionalRepository;
    }

    public void setConditionalRepository(StateRepository<String, String> conditionalRepository) {
        this.conditionalRepository = conditionalRepository;
    }
}
