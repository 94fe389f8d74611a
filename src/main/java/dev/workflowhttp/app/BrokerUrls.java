package dev.workflowhttp.app;

import dev.workflowhttp.internal.util.Spelling;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.apache.activemq.artemis.core.remoting.impl.netty.TransportConstants;
import org.apache.activemq.artemis.jms.client.ActiveMQConnectionFactory;
import org.apache.activemq.artemis.uri.JMSConnectionOptions;

/**
 * Checks Artemis URLs before anything uses them: Artemis reads {@code tcp//host:61616} (a missing colon) into a
 * {@code NullPointerException} that names nothing, and ignores a parameter it does not know
 * ({@code reconectAttempts=-1}) or cannot read ({@code ha=maybe}) without a word — which would leave a failover URL
 * that never fails over.
 */
final class BrokerUrls {

    private static final List<String> CLIENT_SCHEMES = List.of("tcp", "vm", "udp", "jgroups");

    private BrokerUrls() {}

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
        List<String> queries = new ArrayList<>();
        for (String one : list.split(",")) {
            String flaw = checkOne(one.trim(), CLIENT_SCHEMES, false);
            if (flaw != null) {
                return flaw;
            }
            queries.add(URI.create(one.trim()).getRawQuery());
        }
        if (url.startsWith("(")) {
            String rest = url.substring(url.indexOf(')') + 1);
            if (!rest.isEmpty() && !rest.startsWith("?")) {
                return "expected ?name=value after the closing parenthesis, not " + rest;
            }
            queries.add(rest.isEmpty() ? null : rest.substring(1));
        }
        for (String query : queries) {
            String flaw = checkParameters(query);
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

    /** The servers a client URL lists: one for {@code tcp://a:61616}, two for {@code (tcp://a:61616,tcp://b:61616)}. */
    static int serverCount(String url) {
        if (!url.startsWith("(") || url.indexOf(')') < 0) {
            return 1;
        }
        return url.substring(1, url.indexOf(')')).split(",").length;
    }

    /** Whether a client URL asks for failover ({@code ha=true}). */
    static boolean isHa(String url) {
        try (ActiveMQConnectionFactory factory = new ActiveMQConnectionFactory(url)) {
            return factory.isHA();
        } catch (Exception | LinkageError e) {
            return false;
        }
    }

    /**
     * Each parameter must be a property of the connection factory or of the TCP transport, and a typed property's
     * value of its type.
     */
    private static String checkParameters(String query) {
        if (query == null || query.isEmpty()) {
            return null;
        }
        Map<String, Class<?>> known = Parameters.KNOWN;
        for (String pair : query.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int equals = pair.indexOf('=');
            String name = equals < 0 ? pair : pair.substring(0, equals);
            String value = equals < 0 ? "" : pair.substring(equals + 1);
            Class<?> type = known.get(name.toLowerCase(Locale.ROOT));
            if (type == null) {
                String near = Spelling.nearest(name, Parameters.NAMES, 3);
                return "unknown parameter " + name + " (the Artemis client would ignore it)"
                        + (near != null ? "; did you mean " + near + "?" : "");
            }
            String flaw = typeFlaw(type, value);
            if (flaw != null) {
                return "parameter " + name + "=" + value + ": " + flaw;
            }
        }
        return null;
    }

    private static String typeFlaw(Class<?> type, String value) {
        try {
            if (type == boolean.class || type == Boolean.class) {
                return AppSettings.isBooleanText(value) ? null : "not a boolean (true or false)";
            }
            if (type == int.class || type == Integer.class) {
                Integer.parseInt(value);
            } else if (type == long.class || type == Long.class) {
                Long.parseLong(value);
            } else if (type == double.class || type == Double.class) {
                Double.parseDouble(value);
            }
            return null;
        } catch (NumberFormatException e) {
            return "not a number";
        }
    }

    /** The names the Artemis client reads from a URL, with their types where the factory declares one. */
    private static final class Parameters {
        static final Map<String, Class<?>> KNOWN = new TreeMap<>();
        static final List<String> NAMES = new ArrayList<>();

        static {
            // the URL parser's own options (ha, type) and the connection factory's properties
            for (Class<?> bean : List.of(JMSConnectionOptions.class, ActiveMQConnectionFactory.class)) {
                for (Method method : bean.getMethods()) {
                    if (method.getName().startsWith("set")
                            && method.getName().length() > 3
                            && method.getParameterCount() == 1
                            && !Modifier.isStatic(method.getModifiers())) {
                        String name = method.getName().substring(3);
                        name = name.equals("HA") || name.equals("Ha")
                                ? "ha"
                                : Character.toLowerCase(name.charAt(0)) + name.substring(1);
                        if (KNOWN.putIfAbsent(name.toLowerCase(Locale.ROOT), method.getParameterTypes()[0]) == null) {
                            NAMES.add(name);
                        }
                    }
                }
            }
            for (String name : TransportConstants.ALLOWABLE_CONNECTOR_KEYS) {
                if (KNOWN.putIfAbsent(name.toLowerCase(Locale.ROOT), String.class) == null) {
                    NAMES.add(name);
                }
            }
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
