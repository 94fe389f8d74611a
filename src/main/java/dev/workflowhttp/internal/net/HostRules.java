package dev.workflowhttp.internal.net;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.hc.core5.net.InetAddressUtils;

/**
 * A list of host patterns, as written in {@code allowedHosts}, {@code deniedHosts} and {@code nonProxyHosts}:
 * comma (or {@code |}) separated, each one of
 * <ul>
 * <li>an exact host name, {@code api.example.com} (case does not matter, nor a trailing dot);</li>
 * <li>a wildcard, {@code *.example.com}: any name below {@code example.com}, at any depth, but not
 * {@code example.com} itself;</li>
 * <li>an IP literal, {@code 10.1.2.3} or {@code ::1} (brackets allowed), or a network in CIDR notation,
 * {@code 10.0.0.0/8}: these match an IP literal in the URL and every address a name resolves to.</li>
 * </ul>
 */
public final class HostRules {

    private static final HostRules NONE = new HostRules("", List.of(), List.of());

    private final String text;
    private final List<String> names;
    private final List<Network> networks;

    private HostRules(String text, List<String> names, List<Network> networks) {
        this.text = text;
        this.names = names;
        this.networks = networks;
    }

    public static HostRules none() {
        return NONE;
    }

    /**
     * @throws IllegalArgumentException naming the option and the pattern when a pattern is not valid
     */
    public static HostRules parse(String option, String text) {
        if (text == null || text.isBlank()) {
            return NONE;
        }
        List<String> names = new ArrayList<>();
        List<Network> networks = new ArrayList<>();
        for (String raw : text.split("[,|]")) {
            String pattern = raw.trim();
            if (pattern.isEmpty()) {
                continue;
            }
            Network network;
            try {
                network = Network.parse(pattern);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("Invalid value for option " + option + ": " + e.getMessage(), e);
            }
            if (network != null) {
                networks.add(network);
            } else if (isValidName(pattern)) {
                names.add(normalize(pattern));
            } else {
                throw new IllegalArgumentException(String.format(
                        "Invalid value for option %s: '%s' is not a host name, a *.domain wildcard, an IP address or "
                                + "a CIDR network",
                        option, pattern));
            }
        }
        return new HostRules(text.trim(), List.copyOf(names), List.copyOf(networks));
    }

    public boolean isEmpty() {
        return names.isEmpty() && networks.isEmpty();
    }

    /** Whether some pattern is an address or a network, which only a resolved address can be matched against. */
    public boolean hasAddressPatterns() {
        return !networks.isEmpty();
    }

    /** The name pattern {@code host} matches, or null. An IP literal is matched as an address. */
    public String matchName(String host) {
        String name = normalize(host);
        if (isIpLiteral(name)) {
            InetAddress literal = literal(name);
            return literal == null ? null : matchAddress(literal);
        }
        for (String pattern : names) {
            if (pattern.startsWith("*.") ? name.endsWith(pattern.substring(1)) : name.equals(pattern)) {
                return pattern;
            }
        }
        return null;
    }

    /** The address or network pattern {@code address} falls in, or null. */
    public String matchAddress(InetAddress address) {
        for (Network network : networks) {
            if (network.contains(address)) {
                return network.text;
            }
        }
        return null;
    }

    /** The host as a pattern would see it: lower case, without a trailing dot or IPv6 brackets. */
    public static String normalize(String host) {
        String name = host.trim().toLowerCase(Locale.ROOT);
        if (name.startsWith("[") && name.endsWith("]")) {
            name = name.substring(1, name.length() - 1);
        }
        if (name.endsWith(".")) {
            name = name.substring(0, name.length() - 1);
        }
        return name;
    }

    /** Whether {@code host} (normalized) is an IPv4 or IPv6 literal rather than a name. */
    public static boolean isIpLiteral(String host) {
        return InetAddressUtils.isIPv4(host) || InetAddressUtils.isIPv6(host);
    }

    /** The address an IP literal stands for (no lookup), or null when {@code host} is not one. */
    public static InetAddress literal(String host) {
        String name = normalize(host);
        if (!isIpLiteral(name)) {
            return null;
        }
        try {
            return InetAddress.getByName(name);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static boolean isValidName(String pattern) {
        String name = pattern.startsWith("*.") ? pattern.substring(2) : pattern;
        return !name.isEmpty()
                && name.matches(
                        "[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?(\\.[A-Za-z0-9_]([A-Za-z0-9_-]*[A-Za-z0-9_])?)*\\.?");
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof HostRules rules && rules.text.equals(text);
    }

    @Override
    public int hashCode() {
        return text.hashCode();
    }

    @Override
    public String toString() {
        return text;
    }

    /** One address ({@code /32} or {@code /128}) or network. */
    private record Network(String text, byte[] prefix, int bits) {

        static Network parse(String pattern) {
            int slash = pattern.indexOf('/');
            String addressPart = normalize(slash < 0 ? pattern : pattern.substring(0, slash));
            InetAddress address = literal(addressPart);
            if (address == null) {
                return null;
            }
            int max = address.getAddress().length * 8;
            int bits = max;
            if (slash >= 0) {
                try {
                    bits = Integer.parseInt(pattern.substring(slash + 1).trim());
                } catch (NumberFormatException e) {
                    bits = -1;
                }
                if (bits < 0 || bits > max) {
                    throw new IllegalArgumentException(
                            String.format("'%s': the prefix length of a network must be 0 to %d", pattern, max));
                }
            }
            return new Network(pattern, address.getAddress(), bits);
        }

        boolean contains(InetAddress address) {
            byte[] candidate = address.getAddress();
            if (candidate.length != prefix.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (candidate[i] != prefix[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xff << (8 - rest)) & 0xff;
            return (candidate[full] & mask) == (prefix[full] & mask);
        }
    }
}
