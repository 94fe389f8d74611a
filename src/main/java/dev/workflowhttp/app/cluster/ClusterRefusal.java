package dev.workflowhttp.app.cluster;

/**
 * The routes and the cluster settings do not fit together: names the {@code workflow.cluster.*} key to change and
 * what is wrong, for the application to refuse the start with.
 */
public final class ClusterRefusal extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String key;

    public ClusterRefusal(String key, String flaw) {
        super(flaw);
        this.key = key;
    }

    /** The key whose value does not fit. */
    public String key() {
        return key;
    }
}
