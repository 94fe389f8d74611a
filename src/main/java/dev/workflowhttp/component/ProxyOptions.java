package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.inRange;
import static dev.workflowhttp.component.OptionChecks.trimmed;

import dev.workflowhttp.internal.net.HostRules;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The HTTP proxy the call goes through: set on the endpoint only, never by a message header. */
@UriParams
@Configurer(extended = true)
public class ProxyOptions extends OptionGroup {

    @EndpointOnly
    @UriParam(label = "proxy", description = "HTTP proxy host.")
    private String proxyHost;

    @EndpointOnly
    @UriParam(label = "proxy", description = "HTTP proxy port.")
    private Integer proxyPort;

    @EndpointOnly
    @UriParam(label = "proxy", secret = true, description = "Proxy user name (basic authentication).")
    private String proxyUsername;

    @EndpointOnly
    @UriParam(label = "proxy", secret = true, description = "Proxy password.")
    private String proxyPassword;

    @EndpointOnly
    @UriParam(
            label = "proxy",
            description = "Host patterns reached without the proxy, comma separated (as allowedHosts).")
    private String nonProxyHosts = "";

    public String getProxyHost() {
        return proxyHost;
    }

    public void setProxyHost(String proxyHost) {
        this.proxyHost = trimmed(proxyHost);
    }

    public Integer getProxyPort() {
        return proxyPort;
    }

    public void setProxyPort(Integer proxyPort) {
        this.proxyPort = proxyPort == null ? null : (int) inRange("proxyPort", proxyPort, 1, 65535);
    }

    public String getProxyUsername() {
        return proxyUsername;
    }

    public void setProxyUsername(String proxyUsername) {
        this.proxyUsername = proxyUsername == null ? null : proxyUsername.trim();
    }

    public String getProxyPassword() {
        return proxyPassword;
    }

    public void setProxyPassword(String proxyPassword) {
        this.proxyPassword = proxyPassword;
    }

    public String getNonProxyHosts() {
        return nonProxyHosts;
    }

    public void setNonProxyHosts(String nonProxyHosts) {
        this.nonProxyHosts = HostRules.parse("nonProxyHosts", nonProxyHosts == null ? "" : nonProxyHosts.trim())
                .toString();
    }
}
