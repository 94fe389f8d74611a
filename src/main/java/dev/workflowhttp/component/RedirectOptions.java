package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.inRange;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** Whether and how far the call follows redirects. */
@UriParams
@Configurer(extended = true)
public class RedirectOptions extends OptionGroup {

    @UriParam(defaultValue = "false", description = "Follow 3xx redirects; the deadline spans every hop.")
    private boolean followRedirects;

    @UriParam(defaultValue = "5", description = "Most redirects followed.")
    private int maxRedirects = 5;

    @EndpointOnly
    @UriParam(
            label = "security",
            defaultValue = "false",
            description = "Follow a redirect from https to http; refused by default.")
    private boolean allowInsecureRedirects;

    public boolean isFollowRedirects() {
        return followRedirects;
    }

    public void setFollowRedirects(boolean followRedirects) {
        this.followRedirects = followRedirects;
    }

    public int getMaxRedirects() {
        return maxRedirects;
    }

    public void setMaxRedirects(int maxRedirects) {
        this.maxRedirects = (int) inRange("maxRedirects", maxRedirects, 0, 100);
    }

    public boolean isAllowInsecureRedirects() {
        return allowInsecureRedirects;
    }

    public void setAllowInsecureRedirects(boolean allowInsecureRedirects) {
        this.allowInsecureRedirects = allowInsecureRedirects;
    }
}
