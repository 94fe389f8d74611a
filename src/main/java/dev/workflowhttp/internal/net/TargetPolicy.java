package dev.workflowhttp.internal.net;

import java.net.InetAddress;

/**
 * Where one call may go: the {@code restrictedNetworks} policy and the {@code allowedHosts} / {@code deniedHosts}
 * lists of the component and of the endpoint. Both levels apply: a host must pass the component's lists and the
 * endpoint's, so an endpoint can narrow what the component allows but never widen it.
 * <p>
 * Name patterns are checked against the host of the URL (or of the redirect hop) before any lookup; address patterns
 * and the restricted networks against every address the name resolves to.
 */
public record TargetPolicy(
        RestrictedNetworks networks,
        HostRules componentAllowed,
        HostRules componentDenied,
        HostRules endpointAllowed,
        HostRules endpointDenied) {

    /** Why a target was refused: the option that refused it and a sentence naming the host and the pattern. */
    public record Refusal(String rule, String reason) {}

    /** Whether the check needs the addresses a name resolves to (a proxy could otherwise resolve it alone). */
    public boolean needsAddresses() {
        return networks != RestrictedNetworks.NONE
                || componentAllowed.hasAddressPatterns()
                || componentDenied.hasAddressPatterns()
                || endpointAllowed.hasAddressPatterns()
                || endpointDenied.hasAddressPatterns();
    }

    /** The refusal of {@code host} by its name alone, or null when only its addresses can still refuse it. */
    public Refusal checkName(String host) {
        Refusal denied = denied(host, componentDenied, "component");
        if (denied == null) {
            denied = denied(host, endpointDenied, "endpoint");
        }
        if (denied != null) {
            return denied;
        }
        Refusal notAllowed = notAllowedByName(host, componentAllowed, "component");
        return notAllowed != null ? notAllowed : notAllowedByName(host, endpointAllowed, "endpoint");
    }

    /** The refusal of {@code host} because of one {@code address} it resolved to, or null. */
    public Refusal checkAddress(String host, InetAddress address) {
        String shown = HostRules.normalize(host);
        String ip = address.getHostAddress();
        String network = networks.refusedBy(address);
        if (network != null) {
            return new Refusal(
                    network, String.format("%s resolves to %s, inside restricted network '%s'", shown, ip, network));
        }
        for (Level level : levels()) {
            String pattern = level.denied.matchAddress(address);
            if (pattern != null) {
                return new Refusal(
                        "deniedHosts",
                        String.format(
                                "%s resolves to %s, which matches '%s' in the %s's " + "deniedHosts",
                                shown, ip, pattern, level.name));
            }
        }
        for (Level level : levels()) {
            if (!level.allowed.isEmpty()
                    && level.allowed.matchName(host) == null
                    && level.allowed.matchAddress(address) == null) {
                return new Refusal(
                        "allowedHosts",
                        String.format(
                                "%s resolves to %s, which is not in the %s's " + "allowedHosts (%s)",
                                shown, ip, level.name, level.allowed));
            }
        }
        return null;
    }

    private record Level(String name, HostRules allowed, HostRules denied) {}

    private Level[] levels() {
        return new Level[] {
            new Level("component", componentAllowed, componentDenied),
            new Level("endpoint", endpointAllowed, endpointDenied)
        };
    }

    private static Refusal denied(String host, HostRules denied, String level) {
        String pattern = denied.matchName(host);
        return pattern == null
                ? null
                : new Refusal(
                        "deniedHosts",
                        String.format(
                                "host %s matches '%s' in the %s's deniedHosts",
                                HostRules.normalize(host), pattern, level));
    }

    private static Refusal notAllowedByName(String host, HostRules allowed, String level) {
        if (allowed.isEmpty() || allowed.matchName(host) != null) {
            return null;
        }
        if (allowed.hasAddressPatterns() && !HostRules.isIpLiteral(HostRules.normalize(host))) {
            // the name may still resolve into an allowed network: decided on its addresses
            return null;
        }
        return new Refusal(
                "allowedHosts",
                String.format(
                        "host %s is not in the %s's allowedHosts (%s)", HostRules.normalize(host), level, allowed));
    }
}
