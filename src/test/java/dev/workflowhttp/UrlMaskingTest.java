package dev.workflowhttp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.workflowhttp.component.WorkflowHttpConfiguration;
import dev.workflowhttp.internal.util.UrlMasking;
import java.util.Set;
import org.junit.jupiter.api.Test;

class UrlMaskingTest {

    private static final Set<String> SHOWN = WorkflowHttpConfiguration.shownOptions();

    @Test
    void userInfoAndQueryValuesAreMasked() {
        assertThat(UrlMasking.mask("https://TOKEN@h.test/p?a=1&b=two#frag"))
                .isEqualTo("https://xxxxxx@h.test/p?a=xxxxxx&b=xxxxxx");
        assertThat(UrlMasking.mask("http://user:pass@h.test/")).isEqualTo("http://xxxxxx@h.test/");
    }

    @Test
    void endpointUriKeepsPlainOptionsAndMasksCredentialsAndTargetQuery() {
        assertThat(UrlMasking.maskEndpointUri(
                        "workflow-http://https://h.test/p?timeout=5s&authBearerToken=T&page=2" + "&proxyPassword=P",
                        SHOWN))
                .isEqualTo("workflow-http://https://h.test/p?timeout=5s&authBearerToken=xxxxxx&page=xxxxxx"
                        + "&proxyPassword=xxxxxx");
        assertThat(UrlMasking.maskEndpointUri("workflow-http:http://u:p@h.test/p", SHOWN))
                .isEqualTo("workflow-http:http://xxxxxx@h.test/p");
    }

    @Test
    void rawValueIsMaskedWholeEvenWithAmpersands() {
        assertThat(UrlMasking.maskEndpointUri(
                        "workflow-http:http://h.test/?authBearerToken=RAW(a&b=c)&timeout=1s", SHOWN))
                .isEqualTo("workflow-http:http://h.test/?authBearerToken=xxxxxx&timeout=1s");
    }

    @Test
    void urlsInsideAMessageAreMasked() {
        assertThat(UrlMasking.maskUrlsIn("Invalid redirect URI: http://h.test/next?token=T1 (see 'https://a@b.test/')"))
                .isEqualTo("Invalid redirect URI: http://h.test/next?token=xxxxxx (see 'https://xxxxxx@b.test/')");
    }
}
