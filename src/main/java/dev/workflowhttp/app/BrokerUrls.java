package dev.workflowhttp.app;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;

import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;

/**
 * Checks Artemis URLs before anything uses them: Artemis reads {@code tcp//host:61616} (a missing colon) into a
 * {@code NullPointerException} that names nothing.
 */
final class BrokerUrls {

    private static final List<String> CLIENT_SCHEMES = List.of("tcp", "vm", "udp", "jgroups");

    private BrokerUrls() {
    }

    /** The flaw of a client URL ({@code workflow.broker.url}) in a few words, or null when Artemis can use it. */
    static String checkClientUrl(String url) {
        if (url.isEmpty()) {
            return null;
        }
        String list = url;
        if (list.startsWith("(")) {
            int end = list.indexOf(')');
            if (end < 0) {
                return "no closing parenthesis";
            }
            list = list.substring(1, end);
        }
        for (String one : list.split(",")) {
            String flaw = checkOne(one.trim(), CLIENT_SCHEMES, false);
            if (flaw != null) {
                return flaw;
            }
        }
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url)) {
            return factory.getServerLocator() == null ? "not usable by the Artemis client" : null;
        } catch (Exception | LinkageError e) {
            return "not usable by the Artemis client (" + e + ")";
        }
    }

    /** The flaw of an acceptor URL ({@code workflow.broker.listen}) in a few words, or null. */
    static String checkListenUrl(String url) {
        return url.isEmpty() ? null : checkOne(url, List.of("tcp"), true);
    }

    private static String checkOne(String url, List<String> schemes, boolean portRequired) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            return "not a URL (" + e.getReason() + ")";
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (scheme == null || !url.contains("://")) {
            return "no scheme:// (" + url + ")";
        }
        if (!schemes.contains(scheme)) {
            return "scheme " + scheme + ":// is not one of " + String.join(", ", schemes);
        }
        if (scheme.equals("vm")) {
            return null;
        }
        if (uri.getHost() == null) {
            return "no host in " + url;
        }
        if (uri.getPort() == -1 && portRequired) {
            return "no port in " + url;
        }
        if (uri.getPort() != -1 && (uri.getPort() < 1 || uri.getPort() > 65535)) {
            return "port " + uri.getPort() + " out of range";
        }
        return null;
    }
}
