package dev.workflowhttp;

/**
 * The target, or a redirect hop, resolved into a network the {@code restrictedNetworks} policy refuses.
 */
public class WorkflowHttpRestrictedNetworkException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final String rule;

    public WorkflowHttpRestrictedNetworkException(String url, String host, String address, String rule) {
        super(String.format("refused: %s resolves to %s, inside restricted network '%s' (%s)", host, address, rule, url),
                url, Phase.CONNECT);
        this.host = host;
        this.rule = rule;
    }

    public String getHost() {
        return host;
    }

    public String getRule() {
        return rule;
    }
}
