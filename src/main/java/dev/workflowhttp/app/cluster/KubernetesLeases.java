package dev.workflowhttp.app.cluster;

import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.component.kubernetes.KubernetesConfiguration;
import org.apache.camel.component.kubernetes.cluster.KubernetesClusterService;
import org.apache.camel.component.kubernetes.cluster.LeaseResourceType;

/**
 * Camel's Kubernetes cluster service on {@code coordination.k8s.io/v1} Leases. A class of its own so that the
 * Kubernetes client is loaded only when it is chosen.
 */
final class KubernetesLeases {

    private KubernetesLeases() {}

    static CamelClusterService create(String memberId, ClusterSettings.KubernetesLease settings) {
        KubernetesConfiguration client = new KubernetesConfiguration();
        if (settings.namespace() != null) {
            client.setNamespace(settings.namespace());
        }
        KubernetesClusterService service = new KubernetesClusterService(client);
        service.setId(memberId);
        service.setPodName(memberId);
        service.setLeaseResourceType(LeaseResourceType.Lease);
        service.setKubernetesResourceName(settings.leasePrefix());
        if (settings.namespace() != null) {
            service.setKubernetesResourcesNamespace(settings.namespace());
        }
        service.setClusterLabels(settings.podLabels());
        service.setLeaseDurationMillis(settings.leaseDuration().toMillis());
        service.setRenewDeadlineMillis(settings.renewDeadline().toMillis());
        service.setRetryPeriodMillis(settings.retryPeriod().toMillis());
        return service;
    }
}
