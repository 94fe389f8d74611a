package dev.workflowhttp.internal.limit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** How {@code rateLimit} and {@code maxConcurrent} are written, refused, compared and shared. */
class LimitSpecTest {

    @Test
    void readsCountsPerUnitWithTheBurstOneUnlessWritten() {
        assertThat(RateLimit.parse("rateLimit", "10/s")).isEqualTo(new RateLimit(10, Duration.ofSeconds(1), 1));
        assertThat(RateLimit.parse("rateLimit", " 600 / m ")).isEqualTo(new RateLimit(600, Duration.ofMinutes(1), 1));
        assertThat(RateLimit.parse("rateLimit", "5000/h")).isEqualTo(new RateLimit(5000, Duration.ofHours(1), 1));
        assertThat(RateLimit.parse("rateLimit", "100000/d")).isEqualTo(new RateLimit(100000, Duration.ofDays(1), 1));
        assertThat(RateLimit.parse("rateLimit", "10/S burst 20"))
                .isEqualTo(new RateLimit(10, Duration.ofSeconds(1), 20));
        assertThat(RateLimit.parse("rateLimit", "10/s burst 20")).hasToString("10/s burst 20");
        assertThat(RateLimit.parse("rateLimit", "600/m")).hasToString("600/m");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "",
                "10",
                "10/x",
                "10/sec",
                "/s",
                "-5/s",
                "0/s",
                "10/s burst",
                "10/s burst 0",
                "10/s burst -1",
                "ten/s",
                "10/s 20",
                "1.5/s",
                "99999999999999/s"
            })
    void refusesOtherTextNamingTheOptionTheValueAndTheForm(String text) {
        assertThatThrownBy(() -> RateLimit.parse("rateLimit", text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("Invalid value for option rateLimit: '" + text + "'")
                .hasMessageContaining("<count>/<unit>")
                .hasMessageContaining("e.g. 10/s, 600/m");
    }

    @Test
    void readsMaxConcurrentAsAPositiveWholeNumber() {
        assertThat(LimitSpec.parse(null, "3")).isEqualTo(new LimitSpec(null, 3));
        assertThat(LimitSpec.parse("10/s", " 4 ")).hasToString("rateLimit=10/s, maxConcurrent=4");
        assertThat(LimitSpec.parse("10/s", "")).hasToString("rateLimit=10/s");
        for (String bad : new String[] {"0", "-1", "three", "2.5", "99999999999"}) {
            assertThatThrownBy(() -> LimitSpec.parse(null, bad))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("Invalid value for option maxConcurrent: '" + bad + "'")
                    .hasMessageContaining("positive whole number");
        }
        assertThatThrownBy(() -> LimitSpec.parse(" ", null)).hasMessageContaining("rateLimit, maxConcurrent or both");
    }

    @Test
    void theSameLimitWrittenTwoWaysIsTheSame() {
        assertThat(LimitSpec.parse("10/s", null).sameAs(LimitSpec.parse("600/m", null)))
                .isTrue();
        assertThat(LimitSpec.parse("10/s", null).sameAs(LimitSpec.parse("10/s burst 2", null)))
                .isFalse();
        assertThat(LimitSpec.parse("10/s", null).sameAs(LimitSpec.parse("10/m", null)))
                .isFalse();
        assertThat(LimitSpec.parse("10/s", "3").sameAs(LimitSpec.parse("10/s", null)))
                .isFalse();
        assertThat(LimitSpec.parse(null, "3").sameAs(LimitSpec.parse(null, "3")))
                .isTrue();
    }

    @Test
    void sharesNeverAddUpToMoreThanTheLimit() {
        RateLimit rate = RateLimit.parse("rateLimit", "10/s burst 20");
        for (int members = 1; members <= 25; members++) {
            RateLimit share = rate.share(members);
            // the shares' rates add up to the rate exactly: members × (10 per members seconds)
            assertThat(share.perSecond() * members)
                    .as("%d members", members)
                    .isCloseTo(10.0, org.assertj.core.data.Offset.offset(1e-9));
            if (members <= 20) {
                assertThat(share.burst() * members)
                        .as("%d members' bursts", members)
                        .isLessThanOrEqualTo(20);
            } else {
                assertThat(share.burst())
                        .as("each member holds one token at least")
                        .isEqualTo(1);
            }
            LimitSpec spec = new LimitSpec(rate, 7).share(members);
            if (members <= 7) {
                assertThat(spec.maxConcurrent() * members).isLessThanOrEqualTo(7);
            } else {
                assertThat(spec.maxConcurrent()).isEqualTo(1);
            }
        }
        assertThat(rate.share(3)).hasToString("10/3s burst 6");
        assertThatThrownBy(() -> rate.share(0)).hasMessageContaining("at least one member");
    }
}
