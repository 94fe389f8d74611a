package dev.workflowhttp.app;

import dev.workflowhttp.Durations;
import dev.workflowhttp.app.AppSettings.Key;
import dev.workflowhttp.app.cluster.ClusterSettings;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code workflow.cluster.*} keys as one {@link ClusterSettings}, with the checks that span several keys (each
 * key's own type is checked by {@link AppSettings}).
 */
final class ClusterKeys {

    private ClusterKeys() {}

    /** @throws SettingsException one line per key whose value does not fit the others */
    static ClusterSettings read(AppSettings settings, SettingSources sources) {
        ClusterSettings.Service service = ClusterSettings.Service.valueOf(
                settings.get(Key.CLUSTER_SERVICE).toUpperCase(java.util.Locale.ROOT));
        List<String> problems = new ArrayList<>();

        ClusterSettings.FileLock file = null;
        if (service == ClusterSettings.Service.FILE) {
            Duration interval = settings.duration(Key.CLUSTER_FILE_INTERVAL);
            Duration timeout = settings.duration(Key.CLUSTER_FILE_LEADER_TIMEOUT);
            Optional<String> root = settings.text(Key.CLUSTER_FILE_ROOT);
            if (root.isEmpty()) {
                problems.add(line(
                        settings,
                        sources,
                        Key.CLUSTER_FILE_ROOT,
                        Key.CLUSTER_SERVICE.key() + " = file ("
                                + sources.describe(Key.CLUSTER_SERVICE.key())
                                + ") needs the directory every instance shares "
                                + "(a network file system mount, or a local directory for instances on one machine)"));
            } else {
                String flaw = directoryFlaw(Path.of(root.get()));
                if (flaw != null) {
                    problems.add(line(settings, sources, Key.CLUSTER_FILE_ROOT, flaw));
                }
            }
            if (timeout.compareTo(interval.multipliedBy(2)) < 0) {
                problems.add(line(
                        settings,
                        sources,
                        Key.CLUSTER_FILE_LEADER_TIMEOUT,
                        "shorter than twice "
                                + Key.CLUSTER_FILE_INTERVAL.key() + " (" + Durations.format(interval)
                                + "): a leader would "
                                + "be replaced while it is alive"));
            }
            file = new ClusterSettings.FileLock(root.map(Path::of).orElse(Path.of("")), interval, timeout);
        }

        ClusterSettings.KubernetesLease lease = null;
        if (service == ClusterSettings.Service.KUBERNETES) {
            Duration duration = settings.duration(Key.CLUSTER_KUBERNETES_LEASE_DURATION);
            Duration renew = settings.duration(Key.CLUSTER_KUBERNETES_RENEW_DEADLINE);
            Duration retry = settings.duration(Key.CLUSTER_KUBERNETES_RETRY_PERIOD);
            if (duration.compareTo(renew) <= 0) {
                problems.add(line(
                        settings,
                        sources,
                        Key.CLUSTER_KUBERNETES_LEASE_DURATION,
                        "not longer than "
                                + Key.CLUSTER_KUBERNETES_RENEW_DEADLINE.key() + " (" + Durations.format(renew) + "): a "
                                + "leader must stop leading before its Lease can pass to another pod"));
            }
            // Camel's jitter factor: a member looks again after 1 to 1.2 retry periods
            if (renew.toMillis() <= retry.toMillis() * 12 / 10) {
                problems.add(line(
                        settings,
                        sources,
                        Key.CLUSTER_KUBERNETES_RENEW_DEADLINE,
                        "not longer than 1.2 × "
                                + Key.CLUSTER_KUBERNETES_RETRY_PERIOD.key() + " (" + Durations.format(retry)
                                + "): a leader "
                                + "would give up before its next attempt to renew"));
            }
            Map<String, String> labels = new LinkedHashMap<>();
            for (String pair : settings.list(Key.CLUSTER_KUBERNETES_POD_LABELS)) {
                labels.put(
                        pair.substring(0, pair.indexOf('=')).trim(),
                        pair.substring(pair.indexOf('=') + 1).trim());
            }
            lease = new ClusterSettings.KubernetesLease(
                    settings.text(Key.CLUSTER_KUBERNETES_NAMESPACE).orElse(null),
                    settings.get(Key.CLUSTER_KUBERNETES_LEASE_PREFIX),
                    labels,
                    duration,
                    renew,
                    retry);
        }

        if (!problems.isEmpty()) {
            throw new SettingsException(problems);
        }
        String memberId = settings.text(Key.CLUSTER_MEMBER_ID).orElseGet(() -> defaultMemberId(service));
        return new ClusterSettings(
                service, memberId, new LinkedHashSet<>(settings.list(Key.CLUSTER_PER_INSTANCE_ROUTES)), file, lease);
    }

    /**
     * Why the shared directory cannot hold the locks, or null once it exists. No probe file: the instances sharing it
     * start at the same time, and one's probe must not fail another's check.
     */
    private static String directoryFlaw(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        try {
            Files.createDirectories(absolute);
        } catch (FileAlreadyExistsException e) {
            return absolute + " is a file, not a directory";
        } catch (IOException e) {
            return "cannot create " + absolute + " (" + e + ")";
        }
        return Files.isWritable(absolute) ? null : absolute + " is not writable";
    }

    /** On Kubernetes the pod's name (its HOSTNAME); elsewhere the host name and the process id. */
    private static String defaultMemberId(ClusterSettings.Service service) {
        String hostname = System.getenv("HOSTNAME");
        if (hostname == null || hostname.isBlank()) {
            try {
                hostname = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException e) {
                hostname = "localhost";
            }
        }
        return service == ClusterSettings.Service.KUBERNETES
                ? hostname
                : hostname + "-" + ProcessHandle.current().pid();
    }

    static String line(AppSettings settings, SettingSources sources, Key key, String flaw) {
        return String.format(
                "%s = %s (%s): %s",
                key.key(), AppSettings.shown(key, settings.get(key)), sources.describe(key.key()), flaw);
    }
}
