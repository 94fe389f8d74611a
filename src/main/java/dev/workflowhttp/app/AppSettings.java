package dev.workflowhttp.app;

import dev.workflowhttp.Durations;
import dev.workflowhttp.internal.util.Spelling;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.function.Function;
import org.quartz.CronExpression;

/**
 * The application's own settings, the {@code workflow.*} keys: every key known and typed. An unknown key or a value
 * that is not of its type is a {@link SettingsException} naming the key, the value, where it was set and what is
 * expected — never a silent fallback, as a typo in {@code workflow.jms.transacted} would otherwise turn off the
 * transaction that keeps queue messages through a crash.
 */
public final class AppSettings {

    /** The prefix of the application's own keys; a route's own placeholders take another one. */
    public static final String PREFIX = "workflow.";

    /** Every {@code workflow.*} key, its type and its default. */
    public enum Key {
        CONFIG("workflow.config", Kind.TEXT, WorkflowHttpMain.DEFAULT_CONFIG),
        BROKER_URL("workflow.broker.url", Kind.BROKER_URL, ""),
        BROKER_DATA_DIR("workflow.broker.data-dir", Kind.PATH, "data"),
        BROKER_LISTEN("workflow.broker.listen", Kind.LISTEN_URL, ""),
        BROKER_USER("workflow.broker.user", Kind.TEXT, ""),
        BROKER_PASSWORD("workflow.broker.password", Kind.SECRET, ""),
        BROKER_RECONNECT_INTERVAL("workflow.broker.reconnect-interval", Kind.POSITIVE_DURATION, "5s"),
        JMS_TRANSACTED("workflow.jms.transacted", Kind.BOOLEAN, "true"),
        DEMO_ENABLED("workflow.demo.enabled", Kind.BOOLEAN, "true"),
        DEMO_PORT("workflow.demo.port", Kind.PORT, "8090"),
        DEMO_BASE_URL("workflow.demo.base-url", Kind.HTTP_URL, "http://127.0.0.1:{{workflow.demo.port}}"),
        DEMO_FEED_PERIOD("workflow.demo.feed-period", Kind.POSITIVE_DURATION, "20s"),
        DEMO_SLOW_FEED_CRON("workflow.demo.slow-feed-cron", Kind.CRON, "0/30 * * * * ?"),
        DEMO_SLOW_FEED_MILLIS("workflow.demo.slow-feed-millis", Kind.MILLIS, "4000"),
        // cluster-once triggers: the cluster service the app registers for master: and the singleton trigger routes
        CLUSTER_SERVICE("workflow.cluster.service", Kind.CLUSTER_SERVICE, "none"),
        CLUSTER_MEMBER_ID("workflow.cluster.member-id", Kind.TEXT, ""),
        CLUSTER_PER_INSTANCE_ROUTES("workflow.cluster.per-instance-routes", Kind.NAME_LIST, ""),
        CLUSTER_FILE_ROOT("workflow.cluster.file.root", Kind.TEXT, ""),
        CLUSTER_FILE_INTERVAL("workflow.cluster.file.interval", Kind.POSITIVE_DURATION, "1s"),
        CLUSTER_FILE_LEADER_TIMEOUT("workflow.cluster.file.leader-timeout", Kind.POSITIVE_DURATION, "5s"),
        CLUSTER_KUBERNETES_NAMESPACE("workflow.cluster.kubernetes.namespace", Kind.KUBERNETES_NAME_OR_EMPTY, ""),
        CLUSTER_KUBERNETES_LEASE_PREFIX(
                "workflow.cluster.kubernetes.lease-prefix", Kind.KUBERNETES_NAME, "workflow-http"),
        CLUSTER_KUBERNETES_POD_LABELS("workflow.cluster.kubernetes.pod-labels", Kind.LABELS, ""),
        CLUSTER_KUBERNETES_LEASE_DURATION("workflow.cluster.kubernetes.lease-duration", Kind.POSITIVE_DURATION, "8s"),
        CLUSTER_KUBERNETES_RENEW_DEADLINE("workflow.cluster.kubernetes.renew-deadline", Kind.POSITIVE_DURATION, "5s"),
        CLUSTER_KUBERNETES_RETRY_PERIOD("workflow.cluster.kubernetes.retry-period", Kind.POSITIVE_DURATION, "2s");

