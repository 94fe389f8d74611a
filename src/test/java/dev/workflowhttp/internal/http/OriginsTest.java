package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import org.apache.hc.core5.http.HttpHost;
import org.junit.jupiter.api.Test;

/** An origin is scheme, host and port (RFC 6454), however each is written. */
class OriginsTest {

    private static boolean same(String a, String b) {
        return Origins.same(URI.create(a), URI.create(b));
    }

    @Test
    void theSameOriginWrittenDifferentlyIsTheSame() {
        assertThat(same("http://api.example.com/a", "HTTP://API.Example.com:80/b?c"))
                .isTrue();
        assertThat(same("https://api.example.com", "https://api.example.com:443/x"))
                .isTrue();
        assertThat(same("http://[::1]:8080/a", "http://[0:0:0:0:0:0:0:1]:8080/b"))
                .isTrue();
        assertThat(same("http://127.0.0.1:8080/", "http://127.0.0.1:8080/other"))
                .isTrue();
        assertThat(Origins.same(new HttpHost("http", "::1", 80), new HttpHost("http", "0:0:0:0:0:0:0:1", -1)))
                .isTrue();
    }

    @Test
    void anotherSchemeHostOrPortIsAnotherOrigin() {
        assertThat(same("http://api.example.com", "https://api.example.com")).isFalse();
        assertThat(same("http://api.example.com", "http://api.example.com:8080"))
                .isFalse();
        assertThat(same("http://api.example.com", "http://eu.api.example.com")).isFalse();
        assertThat(same("http://127.0.0.1:8080", "http://localhost:8080"))
                .as("a name is not its address")
                .isFalse();
        assertThat(same("http://[::1]:8080", "http://127.0.0.1:8080")).isFalse();
    }
}
