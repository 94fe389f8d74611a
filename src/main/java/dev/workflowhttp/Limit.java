package dev.workflowhttp;

/** Which limit governs a call's deadline; its {@link #toString()} is the name messages and logs use. */
public enum Limit {
    /** The step's own {@code timeout}. */
    TIMEOUT("timeout"),
    /** The workflow's deadline ({@code CamelWorkflowDeadline}), when it is nearer than the step's timeout. */
    WORKFLOW_DEADLINE("workflow deadline"),
    /** The step's {@code connectTimeout}, for the lease, DNS, connect and TLS. */
    CONNECT_TIMEOUT("connectTimeout");

    private final String label;

    Limit(String label) {
        this.label = label;
    }

    @Override
    public String toString() {
        return label;
    }
}
