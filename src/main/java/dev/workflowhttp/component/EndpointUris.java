package dev.workflowhttp.component;

import dev.workflowhttp.WorkflowHttpConstants;
import dev.workflowhttp.internal.util.Spelling;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import org.apache.camel.util.URISupport;

/**
 * Reading an endpoint URI: which of its parameters are refused rather than left on the target URL, the target URL as
 * written, and which option an override header names.
 */
final class EndpointUris {

    private EndpointUris() {}

    /**
     * Why the query parameter {@code name}, which is not an option, is refused rather than kept on the target URL
     * (the former name of an option, a camel-http option name, a near miss of an option), or null to keep it.
     */
    static String refusalOf(String name) {
        if (name.equals("authBearer")) {
            return "Option 'authBearer' is now 'authBearerToken' (camel-http's name for it, which Camel's own messages "
                    + "mask)";
        }
        String camelHttp = CamelHttpOptionNames.refusal(name);
        if (camelHttp != null) {
            return camelHttp;
        }
        String near = nearestOption(name);
        if (near != null) {
            return String.format(
                    "Unknown option '%s': did you mean '%s'? (Query parameters that are not options stay "
                            + "on the target URL, but one this close to an option name is refused as a typo.)",
                    name, near);
        }
        return null;
    }

    /**
     * The target URL as the endpoint URI has it. Camel hands {@code remaining} percent-decoded, which would turn
     * {@code /a%20b} into an invalid URL, {@code /100%25} into a malformed one and {@code /a%23b} into a fragment.
     * Only the host and port are decoded, as Camel's normalization encodes an IPv6 literal's brackets.
     */
    static String rawTarget(String uri, String remaining) {
        String raw;
        try {
            raw = URISupport.extractRemainderPath(new URI(uri), true);
        } catch (URISyntaxException e) {
            return remaining;
        }
        int authority = raw.indexOf("://");
        if (authority < 0) {
            return remaining;
        }
        authority += 3;
        int path = raw.indexOf('/', authority);
        if (path < 0) {
            path = raw.length();
        }
        int host = Math.max(authority, raw.lastIndexOf('@', path - 1) + 1);
        try {
            return raw.substring(0, host)
                    + URLDecoder.decode(raw.substring(host, path), StandardCharsets.UTF_8)
                    + raw.substring(path);
        } catch (IllegalArgumentException e) {
            return raw;
        }
    }

    /** The option an override header names ({@code CamelWorkflowHttpTimeout} → {@code timeout}), or null. */
    static String optionOfHeader(String header) {
        if (header.length() <= WorkflowHttpConstants.OVERRIDE_PREFIX.length()) {
            return null;
        }
        String rest = header.substring(WorkflowHttpConstants.OVERRIDE_PREFIX.length());
        String option = Character.toLowerCase(rest.charAt(0)) + rest.substring(1);
        return WorkflowHttpConfiguration.OPTIONS.contains(option) ? option : null;
    }

    /** The option within two edits of {@code name} (ignoring case), or null. */
    static String nearestOption(String name) {
        return Spelling.nearest(name, WorkflowHttpConfiguration.OPTIONS, 2);
    }
}
