package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** One origin however its URLs write it: scheme and host case, default port, IP literal forms. */
class OriginTest {

    @Test
    void urlsOfOneOriginHaveOneOrigin() {
        Origin origin = Origin.of(URI.create("https://API.Example.com/items?page=2"));
        assertThat(origin).hasToString("https://api.example.com:443");
        assertThat(Origin.of(URI.create("HTTPS://api.example.com:443/other"))).isEqualTo(origin);
        assertThat(Origin.parse("https://api.example.com")).isEqualTo(origin);
        assertThat(Origin.parse(origin.toString())).isEqualTo(origin);
        assertThat(Origin.parse("http://api.example.com")).isNotEqualTo(origin);
        assertThat(Origin.parse("https://api.example.com:8443")).isNotEqualTo(origin);
        assertThat(Origin.parse("http://[::1]:8080/x"))
                .isEqualTo(Origin.parse("http://[0:0:0:0:0:0:0:1]:8080"))
                .hasToString("http://[0:0:0:0:0:0:0:1]:8080");
        assertThat(Origin.parse("http://127.0.0.1")).hasToString("http://127.0.0.1:80");
    }

    @Test
    void refusesWhatIsNoOrigin() {
        assertThatThrownBy(() -> Origin.parse("api.example.com"))
                .hasMessageContaining("Not an origin: 'api.example.com'")
                .hasMessageContaining("scheme://host[:port]");
        assertThatThrownBy(() -> Origin.parse("http:// spaces")).hasMessageContaining("Not an origin");
        assertThatThrownBy(() -> Origin.parse("ftp://files.example.com")).hasMessageContaining("write the port");
    }
}
