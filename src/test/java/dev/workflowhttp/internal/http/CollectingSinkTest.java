package dev.workflowhttp.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** A materialized body collected in memory, up to its limit. */
class CollectingSinkTest {

    private static ByteBuffer bytes(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
    }

    @Test
    void collectsEveryChunkInOrder() {
        CollectingSink sink = new CollectingSink(-1, -1);

        assertThat(sink.append(bytes("hello, "))).isTrue();
        assertThat(sink.append(bytes("world"))).isTrue();

        assertThat(new String(sink.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("hello, world");
        assertThat(sink.overflowed()).isFalse();
    }

    @Test
    void growsPastTheDeclaredLength() {
        CollectingSink sink = new CollectingSink(-1, 4);
        byte[] big = new byte[100_000];
        big[99_999] = 7;

        assertThat(sink.append(ByteBuffer.wrap(big))).isTrue();

        assertThat(sink.toByteArray()).hasSize(100_000).endsWith(7);
    }

    @Test
    void keepsWhatFitsTheLimitAndConsumesTheRest() {
        CollectingSink sink = new CollectingSink(5, -1);
        ByteBuffer source = bytes("abcdefgh");

        assertThat(sink.append(source)).isFalse();

        assertThat(sink.overflowed()).isTrue();
        assertThat(source.hasRemaining())
                .as("the rest is consumed, not left for the next read")
                .isFalse();
        assertThat(new String(sink.toByteArray(), StandardCharsets.US_ASCII)).isEqualTo("abcde");
    }

    @Test
    void aBodyExactlyAtTheLimitFits() {
        CollectingSink sink = new CollectingSink(5, 5);

        assertThat(sink.append(bytes("abcde"))).isTrue();
        assertThat(sink.append(bytes(""))).isTrue();

        assertThat(sink.overflowed()).isFalse();
        assertThat(sink.toByteArray()).hasSize(5);
    }

    @Test
    void noBodyGrowsPastWhatAnArrayHoldsWhateverTheLimit() {
        // the array's limit made small: with the real one (2 GiB) a body past it overflowed the int size and threw
        for (long limit : new long[] {-1, 3L * 1024 * 1024 * 1024}) {
            CollectingSink sink = new CollectingSink(limit, -1, 10);

            assertThat(sink.append(bytes("abcdef"))).isTrue();
            assertThat(sink.append(bytes("ghijkl"))).as("limit %d", limit).isFalse();

            assertThat(sink.overflowedTheArray()).isTrue();
            assertThat(new String(sink.toByteArray(), StandardCharsets.US_ASCII))
                    .isEqualTo("abcdefghij");
        }
    }

    @Test
    void aLimitBelowTheArrayIsTheLimitThatStops() {
        CollectingSink sink = new CollectingSink(8, -1, 10);

        assertThat(sink.append(bytes("abcdefghij"))).isFalse();

        assertThat(sink.overflowedTheArray()).isFalse();
        assertThat(sink.toByteArray()).hasSize(8);
    }

    @Test
    void aZeroLimitTakesNothing() {
        CollectingSink sink = new CollectingSink(0, 10);

        assertThat(sink.append(bytes("x"))).isFalse();

        assertThat(sink.toByteArray()).isEmpty();
    }
}
