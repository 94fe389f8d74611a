package dev.workflowhttp.app.cluster;

import java.util.HashSet;
import java.util.Set;
import org.apache.camel.cluster.CamelClusterMember;
import org.apache.camel.cluster.CamelClusterService;
import org.apache.camel.cluster.CamelClusterView;

/**
 * The live members as a cluster service's own view lists them, for a service whose view knows the other members
 * (Camel's Kubernetes service: the running, ready pods with the member labels, pulled at every retry period). The view
 * is of the namespace {@value LiveMembers#NAMESPACE}, taken at the first look and released on leaving; this member is
 * always among the live ones, ready or not.
 */
final class ViewMembers implements LiveMembers.Source {

    private final CamelClusterService service;
    private final String memberId;
    private CamelClusterView view;

    ViewMembers(CamelClusterService service, String memberId) {
        this.service = service;
        this.memberId = memberId;
    }

    @Override
    public synchronized Set<String> live() throws Exception {
        if (view == null) {
            view = service.getView(LiveMembers.NAMESPACE);
        }
        Set<String> live = new HashSet<>();
        for (CamelClusterMember member : view.getMembers()) {
            live.add(member.getId());
        }
        live.add(memberId);
        return live;
    }

    @Override
    public synchronized void leave() {
        if (view != null) {
            try {
                service.releaseView(view);
            } catch (Exception e) {
                // the service stops its views itself
            }
            view = null;
        }
    }

    @Override
    public String describe() {
        return "the members of " + service.getClass().getSimpleName() + "'s view";
    }
}
