package dev.workflowhttp.component;

import static dev.workflowhttp.component.OptionChecks.oneOf;

import org.apache.camel.spi.Configurer;
import org.apache.camel.spi.UriParam;
import org.apache.camel.spi.UriParams;

/** The credentials the call sends: a bearer token, or a user name and password (basic or digest). */
@UriParams
@Configurer(extended = true)
public class AuthOptions extends OptionGroup {

    @UriParam(
            label = "security",
            secret = true,
            description = "Sends the header Authorization: Bearer followed by this token (wins over basic).")
    private String authBearerToken;

    @UriParam(label = "security", secret = true, description = "User name for basic authentication.")
    private String authUsername;

    @UriParam(label = "security", secret = true, description = "Password for basic authentication.")
    private String authPassword;

    @UriParam(
            label = "security",
            defaultValue = "basic",
            enums = "basic,digest",
            description = "How authUsername and authPassword are sent: basic, with the first request; digest, in"
                    + " answer to the server's challenge (a second request, within the same deadline), only to"
                    + " the target's host and port.")
    private String authScheme = "basic";

    public String getAuthBearerToken() {
        return authBearerToken;
    }

    public void setAuthBearerToken(String authBearerToken) {
        this.authBearerToken = authBearerToken == null ? null : authBearerToken.trim();
    }

    public String getAuthUsername() {
        return authUsername;
    }

    public void setAuthUsername(String authUsername) {
        this.authUsername = authUsername == null ? null : authUsername.trim();
    }

    public String getAuthPassword() {
        return authPassword;
    }

    public void setAuthPassword(String authPassword) {
        this.authPassword = authPassword;
    }

    public String getAuthScheme() {
        return authScheme;
    }

    public void setAuthScheme(String authScheme) {
        this.authScheme = oneOf("authScheme", authScheme, "basic", "digest");
    }
}
