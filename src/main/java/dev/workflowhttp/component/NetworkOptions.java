package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.required;

import dev.workflowhttp.internal.net.HostRules;
import dev.workflowhttp.internal.net.RestrictedNetworks;
import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;
import org.apache.camel.support.jsse.SSLContextParameters;

/** Where the call may go and whom it trusts: set on the endpoint only, never by a message header. */
@UriParams
@Configurer(extended = true)
public class NetworkOptions extends OptionGroup {

    @EndpointOnly
    @UriParam(
            defaultValue = "link-local",
            enums = "none,link-local,private",
            description = "Networks the target may not resolve into.")
    private String restrictedNetworks = "link-local";

    @EndpointOnly
    @UriParam(
            label = "security",
            description =
                    "Host patterns the step may call (and nothing else): names, wildcard names (star dot domain), IP"
                            + " addresses, CIDR networks; comma separated. The component's list applies as well.")
    private String allowedHosts = "";

    @EndpointOnly
    @UriParam(
            label = "security",
            description =
                    "Host patterns the step may not call: names, wildcard names (star dot domain), IP addresses, CIDR"
                            + " networks; comma separated. The component's list applies as well.")
    private String deniedHosts = "";

    @EndpointOnly
    @UriParam(
            label = "security",
            defaultValue = "false",
            description = "Trust any TLS certificate and host name; logs a warning when the endpoint starts.")
    private boolean insecureSkipVerify;

    @EndpointOnly
    @UriParam(
            label = "security",
            description = "Trust store, key store and client certificate for TLS (a #bean reference); the"
                    + " component's by default.")
    private SSLContextParameters sslContextParameters;

    public String getRestrictedNetworks() {
        return restrictedNetworks;
    }

    /** none, link-local or private. */
    public void setRestrictedNetworks(String restrictedNetworks) {
        this.restrictedNetworks = RestrictedNetworks.parse(
                        "restrictedNetworks", required("restrictedNetworks", restrictedNetworks))
                .toString();
    }

    public String getAllowedHosts() {
        return allowedHosts;
    }

    /** Host patterns, comma separated (names, *.domain wildcards, addresses, CIDR networks). */
    public void setAllowedHosts(String allowedHosts) {
        this.allowedHosts = HostRules.parse("allowedHosts", allowedHosts == null ? "" : allowedHosts.trim())
                .toString();
    }

    public String getDeniedHosts() {
        return deniedHosts;
    }

    public void setDeniedHosts(String deniedHosts) {
        this.deniedHosts = HostRules.parse("deniedHosts", deniedHosts == null ? "" : deniedHosts.trim())
                .toString();
    }

    public boolean isInsecureSkipVerify() {
        return insecureSkipVerify;
    }

    public void setInsecureSkipVerify(boolean insecureSkipVerify) {
        this.insecureSkipVerify = insecureSkipVerify;
    }

    public SSLContextParameters getSslContextParameters() {
        return sslContextParameters;
    }

    public void setSslContextParameters(SSLContextParameters sslContextParameters) {
        this.sslContextParameters = sslContextParameters;
    }
}
