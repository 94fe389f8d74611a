package dev.workflowhttp.internal.net;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;

/**
 * The {@code restrictedNetworks} policy: which resolved addresses the step refuses to connect to.
 * <ul>
 * <li>{@code none}: any address;</li>
 * <li>{@code link-local} (default): 169.254.0.0/16, fe80::/10 and the cloud metadata addresses
 * (169.254.169.254, fd00:ec2::254, 100.100.100.200);</li>
 * <li>{@code private}: also loopback, the unspecified address, RFC 1918 networks and unique-local fc00::/7.</li>
 * </ul>
 */
public enum RestrictedNetworks {
    NONE("none"),
    LINK_LOCAL("link-local"),
    PRIVATE("private");

    private final String text;

    RestrictedNetworks(String text) {
        this.text = text;
    }

    public static RestrictedNetworks parse(String option, String value) {
        String lower = value.trim().toLowerCase(Locale.ROOT);
        for (RestrictedNetworks policy : values()) {
            if (policy.text.equals(lower)) {
                return policy;
            }
        }
        throw new IllegalArgumentException(String.format(
                "Invalid value for option %s: '%s' (expected none, link-local or private)", option, value));
    }

    /** The name of the rule {@code address} falls under, or null when the policy allows it. */
    public String refusedBy(InetAddress address) {
        if (this == NONE) {
            return null;
        }
        if (address.isLinkLocalAddress() || isMetadata(address)) {
            return "link-local";
        }
        if (this == PRIVATE
                && (address.isLoopbackAddress()
                        || address.isAnyLocalAddress()
                        || address.isSiteLocalAddress()
                        || isUniqueLocal(address))) {
            return "private";
        }
        return null;
    }

    private static boolean isMetadata(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            // Alibaba Cloud's metadata service sits outside 169.254/16
            return (bytes[0] & 0xff) == 100
                    && (bytes[1] & 0xff) == 100
                    && (bytes[2] & 0xff) == 100
                    && (bytes[3] & 0xff) == 200;
        }
        // AWS's IPv6 metadata service: fd00:ec2::254
        return address instanceof Inet6Address
                && (bytes[0] & 0xff) == 0xfd
                && bytes[1] == 0
                && (bytes[2] & 0xff) == 0x0e
                && (bytes[3] & 0xff) == 0xc2
                && isZero(bytes, 4, 14)
                && bytes[14] == 0x02
                && (bytes[15] & 0xff) == 0x54;
    }

    private static boolean isUniqueLocal(InetAddress address) {
        return address instanceof Inet6Address && (address.getAddress()[0] & 0xfe) == 0xfc;
    }

    private static boolean isZero(byte[] bytes, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] != 0) {
                return false;
            }
        }
        return true;
    }

    @Override
    public String toString() {
        return text;
    }
}
