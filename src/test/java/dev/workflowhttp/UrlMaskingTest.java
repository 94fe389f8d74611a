package dev.workflowhttp;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class UrlMaskingTest {

    @Test
    void userInfoAndQueryValuesAreMasked() {
        assertThat(UrlMasking.mask("https://TOKEN@h.test/p?a=1&b=two#frag"))
                .isEqualTo("https://xxxxxx@h.test/p?a=xxxxxx&b=xxxxxx");
        assertThat(UrlMasking.mask("http://user:pass@h.test/")).isEqualTo("http://xxxxxx@h.test/");
    }

    @Test
    void endpointUriKeepsPlainOptionsAndMasksCredentialsAndTargetQuery() {
        assertThat(UrlMasking.maskEndpointUri("workflow-http://https://h.test/p?timeout=5s&authBearer=T&page=2"
                + "&proxyPassword=P"))
                .isEqualTo("workflow-http://https://h.test/p?timeout=5s&authBearer=xxxxxx&page=xxxxxx"
                        + "&proxyPassword=xxxxxx");
        assertThat(UrlMasking.maskEndpointUri("workflow-http:http://u:p@h.test/p"))
                .isEqualTo("workflow-http:http://xxxxxx@h.test/p");
    }

    @Test
    void rawValueIsMaskedWholeEvenWithAmpersands() {
        assertThat(UrlMasking.maskEndpointUri("workflow-http:http://h.test/?authBearer=RAW(a&b=c)&timeout=1s"))
                .isEqualTo("workflow-http:http://h.test/?authBearer=xxxxxx&timeout=1s");
    }

    @Test
    void urlsInsideAMessageAreMasked() {
        assertThat(UrlMasking.maskUrlsIn("Invalid redirect URI: http://h.test/next?token=T1 (see 'https://a@b.test/')"))
                .isEqualTo("Invalid redirect URI: http://h.test/next?token=xxxxxx (see 'https://xxxxxx@b.test/')");
    }
}
