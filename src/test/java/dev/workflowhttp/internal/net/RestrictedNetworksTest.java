package dev.workflowhttp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Which addresses each policy refuses. Addresses are built from their bytes: nothing here resolves a name or sends a
 * packet.
 */
class RestrictedNetworksTest {

    @ParameterizedTest(name = "{0} under {1} → {2}")
    @CsvSource({
        "169.254.169.254, link-local, link-local",
        "169.254.0.1,     link-local, link-local",
        "fe80::1,         link-local, link-local",
        "fd00:ec2::254,   link-local, link-local",
        "100.100.100.200, link-local, link-local",
        "127.0.0.1,       link-local, allowed",
        "10.1.2.3,        link-local, allowed",
        "93.184.216.34,   link-local, allowed",
        "127.0.0.1,       private,    private",
        "::1,             private,    private",
        "0.0.0.0,         private,    private",
        "10.1.2.3,        private,    private",
        "172.16.0.1,      private,    private",
        "192.168.1.1,     private,    private",
        "fd12:3456::1,    private,    private",
        "169.254.169.254, private,    link-local",
        "::ffff:169.254.169.254, private, link-local",
        "93.184.216.34,   private,    allowed",
        "169.254.169.254, none,       allowed",
        "127.0.0.1,       none,       allowed"
    })
    void classifies(String address, String policy, String expected) throws Exception {
        InetAddress parsed = InetAddress.getByName(address);
        String refused = RestrictedNetworks.parse("restrictedNetworks", policy).refusedBy(parsed);
        assertThat(refused == null ? "allowed" : refused).isEqualTo(expected);
    }
}