        private final String name;
        private final Kind kind;
        private final String defaultValue;

        Key(String name, Kind kind, String defaultValue) {
            this.name = name;
            this.kind = kind;
            this.defaultValue = defaultValue;
        }

        public String key() {
            return name;
        }

        static Optional<Key> named(String name) {
            for (Key key : values()) {
                if (key.name.equals(name)) {
                    return Optional.of(key);
                }
            }
            return Optional.empty();
        }
    }

    /** The types a setting can have: each checks a value and says what it expects. */
    enum Kind {
        TEXT("any text", value -> null),
        SECRET("any text", value -> null),
        BOOLEAN("true or false", value -> isBooleanText(value) ? null : "not a boolean"),
        PORT("a port number from 1 to 65535", Kind::checkPort),
        PATH("a directory path", value -> value.isEmpty() ? "empty" : null),
        POSITIVE_DURATION("a duration above zero such as 500ms, 20s, 5m or 1h", Kind::checkPositiveDuration),
        MILLIS("a whole number of milliseconds, 0 or more", Kind::checkMillis),
        CRON("a Quartz cron expression such as 0/30 * * * * ?", Kind::checkCron),
        HTTP_URL("an http:// or https:// URL with a host, such as http://127.0.0.1:8090", Kind::checkHttpUrl),
        BROKER_URL(
                "empty for the embedded broker, tcp://host:port for an external one, or "
                        + "(tcp://host1:port,tcp://host2:port) for several",
                BrokerUrls::checkClientUrl),
        LISTEN_URL(
                "empty for in-VM clients only, or tcp://host:port to also accept TCP clients",
                BrokerUrls::checkListenUrl),
        // the cluster keys' kinds
        CLUSTER_SERVICE("none, file or kubernetes", Kind::checkClusterService),
        NAME_LIST("route ids, comma separated", value -> null),
        KUBERNETES_NAME(
                "a Kubernetes name: lower-case letters, digits and '-', at most 63, such as workflow-http",
                Kind::checkKubernetesName),
        KUBERNETES_NAME_OR_EMPTY(
                "empty for the pod's own namespace, or a Kubernetes namespace name",
                value -> value.isEmpty() ? null : checkKubernetesName(value)),
        LABELS(
                "empty, or pod labels as key=value pairs, comma separated, such as app=workflow-http",
                Kind::checkLabels);

        private final String expected;
        /** The value's flaw in a few words, or null when it is of this kind. */
        private final Function<String, String> check;

        Kind(String expected, Function<String, String> check) {
            this.expected = expected;
            this.check = check;
        }

        private static String checkPort(String value) {
            try {
                int port = Integer.parseInt(value);
                return port >= 1 && port <= 65535 ? null : "out of range";
            } catch (NumberFormatException e) {
                return "not a number";
            }
        }

        private static String checkPositiveDuration(String value) {
            try {
                return Durations.parse("", value).isZero() ? "zero" : null;
            } catch (IllegalArgumentException e) {
                return value.startsWith("-") ? "negative" : "not a duration";
            }
        }

        private static String checkMillis(String value) {
            try {
                return Long.parseLong(value) >= 0 ? null : "negative";
            } catch (NumberFormatException e) {
                return "not a whole number";
            }
        }

        private static String checkCron(String value) {
            try {
                CronExpression.validateExpression(value);
                return null;
            } catch (ParseException e) {
                return "not a cron expression (" + e.getMessage() + ")";
            }
        }

        private static String checkClusterService(String value) {
            return value.equals("none") || value.equals("file") || value.equals("kubernetes")
                    ? null
                    : "not a cluster service";
        }

        private static String checkKubernetesName(String value) {
            if (value.length() > 63) {
                return "longer than 63 characters";
            }
            return value.matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?") ? null : "not a Kubernetes name";
        }

        private static String checkLabels(String value) {
            if (value.isEmpty()) {
                return null;
            }
            for (String pair : value.split(",")) {
                int eq = pair.indexOf('=');
                if (eq <= 0 || eq == pair.length() - 1 || pair.indexOf('=', eq + 1) >= 0) {
                    return "'" + pair.trim() + "' is not key=value";
                }
            }
            return null;
        }

