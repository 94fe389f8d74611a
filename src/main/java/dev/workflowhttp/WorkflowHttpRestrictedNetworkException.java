package dev.workflowhttp;

/**
 * The target, or a redirect hop, was refused before anything was sent to it: it resolved into a network the
 * {@code restrictedNetworks} policy refuses, or its name or address is refused by {@code deniedHosts} or not
 * covered by {@code allowedHosts}.
 */
public class WorkflowHttpRestrictedNetworkException extends WorkflowHttpException {

    private static final long serialVersionUID = 1L;

    private final String host;
    private final String rule;

    /**
     * @param rule   what refused the target: {@code link-local}, {@code private}, {@code allowedHosts} or
     *               {@code deniedHosts}
     * @param reason a sentence naming the host and the pattern or network that refused it
     */
    public WorkflowHttpRestrictedNetworkException(String url, String host, String rule, String reason) {
        super(String.format("refused: %s (%s)", reason, url), url, Phase.CONNECT);
        this.host = host;
        this.rule = rule;
    }

    public String getHost() {
        return host;
    }

    /** {@code link-local}, {@code private}, {@code allowedHosts} or {@code deniedHosts}. */
    public String getRule() {
        return rule;
    }
}
