package io.memorystreamer.storage.log.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OffsetMapTest {

    private static ByteBuffer key(String text) {
        return ByteBuffer.wrap(text.getBytes(UTF_8));
    }

    @Test
    void remembersTheLatestOffsetOfEachKey() {
        OffsetMap map = new OffsetMap(1_000, 1 << 20, 0.9);
        for (int i = 0; i < 10_000; i++) {
            map.put(key("key-" + (i % 1_000)), i);
        }

        assertThat(map.size()).isEqualTo(1_000);
        assertThat(map.get(key("key-0"))).isEqualTo(9_000);
        assertThat(map.get(key("key-999"))).isEqualTo(9_999);
        assertThat(map.get(key("absent"))).isEqualTo(-1);
    }

    @Test
    void aLookupLeavesTheKeyBufferUnread() {
        OffsetMap map = new OffsetMap(10, 1 << 20, 0.9);
        ByteBuffer key = key("k");

        map.put(key, 5);

        assertThat(key.remaining()).isEqualTo(1);
        assertThat(map.get(key)).isEqualTo(5);
    }

    @Test
    void itsMemoryIsBoundedByTheBudgetAndItRefusesKeysBeyondItsLoadFactor() {
        // Given a budget of 64 slots, asked for far more keys
        OffsetMap map = new OffsetMap(1_000_000, 64L * OffsetMap.BYTES_PER_SLOT, 0.5);
        // When filled up to what it accepts
        int accepted = map.remaining();
        for (int i = 0; i < accepted; i++) {
            map.put(key("key-" + i), i);
        }
        // Then
        assertThat(accepted).isEqualTo(32);
        assertThat(map.remaining()).isZero();
        assertThatThrownBy(() -> map.put(key("one-more"), 1)).isInstanceOf(IllegalStateException.class);
        assertThat(map.get(key("key-31"))).isEqualTo(31);
    }
}
