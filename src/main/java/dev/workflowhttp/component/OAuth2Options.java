package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.trimmed;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** OAuth2 client credentials (RFC 6749 section 4.4): set on the endpoint only, never by a message header. */
@UriParams
@Configurer(extended = true)
public class OAuth2Options extends OptionGroup {

    @EndpointOnly
    @UriParam(
            label = "security",
            description = "OAuth2 client credentials: the token endpoint's URL. The token is fetched when first"
                    + " needed (within the call's deadline), kept until shortly before it expires, fetched"
                    + " once however many calls need it, sent as Authorization: Bearer, and fetched again once"
                    + " when the target answers 401.")
    private String oauth2TokenEndpoint;

    @EndpointOnly
    @UriParam(label = "security", secret = true, description = "OAuth2 client id.")
    private String oauth2ClientId;

    @EndpointOnly
    @UriParam(label = "security", secret = true, description = "OAuth2 client secret.")
    private String oauth2ClientSecret;

    @EndpointOnly
    @UriParam(label = "security", description = "OAuth2 scope asked for (space separated); none by default.")
    private String oauth2Scope;

    @EndpointOnly
    @UriParam(
            label = "security",
            defaultValue = "false",
            description = "Send the OAuth2 client id and secret in the token request's form instead of HTTP basic"
                    + " authentication.")
    private boolean oauth2BodyAuthentication;

    public String getOauth2TokenEndpoint() {
        return oauth2TokenEndpoint;
    }

    public void setOauth2TokenEndpoint(String oauth2TokenEndpoint) {
        String url = trimmed(oauth2TokenEndpoint);
        if (url != null) {
            try {
                RequestFactory.checkUrl(url);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(
                        "Invalid value for option oauth2TokenEndpoint: " + e.getMessage(), e);
            }
        }
        this.oauth2TokenEndpoint = url;
    }

    public String getOauth2ClientId() {
        return oauth2ClientId;
    }

    public void setOauth2ClientId(String oauth2ClientId) {
        this.oauth2ClientId = trimmed(oauth2ClientId);
    }

    public String getOauth2ClientSecret() {
        return oauth2ClientSecret;
    }

    public void setOauth2ClientSecret(String oauth2ClientSecret) {
        this.oauth2ClientSecret =
                oauth2ClientSecret == null || oauth2ClientSecret.isEmpty() ? null : oauth2ClientSecret;
    }

    public String getOauth2Scope() {
        return oauth2Scope;
    }

    public void setOauth2Scope(String oauth2Scope) {
        this.oauth2Scope = trimmed(oauth2Scope);
    }

    public boolean isOauth2BodyAuthentication() {
        return oauth2BodyAuthentication;
    }

    public void setOauth2BodyAuthentication(boolean oauth2BodyAuthentication) {
        this.oauth2BodyAuthentication = oauth2BodyAuthentication;
    }
}