        private static String checkHttpUrl(String value) {
            try {
                URI uri = new URI(value);
                if (uri.getScheme() == null
                        || !(uri.getScheme().equalsIgnoreCase("http")
                                || uri.getScheme().equalsIgnoreCase("https"))) {
                    return "not an http or https URL";
                }
                return uri.getHost() == null ? "no host" : null;
            } catch (URISyntaxException e) {
                return "not a URL (" + e.getReason() + ")";
            }
        }
    }

    private final Map<Key, String> values;

    private AppSettings(Map<Key, String> values) {
        this.values = values;
    }

    /**
     * Reads and checks every {@code workflow.*} key the sources hold.
     *
     * @throws SettingsException with one line per unknown key or invalid value
     */
    public static AppSettings read(SettingSources sources) {
        for (Key key : Key.values()) {
            sources.defaultValue(key.name, key.defaultValue);
        }
        List<String> problems = new ArrayList<>();
        for (String name : new TreeSet<>(sources.keysStartingWith(PREFIX))) {
            if (Key.named(name).isEmpty()) {
                problems.add(unknown(name, sources));
            }
        }
        Map<Key, String> values = new EnumMap<>(Key.class);
        List<Key> failed = new ArrayList<>();
        for (Key key : Key.values()) {
            String value = sources.value(key.name).map(String::trim).orElse("");
            String raw = sources.rawValue(key.name).orElse("");
            if (failed.stream().anyMatch(other -> raw.contains("{{" + other.name + "}}"))) {
                continue; // made of a value already refused: one line for one mistake
            }
            String flaw = key.kind.check.apply(value);
            if (flaw == null) {
                values.put(key, value);
            } else {
                failed.add(key);
                problems.add(String.format(
                        "%s = %s (%s): %s; expected %s",
                        key.name, shown(key, value), sources.describe(key.name), flaw, key.kind.expected));
            }
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        return new AppSettings(values);
    }

    private static String unknown(String name, SettingSources sources) {
        List<String> names = new ArrayList<>();
        for (Key key : Key.values()) {
            names.add(key.name);
        }
        String near = Spelling.nearest(name, names, 3);
        return String.format(
                "unknown key %s (%s): %s",
                name,
                sources.describe(name),
                near != null
                        ? "did you mean " + near + "?"
                        : "the README's Configuration table lists the workflow.* keys (a route's own placeholders take "
                                + "another prefix)");
    }

    /** {@code true} or {@code false}, case ignored: the only text a boolean setting accepts. */
    static boolean isBooleanText(String value) {
        return value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false");
    }

    static String shown(Key key, String value) {
        if (key.kind == Kind.SECRET && !value.isEmpty()) {
            return "xxxxxx";
        }
        return value.isEmpty() ? "(empty)" : value;
    }

    public String get(Key key) {
        return values.get(key);
    }

    public boolean flag(Key key) {
        requireKind(key, Kind.BOOLEAN);
        return Boolean.parseBoolean(values.get(key));
    }

    public int port(Key key) {
        requireKind(key, Kind.PORT);
        return Integer.parseInt(values.get(key));
    }

    public long millis(Key key) {
        requireKind(key, Kind.MILLIS);
        return Long.parseLong(values.get(key));
    }

    public Duration duration(Key key) {
        requireKind(key, Kind.POSITIVE_DURATION);
        return Durations.parse(key.name, values.get(key));
    }

    public Path path(Key key) {
        requireKind(key, Kind.PATH);
        return Path.of(values.get(key));
    }

    /** A comma-separated list's items, trimmed, without empty ones. */
    public List<String> list(Key key) {
        return Arrays.stream(values.get(key).split(","))
                .map(String::trim)
                .filter(item -> !item.isEmpty())
                .toList();
    }

    /** The value, or empty when it is empty text. */
    public Optional<String> text(Key key) {
        String value = values.get(key);
        return value == null || value.isEmpty() ? Optional.empty() : Optional.of(value);
    }

    private static void requireKind(Key key, Kind kind) {
        if (key.kind != kind) {
            throw new IllegalArgumentException(key.name + " is " + key.kind + ", not " + kind);
        }
    }
}
