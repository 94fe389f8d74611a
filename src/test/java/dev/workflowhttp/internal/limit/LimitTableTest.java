package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The component's originLimits: an origin's own entry first, else the first host pattern matching, as written. */
class LimitTableTest {

    private final LimitTable table = LimitTable.parse(
            "https://api.example.org=10/s;max=5, *.example.org=100/m, 127.0.0.0/8=max=2, api2.example.org=1/s burst 3");

    @Test
    void anOriginsOwnEntryWinsOverAPatternMatchingItsHost() {
        LimitTable.Match match = table.match(Origin.parse("https://api.example.org"));
        assertThat(match.limits()).hasToString("rateLimit=10/s, maxConcurrent=5");
        assertThat(match.declaredBy()).isEqualTo("component option originLimits (https://api.example.org=10/s;max=5)");
    }

    @Test
    void otherwiseTheFirstPatternMatchingTheHostOfAnySchemeAndPort() {
        assertThat(table.match(Origin.parse("http://api.example.org:8080")).limits())
                .hasToString("rateLimit=100/m");
        assertThat(table.match(Origin.parse("https://api2.example.org")).limits())
                .as("the wildcard comes first")
                .hasToString("rateLimit=100/m");
        assertThat(table.match(Origin.parse("http://127.0.0.1:9")).limits()).hasToString("maxConcurrent=2");
        assertThat(table.match(Origin.parse("https://example.com"))).isNull();
    }

    @Test
    void onlyTheOriginsAreDeclaredAtStart() {
        assertThat(table.origins()).containsOnlyKeys(Origin.parse("https://api.example.org:443"));
        assertThat(LimitTable.parse(" ").isEmpty()).isTrue();
    }
}
