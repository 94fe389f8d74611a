package dev.workflowhttp.internal.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;

class HostRulesTest {

    @Test
    void exactNameMatchesIgnoringCaseAndTrailingDot() {
        HostRules rules = HostRules.parse("deniedHosts", "api.example.com");
        assertThat(rules.matchName("API.Example.com.")).isEqualTo("api.example.com");
        assertThat(rules.matchName("www.api.example.com")).isNull();
        assertThat(rules.matchName("api.example.com.evil.test")).isNull();
    }

    @Test
    void wildcardMatchesNamesBelowTheDomainButNotTheDomainItself() {
        HostRules rules = HostRules.parse("allowedHosts", "*.example.com");
        assertThat(rules.matchName("a.example.com")).isEqualTo("*.example.com");
        assertThat(rules.matchName("a.b.example.com")).isEqualTo("*.example.com");
        assertThat(rules.matchName("example.com")).isNull();
        assertThat(rules.matchName("badexample.com")).isNull();
    }

    @Test
    void ipLiteralsAndNetworksMatchLiteralHostsAndResolvedAddresses() throws Exception {
        HostRules rules = HostRules.parse("deniedHosts", "127.0.0.2, 10.0.0.0/8, [::1]");
        assertThat(rules.matchName("127.0.0.2")).isEqualTo("127.0.0.2");
        assertThat(rules.matchName("[::1]")).isEqualTo("[::1]");
        assertThat(rules.matchAddress(InetAddress.getByName("10.200.3.4"))).isEqualTo("10.0.0.0/8");
        assertThat(rules.matchAddress(InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(rules.hasAddressPatterns()).isTrue();
    }

    @Test
    void separatorsMayBeCommasOrBars() {
        HostRules rules = HostRules.parse("nonProxyHosts", "localhost|*.internal , 127.0.0.1");
        assertThat(rules.matchName("localhost")).isNotNull();
        assertThat(rules.matchName("db.internal")).isNotNull();
        assertThat(rules.matchName("127.0.0.1")).isNotNull();
    }

    @Test
    void invalidPatternIsRefusedNamingTheOption() {
        assertThatThrownBy(() -> HostRules.parse("allowedHosts", "ok.example.com, bad host"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("allowedHosts")
                .hasMessageContaining("bad host");
        assertThatThrownBy(() -> HostRules.parse("deniedHosts", "10.0.0.0/33"))
                .hasMessageContaining("deniedHosts")
                .hasMessageContaining("10.0.0.0/33");
    }
}
