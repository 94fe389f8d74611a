package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** {@code okStatusCodes}: ranges and single codes, comma separated, between 100 and 599. */
class StatusCodesTest {

    @Test
    void rangesAndSingleCodesAreMembers() {
        StatusCodes codes = StatusCodes.parse("okStatusCodes", " 200-204, 304 ");

        assertThat(codes.contains(200)).isTrue();
        assertThat(codes.contains(204)).isTrue();
        assertThat(codes.contains(304)).isTrue();
        assertThat(codes.contains(205)).isFalse();
        assertThat(codes.contains(303)).isFalse();
        assertThat(codes).hasToString("200-204, 304");
    }

    @Test
    void withAddsOneCodeAndKeepsTheOthers() {
        StatusCodes codes = StatusCodes.parse("okStatusCodes", "200-299").with(304);

        assertThat(codes.contains(304)).isTrue();
        assertThat(codes.contains(250)).isTrue();
        assertThat(codes).hasToString("200-299,304");
        assertThat(codes.with(201)).as("a code already in is not added twice").isSameAs(codes);
    }

    @Test
    void aReversedRangeOrACodeOutsideHttpIsRefusedNamingTheOption() {
        for (String bad : new String[] {"299-200", "99", "200-600", "2xx", "200-", "", "200,,204"}) {
            assertThatThrownBy(() -> StatusCodes.parse("okStatusCodes", bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("okStatusCodes")
                    .hasMessageContaining("'" + bad + "'");
        }
    }

    @Test
    void anEmptyItemAtTheEndIsRefusedLikeOneInTheMiddle() {
        assertThatThrownBy(() -> StatusCodes.parse("okStatusCodes", "200-299,"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("'200-299,'");
    }
}
