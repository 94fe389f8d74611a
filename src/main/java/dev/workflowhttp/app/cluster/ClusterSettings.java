package dev.workflowhttp.app.cluster;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Set;

/**
 * The cluster service the application registers, already checked (the {@code workflow.cluster.*} keys).
 *
 * @param service           which one, or none
 * @param memberId          this instance's name among the members
 * @param perInstanceRoutes timer, quartz, cron or scheduler routes that keep running on every instance
 * @param file              the file lock's settings (used when {@code service} is {@link Service#FILE})
 * @param kubernetes        the Lease's settings (used when {@code service} is {@link Service#KUBERNETES})
 */
public record ClusterSettings(
        Service service, String memberId, Set<String> perInstanceRoutes, FileLock file, KubernetesLease kubernetes) {

    /** The value of {@code workflow.cluster.service}. */
    public enum Service {
        NONE,
        FILE,
        KUBERNETES;

        public String key() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /**
     * @param root          the directory every member shares
     * @param interval      how often the leader renews its record and the others look at it
     * @param leaderTimeout how long a record may stay unrenewed before the others take over
     */
    public record FileLock(Path root, Duration interval, Duration leaderTimeout) {

        /** Camel's heartbeat timeout multiplier: the timeout in whole intervals, rounded up. */
        int heartbeatTimeoutMultiplier() {
            return (int) Math.max(1, (leaderTimeout.toMillis() + interval.toMillis() - 1) / interval.toMillis());
        }
    }

    /**
     * @param namespace     the Kubernetes namespace of the Leases and pods; null for the pod's own
     * @param leasePrefix   the Lease of cluster namespace {@code ns} is named {@code <leasePrefix>-<ns>}
     * @param podLabels     the labels that select the member pods
     * @param leaseDuration how long a new leader waits, once it holds the Lease, before it leads
     * @param renewDeadline how long a leader keeps leading without managing to renew the Lease
     * @param retryPeriod   how often each member looks at the Lease and the member pods
     */
    public record KubernetesLease(
            String namespace,
            String leasePrefix,
            Map<String, String> podLabels,
            Duration leaseDuration,
            Duration renewDeadline,
            Duration retryPeriod) {}
}
